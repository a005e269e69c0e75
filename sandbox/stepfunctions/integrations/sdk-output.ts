import type { JsonValue } from '../json.ts';
import { sdkResponseMetadata } from './sdk-metadata.ts';

/**
 * An SDK v3 command output as Step Functions returns it: the response fields (binary values as
 * base64, as in JSON), without the SDK's `$metadata`, plus Step Functions' HTTP metadata.
 */
export function integrationOutput(output: {
  $metadata: { httpStatusCode?: number; requestId?: string };
}): JsonValue {
  const { $metadata, ...fields } = output;
  return {
    ...(toJson(fields) as { [key: string]: JsonValue }),
    ...(sdkResponseMetadata($metadata.httpStatusCode ?? 200, $metadata.requestId) as {
      [key: string]: JsonValue;
    }),
  };
}

function toJson(value: unknown): JsonValue {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Set) return [...value].map(toJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([key, field]) => [key, toJson(field)]),
    );
  }
  return value as JsonValue;
}
