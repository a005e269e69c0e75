// routeRequest: dispatch on routeKey and the mapping of what routes throw to JSON responses.
import { describe, expect, it, vi } from 'vitest';
import { InvalidPageTokenError } from '../../../functions/data/page-token.ts';
import { ApiError } from '../../../functions/http/api-error.ts';
import { routeRequest } from '../../../functions/http/http-router.ts';
import { jsonResponse } from '../../../functions/http/json-response.ts';
import { logger } from '../../../functions/observability/powertools.ts';
import { httpApiEvent, responseError, responseJson } from '../../support/http-api-event.ts';

const route = routeRequest({
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
});

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
