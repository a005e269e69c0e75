// JSON responses. Every response of the API is `application/json`, errors included.
import type { ApiError } from './api-error.ts';
import type { HttpApiResponse } from './http-api-event.ts';

export function jsonResponse(statusCode: number, body: unknown): HttpApiResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: ApiError): HttpApiResponse {
  const response = jsonResponse(error.status, {
    error: { code: error.code, message: error.message, details: error.details },
  });
  return { ...response, headers: { ...response.headers, ...error.headers } };
}

/** 500 without any detail: the cause goes to the log, never to the client. */
export function internalErrorResponse(requestId: string | undefined): HttpApiResponse {
  return jsonResponse(500, {
    error: {
      code: 'internal_error',
      message: `internal error${requestId ? ` (request ${requestId})` : ''}`,
      details: [],
    },
  });
}
