// One Lambda serves several routes of the HTTP API; this dispatches on `event.routeKey` (the route as
// declared, e.g. `GET /v1/agents/{id}`) and turns whatever a route throws into a JSON response:
//   ApiError           its status and { error: { code, message, details } }
//   InvalidPageTokenError  400 validation_failed naming queryStringParameters.nextToken (a forged token, or
//                      one issued for another tenant or filter), for every paged list
//   anything else      500 internal_error; the error and its stack are logged, never sent
//   unknown route key  405 method_not_allowed when another method serves that path, else 404 route_not_found
//   no authenticated caller  401 (request-caller.ts), before the route runs: a route receives its caller
//                      and never reads identity from anything else; routePublicRequest is for the probes only
//   over the rate limit  429 from the request limiter, before the route runs; every answer to an
//                      authenticated caller carries the limiter's X-RateLimit-* headers. A limiter that
//                      fails (its table unreachable) lets the request through, logged and counted as
//                      `RateLimitUnavailable`: the limiter never fails a request that would have succeeded
// Every response is counted as the metric `ApiResponse` with dimensions `route` and `statusClass`
// (2xx/4xx/5xx): per-route client and server errors, which the HTTP API only reports per stage.
//
// Usage:
//   export const handler = observedHandler(routeRequest({ 'POST /v1/agents': registerAgentRoute, … }));
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Caller } from '../core/auth/caller.ts';
import { InvalidPageTokenError } from '../data/page-token.ts';
import { logger, metrics } from '../observability/powertools.ts';
import { ApiError } from './api-error.ts';
import type { HttpApiEvent, HttpApiResponse } from './http-api-event.ts';
import { errorResponse, internalErrorResponse } from './json-response.ts';
import { requestCaller } from './request-caller.ts';

export type RouteHandler = (event: HttpApiEvent, caller: Caller) => Promise<HttpApiResponse>;
export type PublicRouteHandler = (event: HttpApiEvent) => Promise<HttpApiResponse>;

/** Admits a caller's request or refuses it (429); `headers` go on the answer either way. */
export type RequestLimiter = (
  caller: Caller,
) => Promise<{ headers: Record<string, string>; refusal?: ApiError }>;

/** Routes that need an authenticated caller, each request admitted by `limiter` first. */
export function routeRequest(
  routes: Readonly<Record<string, RouteHandler>>,
  limiter: RequestLimiter,
): (event: HttpApiEvent) => Promise<HttpApiResponse> {
  return countedResponses(async (event) => {
    let limitHeaders: Record<string, string> = {};
    const response = await respond(routes, event, async (request) => {
      const caller = requestCaller(request);
      const admission = await admit(limiter, caller, request);
      limitHeaders = admission.headers;
      if (admission.refusal) throw admission.refusal;
      return caller;
    });
    return { ...response, headers: { ...response.headers, ...limitHeaders } };
  });
}

/** Routes that answer without a key (GET /health, GET /ready). */
export function routePublicRequest(
  routes: Readonly<Record<string, PublicRouteHandler>>,
): (event: HttpApiEvent) => Promise<HttpApiResponse> {
  return countedResponses((event) => respond(routes, event, async () => undefined));
}

async function admit(
  limiter: RequestLimiter,
  caller: Caller,
  event: HttpApiEvent,
): Promise<Awaited<ReturnType<RequestLimiter>>> {
  try {
    return await limiter(caller);
  } catch (error) {
    logger.warn('rate limiter unavailable; request let through', {
      routeKey: event.routeKey,
      tenantId: caller.tenantId,
      error: error as Error,
    });
    metrics.addMetric('RateLimitUnavailable', MetricUnit.Count, 1);
    return { headers: {} };
  }
}

function countedResponses(
  respondTo: (event: HttpApiEvent) => Promise<HttpApiResponse>,
): (event: HttpApiEvent) => Promise<HttpApiResponse> {
  return async (event) => {
    const response = await respondTo(event);
    metrics.addDimensions({
      route: event.routeKey,
      statusClass: `${Math.floor(response.statusCode / 100)}xx`,
    });
    metrics.addMetric('ApiResponse', MetricUnit.Count, 1);
    return response;
  };
}

async function respond<C>(
  routes: Readonly<Record<string, (event: HttpApiEvent, caller: C) => Promise<HttpApiResponse>>>,
  event: HttpApiEvent,
  callerOf: (event: HttpApiEvent) => Promise<C>,
): Promise<HttpApiResponse> {
  try {
    const route = routes[event.routeKey];
    if (!route) throw unroutable(event.routeKey, Object.keys(routes));
    return await route(event, await callerOf(event));
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    if (error instanceof InvalidPageTokenError) {
      const detail = { field: 'queryStringParameters.nextToken', message: error.message };
      return errorResponse(new ApiError(400, 'validation_failed', error.message, [detail]));
    }
    logger.error('unhandled error', { routeKey: event.routeKey, error: error as Error });
    return internalErrorResponse(event.requestContext?.requestId);
  }
}

function unroutable(routeKey: string, knownRouteKeys: string[]): ApiError {
  const [method, path] = splitRouteKey(routeKey);
  const allowed = knownRouteKeys.map(splitRouteKey).filter(([, knownPath]) => knownPath === path);
  if (path !== undefined && allowed.length > 0) {
    const methods = allowed.map(([knownMethod]) => knownMethod).join(', ');
    return new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${path}; use ${methods}`);
  }
  return new ApiError(404, 'route_not_found', `no route ${routeKey}`);
}

function splitRouteKey(routeKey: string): [string, string | undefined] {
  const space = routeKey.indexOf(' ');
  return space < 0 ? [routeKey, undefined] : [routeKey.slice(0, space), routeKey.slice(space + 1)];
}
