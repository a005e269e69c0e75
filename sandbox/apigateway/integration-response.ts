// Turns a Lambda proxy integration's result into the HTTP response API Gateway sends.
import type { LambdaInvokeResult } from '../contracts.ts';

export interface HttpResponse {
  statusCode: number;
  /** Lower-cased names; a name with several values (set-cookie) holds an array. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export function jsonMessage(statusCode: number, message: string): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ message })),
  };
}

export const internalServerError = (): HttpResponse => jsonMessage(500, 'Internal Server Error');

/**
 * Format 2.0: an object with `statusCode` is a full response; any other valid JSON is the body of a
 * 200 `application/json` response (a string as it is, anything else as JSON text). Format 1.0 requires
 * `statusCode`. A function error or a malformed response is a 500.
 */
export function mapIntegrationResponse(
  result: LambdaInvokeResult,
  payloadFormatVersion: '1.0' | '2.0',
): HttpResponse {
  if (result.functionError !== undefined) return internalServerError();
  let output: unknown;
  try {
    output = JSON.parse(result.payload);
  } catch {
    return internalServerError();
  }
  const structured =
    typeof output === 'object' && output !== null && !Array.isArray(output) && 'statusCode' in output;
  if (!structured) {
    if (payloadFormatVersion === '1.0') return internalServerError();
    const body = typeof output === 'string' ? output : result.payload;
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  return mapStructuredResponse(output as Record<string, unknown>) ?? internalServerError();
}

function mapStructuredResponse(output: Record<string, unknown>): HttpResponse | undefined {
  const statusCode = Number(output.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (output.body !== undefined && output.body !== null && typeof output.body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(asRecord(output.multiValueHeaders))) {
    if (Array.isArray(values)) headers[name.toLowerCase()] = values.map(String);
  }
  for (const [name, value] of Object.entries(asRecord(output.headers))) {
    if (value !== null && value !== undefined) headers[name.toLowerCase()] = String(value);
  }
  if (Array.isArray(output.cookies) && output.cookies.length > 0) {
    const existing = headers['set-cookie'];
    const fromHeaders = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    headers['set-cookie'] = [...fromHeaders, ...output.cookies.map(String)];
  }
  const body = typeof output.body === 'string' ? output.body : '';
  return {
    statusCode,
    headers,
    body: output.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body),
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
