// Builds API Gateway HTTP API payload 2.0 events for invoking API handlers directly in tests, with the
// fields API Gateway sets (routeKey, rawPath, lowercased headers, requestContext).
//
//   httpApiEvent('POST /v1/agents', { body: { … } })
//   httpApiEvent('GET /v1/agents/{id}', { pathParameters: { id: 'research-1' }, headers: { 'x-trustgate-tenant': 'acme' } })
import { ApiError, type FieldError } from '../../functions/http/api-error.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../functions/http/http-api-event.ts';

export interface HttpApiEventOptions {
  /** An object is sent as JSON; a string is sent verbatim (for malformed JSON). */
  body?: unknown;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

export function httpApiEvent(routeKey: string, options: HttpApiEventOptions = {}): HttpApiEvent {
  const [method = 'GET', routePath = '/'] = routeKey.split(' ');
  const rawPath = routePath.replace(/\{(\w+)\+?\}/g, (_, name: string) =>
    encodeURIComponent(options.pathParameters?.[name] ?? name),
  );
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const query = options.queryStringParameters;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      requestId: `test-${Math.random().toString(36).slice(2)}`,
      routeKey,
      http: { method, path: rawPath },
    },
  };
}

/** A Lambda context object with the fields Powertools reads. */
export const testLambdaContext = {
  awsRequestId: 'test-request',
  functionName: 'test-function',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test-function',
  memoryLimitInMB: '256',
  logGroupName: '/aws/lambda/test-function',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
};

/** The parsed JSON body of a handler's response, typed as the route promises. */
export function responseJson<T>(response: HttpApiResponse): T {
  return JSON.parse(response.body) as T;
}

export interface ErrorBody {
  error: { code: string; message: string; details: FieldError[] };
}

/** The `error` member of an error response. */
export function responseError(response: HttpApiResponse): ErrorBody['error'] {
  return responseJson<ErrorBody>(response).error;
}

/** The ApiError a route's validation throws; fails the test when it throws nothing or something else. */
export function thrownApiError(action: () => unknown): ApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}
