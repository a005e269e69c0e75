import { randomUUID } from 'node:crypto';

/**
 * The HTTP metadata Step Functions adds to optimized-integration results
 * (`SdkHttpMetadata`, `SdkResponseMetadata`), as its Java SDK reports it.
 */
export function sdkResponseMetadata(
  statusCode: number,
  requestId: string = randomUUID(),
  extraHeaders: Record<string, string> = {},
): { SdkHttpMetadata: unknown; SdkResponseMetadata: unknown } {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-amz-json-1.0',
    Date: new Date().toUTCString(),
    'x-amzn-RequestId': requestId,
    ...extraHeaders,
  };
  const allHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
  return {
    SdkHttpMetadata: { AllHttpHeaders: allHeaders, HttpHeaders: headers, HttpStatusCode: statusCode },
    SdkResponseMetadata: { RequestId: requestId },
  };
}
