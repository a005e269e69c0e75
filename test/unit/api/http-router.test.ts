// routeRequest: dispatch on routeKey and the mapping of what routes throw to JSON responses.
import { describe, expect, it, vi } from 'vitest';
import { InvalidPageTokenError } from '../../../functions/data/page-token.ts';
import { ApiError } from '../../../functions/http/api-error.ts';
import { type RequestLimiter, type RouteHandler, routeRequest } from '../../../functions/http/http-router.ts';
import { jsonResponse } from '../../../functions/http/json-response.ts';
import { logger } from '../../../functions/observability/powertools.ts';
import { httpApiEvent, responseError, responseJson } from '../../support/http-api-event.ts';
import { admitEveryRequest } from '../../support/request-limiters.ts';

const routes: Record<string, RouteHandler> = {
  'GET /v1/things/{id}': async (event) => jsonResponse(200, { id: event.pathParameters?.id }),
  'POST /v1/things': async () => {
    throw new ApiError(409, 'thing_exists', 'that thing exists', [{ field: 'name', message: 'taken' }]);
  },
  'DELETE /v1/things/{id}': async () => {
    throw new Error('connection string postgres://secret@db failed');
  },
  'GET /v1/things': async () => {
    throw new InvalidPageTokenError('nextToken is not a token this API issued for this tenant');
  },
};
const route = routeRequest(routes, admitEveryRequest);

describe('routeRequest', () => {
  it('dispatches on the route key', async () => {
    const response = await route(httpApiEvent('GET /v1/things/{id}', { pathParameters: { id: 'x1' } }));
    expect(response).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(responseJson(response)).toEqual({ id: 'x1' });
  });

  it('turns an ApiError into its status and { error: { code, message, details } }', async () => {
    const response = await route(httpApiEvent('POST /v1/things', { body: {} }));
    expect(response.statusCode).toBe(409);
    expect(responseJson(response)).toEqual({
      error: {
        code: 'thing_exists',
        message: 'that thing exists',
        details: [{ field: 'name', message: 'taken' }],
      },
    });
  });

  it('answers a page token it did not issue for this caller with 400 naming nextToken, on every list', async () => {
    const response = await route(httpApiEvent('GET /v1/things'));
    expect(response.statusCode).toBe(400);
    expect(responseError(response)).toEqual({
      code: 'validation_failed',
      message: 'nextToken is not a token this API issued for this tenant',
      details: [
        {
          field: 'queryStringParameters.nextToken',
          message: 'nextToken is not a token this API issued for this tenant',
        },
      ],
    });
  });

  it('answers any other error with a bare 500 internal_error and logs the cause', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const response = await route(httpApiEvent('DELETE /v1/things/{id}', { pathParameters: { id: 'x1' } }));
    expect(response.statusCode).toBe(500);
    expect(responseError(response)).toMatchObject({ code: 'internal_error', details: [] });
    expect(response.body).not.toContain('postgres');
    expect(response.body).not.toContain('at ');
    expect(logged).toHaveBeenCalledWith(
      'unhandled error',
      expect.objectContaining({
        error: expect.objectContaining({ message: expect.stringContaining('postgres') }),
      }),
    );
    logged.mockRestore();
  });

  it('answers a method another route serves on that path with 405 naming the allowed ones', async () => {
    const response = await route(httpApiEvent('PUT /v1/things/{id}', { pathParameters: { id: 'x1' } }));
    expect(response.statusCode).toBe(405);
    expect(responseError(response)).toMatchObject({ code: 'method_not_allowed' });
    expect(responseError(response).message).toContain('GET, DELETE');
  });

  it('answers an unknown path with 404 route_not_found', async () => {
    const response = await route(httpApiEvent('GET /v1/others'));
    expect(response.statusCode).toBe(404);
    expect(responseError(response).code).toBe('route_not_found');
  });
});

describe('routeRequest with a request limiter', () => {
  const limitHeaders = { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': '5' };
  const admitting: RequestLimiter = async () => ({ headers: limitHeaders });
  const refusal = new ApiError(429, 'rate_limited', 'over the limit', [], {
    ...limitHeaders,
    'retry-after': '1',
  });

  it('puts the limiter headers on a success and on a route error alike', async () => {
    const limited = routeRequest(routes, admitting);
    const ok = await limited(httpApiEvent('GET /v1/things/{id}', { pathParameters: { id: 'x1' } }));
    expect(ok.headers).toMatchObject({ 'content-type': 'application/json', ...limitHeaders });
    const conflict = await limited(httpApiEvent('POST /v1/things', { body: {} }));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers).toMatchObject(limitHeaders);
  });

  it('answers a refusal with its 429 and headers, and never runs the route', async () => {
    const ran = vi.fn(async () => jsonResponse(200, {}));
    const limited = routeRequest({ 'GET /v1/things': ran }, async () => ({
      headers: refusal.headers,
      refusal,
    }));
    const response = await limited(httpApiEvent('GET /v1/things'));
    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({ ...limitHeaders, 'retry-after': '1' });
    expect(responseError(response).code).toBe('rate_limited');
    expect(ran).not.toHaveBeenCalled();
  });

  it('asks the limiter only about authenticated callers: a request without a key is a 401 without headers', async () => {
    const limiter = vi.fn(admitting);
    const response = await routeRequest(routes, limiter)(httpApiEvent('GET /v1/things', { caller: null }));
    expect(response.statusCode).toBe(401);
    expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    expect(limiter).not.toHaveBeenCalled();
  });

  it('lets the request through when the limiter fails, and logs why', async () => {
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const broken: RequestLimiter = async () => {
      throw new Error('ECONNREFUSED 127.0.0.1:8000');
    };
    const response = await routeRequest(
      routes,
      broken,
    )(httpApiEvent('GET /v1/things/{id}', { pathParameters: { id: 'x1' } }));
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    expect(warned).toHaveBeenCalledWith(
      'rate limiter unavailable; request let through',
      expect.objectContaining({
        error: expect.objectContaining({ message: expect.stringContaining('ECONNREFUSED') }),
      }),
    );
    warned.mockRestore();
  });
});
