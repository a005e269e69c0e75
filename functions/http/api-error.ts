// A client-facing failure: HTTP status, a stable machine-readable code, a human message and the fields
// at fault. Thrown anywhere below a route handler and turned into
//   { "error": { "code", "message", "details": [{ "field", "message" }] } }
// by `routeRequest` (http-router.ts). Anything else that escapes is a 500 `internal_error` whose details
// only reach the log. Field names are dotted paths into the request: `manifest.identity.agentId`,
// `pathParameters.id`, `headers.authorization`; `body` for the body as a whole.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    /** Response headers the error implies: `WWW-Authenticate` on a 401, `Retry-After` on a 429 or 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** 400 `validation_failed` naming every offending field. */
export function validationFailed(details: FieldError[]): ApiError {
  const fields = details.map((detail) => detail.field || 'body').join(', ');
  return new ApiError(400, 'validation_failed', `invalid request: ${fields}`, details);
}

/** 404 for a record the caller's tenant does not have; `field` names the parameter that carried the id. */
export function notFound(code: string, message: string, field: string): ApiError {
  return new ApiError(404, code, message, [{ field, message }]);
}
