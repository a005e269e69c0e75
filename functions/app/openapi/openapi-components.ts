// What the operations of the document share, as its `components`: the API-key security scheme, the
// `Error` schema every error answer references, the rate-limit headers (core/rate-limit/rate-limit-headers.ts)
// and the answers every authenticated route may give whatever it does (401 before the route runs, 429 from
// the limiter, 500 for what nobody foresaw). Referenced by name from openapi-document.ts.
import { ErrorSchema } from './error-schema.ts';
import { inputJsonSchema, type JsonSchema } from './json-schema.ts';

export const API_KEY_SCHEME = 'apiKey';

export const ERROR_REF = { $ref: '#/components/schemas/Error' } as const;

const WHOLE_NUMBER: JsonSchema = { type: 'integer', minimum: 0 };

export const HEADER_NAMES = {
  limit: 'X-RateLimit-Limit',
  remaining: 'X-RateLimit-Remaining',
  reset: 'X-RateLimit-Reset',
  retryAfter: 'Retry-After',
  wwwAuthenticate: 'WWW-Authenticate',
} as const;

const headers = {
  [HEADER_NAMES.limit]: {
    description: 'The capacity of the tenant’s request bucket: the largest burst it may send.',
    schema: WHOLE_NUMBER,
  },
  [HEADER_NAMES.remaining]: {
    description: 'Whole requests left in the bucket after this one.',
    schema: WHOLE_NUMBER,
  },
  [HEADER_NAMES.reset]: {
    description: 'Seconds until the bucket is full again (delta seconds, rounded up).',
    schema: WHOLE_NUMBER,
  },
  [HEADER_NAMES.retryAfter]: {
    description: 'Seconds to wait before sending the same request again (rounded up).',
    schema: WHOLE_NUMBER,
  },
  [HEADER_NAMES.wwwAuthenticate]: {
    description: 'The scheme the API expects: `Bearer realm="trustgate"`.',
    schema: { type: 'string' },
  },
};

export function headerRef(name: string): { $ref: string } {
  return { $ref: `#/components/headers/${name}` };
}

/** The rate-limit headers of an answer to an authenticated request (absent while the limiter is down). */
export function rateLimitHeaderRefs(): Record<string, { $ref: string }> {
  return Object.fromEntries(
    [HEADER_NAMES.limit, HEADER_NAMES.remaining, HEADER_NAMES.reset].map((name) => [name, headerRef(name)]),
  );
}

function errorContent(): Record<string, { schema: typeof ERROR_REF }> {
  return { 'application/json': { schema: ERROR_REF } };
}

export const SHARED_RESPONSES = {
  Unauthorized: {
    description:
      'No usable API key, before the route runs; the code says why: `missing_key`, `malformed_key`, ' +
      '`wrong_env` (a key of another stage), `unknown_key`, `revoked_key` or `expired_key`.',
    headers: { [HEADER_NAMES.wwwAuthenticate]: headerRef(HEADER_NAMES.wwwAuthenticate) },
    content: errorContent(),
  },
  TooManyRequests: {
    description:
      '`rate_limited`: the tenant’s request bucket is empty, before the route runs. Every request of the ' +
      'tenant takes one token; wait `Retry-After` seconds.',
    headers: { ...rateLimitHeaderRefs(), [HEADER_NAMES.retryAfter]: headerRef(HEADER_NAMES.retryAfter) },
    content: errorContent(),
  },
  InternalError: {
    description:
      '`internal_error`: a failure of the service; the message names the request id, the log the cause.',
    content: errorContent(),
  },
} as const;

export type SharedResponseName = keyof typeof SHARED_RESPONSES;

export function responseRef(name: SharedResponseName): { $ref: string } {
  return { $ref: `#/components/responses/${name}` };
}

export function openApiComponents(): Record<string, unknown> {
  return {
    securitySchemes: {
      [API_KEY_SCHEME]: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'tg_<env>_…',
        description:
          'An API key of the deployment as `Authorization: Bearer tg_<env>_…`. A key belongs to one ' +
          'tenant and has roles (admin, operator, reviewer); every route reads and writes that tenant’s ' +
          'records only.',
      },
    },
    schemas: { Error: inputJsonSchema(ErrorSchema) },
    headers,
    responses: SHARED_RESPONSES,
  };
}
