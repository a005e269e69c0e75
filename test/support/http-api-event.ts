// Builds API Gateway HTTP API payload 2.0 events for invoking API handlers directly in tests, with the
// fields API Gateway sets (routeKey, rawPath, lowercased headers, requestContext).
//
// The caller is what the API-key authorizer would have put in `requestContext.authorizer.lambda`: by default
// an operator of tenant `default`; `caller: testCaller('acme', ['admin'])` for another, `caller: null` for a
// request the authorizer marked unauthenticated (`unauthenticated: 'revoked_key'` says why).
//
//   httpApiEvent('POST /v1/agents', { body: { … } })
//   httpApiEvent('GET /v1/agents/{id}', { pathParameters: { id: 'research-1' }, caller: testCaller('acme') })
import { type Caller, type CallerRole, callerContext } from '../../functions/core/auth/caller.ts';
import { ApiError, type FieldError } from '../../functions/http/api-error.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../functions/http/http-api-event.ts';

export interface HttpApiEventOptions {
  /** An object is sent as JSON; a string is sent verbatim (for malformed JSON). */
  body?: unknown;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  /** Who calls (default: an operator of tenant `default`); null: the authorizer refused the key. */
  caller?: Caller | null;
  /** With `caller: null`: the reason the authorizer gave (default missing_key). */
  unauthenticated?: string;
}

/** A caller as a key of `tenantId` with `roles` (and, for a reviewer, `reviewerLevel`) would make it. */
export function testCaller(
  tenantId = 'default',
  roles: CallerRole[] = ['operator'],
  reviewerLevel?: number,
  name = 'test-caller',
): Caller {
  return {
    tenantId,
    keyId: 'TestKey00001',
    name,
    roles,
    ...(reviewerLevel === undefined ? {} : { reviewerLevel }),
    // The largest bucket (10 000 requests): route tests are not about the rate limit, which the rate-limit
    // tests exercise with callers of their own plan.
    plan: 'exec',
  };
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
  const caller = options.caller === undefined ? testCaller() : options.caller;
  const authorizerContext =
    caller === null
      ? { authenticated: 'false', reason: options.unauthenticated ?? 'missing_key' }
      : callerContext(caller);
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
      authorizer: { lambda: authorizerContext },
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
