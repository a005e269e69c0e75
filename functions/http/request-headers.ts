// Who is calling, until the API-key authorizer lands (docs/backend.md, "Tenancy"):
//   X-Trustgate-Tenant  the tenant every record is scoped to; `default` when absent
//   X-Trustgate-Role    admin | operator | reviewer; absent means no role
// Both are validated: a malformed tenant could otherwise smuggle the `#` that separates key parts
// (`<tenantId>#<agentId>`), and an unknown role is a caller's mistake worth naming rather than ignoring.
import { ApiError } from './api-error.ts';
import type { HttpApiEvent } from './http-api-event.ts';

export const TENANT_HEADER = 'x-trustgate-tenant';
export const ROLE_HEADER = 'x-trustgate-role';
export const DEFAULT_TENANT = 'default';

/** Letters, digits, `-` and `_`, starting with a letter or digit, at most 64. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const CALLER_ROLES = ['admin', 'operator', 'reviewer'] as const;
export type CallerRole = (typeof CALLER_ROLES)[number];

/** A header's value whatever the case of its name (API Gateway lowercases them; direct invocations may not). */
export function headerValue(event: HttpApiEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function requestTenant(event: HttpApiEvent): string {
  const tenant = headerValue(event, TENANT_HEADER);
  if (tenant === undefined || tenant === '') return DEFAULT_TENANT;
  if (!TENANT_ID_PATTERN.test(tenant)) {
    throw invalidHeader(TENANT_HEADER, 'letters, digits, - and _ only, at most 64 characters');
  }
  return tenant;
}

export function callerRole(event: HttpApiEvent): CallerRole | undefined {
  const role = headerValue(event, ROLE_HEADER);
  if (role === undefined || role === '') return undefined;
  const known = CALLER_ROLES.find((candidate) => candidate === role);
  if (!known) throw invalidHeader(ROLE_HEADER, `one of ${CALLER_ROLES.join(', ')}`);
  return known;
}

function invalidHeader(header: string, message: string): ApiError {
  const field = `headers.${header}`;
  return new ApiError(400, 'validation_failed', `invalid header ${header}`, [{ field, message }]);
}
