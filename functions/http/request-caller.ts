// The caller of a request, from the API-key authorizer's context and nothing else (docs/backend.md
// "Identity and access"). The authorizer answers every request it is asked about with isAuthorized
// true, and marks a request whose key is missing, malformed, unknown, revoked or expired as
// unauthenticated with the reason: API Gateway itself could only answer such a request with a bare
// 403 `{"message":"Forbidden"}`, while a client needs a 401 telling it to fix its key (RFC 9110), and a
// 403 that names the role it lacks. So the refusal is made here, once, by the router, before any route
// runs; a request with no authorizer context at all (a route wired without the authorizer) is refused too.
import {
  type Caller,
  type CallerRole,
  callerFromContext,
  hasRole,
  isPlatformAdmin,
} from '../core/auth/caller.ts';
import { ApiError } from './api-error.ts';
import type { HttpApiEvent } from './http-api-event.ts';

export const AUTHORIZATION_FIELD = 'headers.authorization';

/** Why the authorizer refused a key; the 401's message says which. */
export const UNAUTHENTICATED_REASONS = {
  missing_key: 'send an API key as `Authorization: Bearer tg_…`',
  malformed_key: 'the API key is not a trustgate key (tg_<env>_…) or its checksum is wrong',
  wrong_env: 'the API key belongs to another deployment stage',
  unknown_key: 'the API key is not known',
  revoked_key: 'the API key was revoked',
  expired_key: 'the API key has expired',
} as const;
export type UnauthenticatedReason = keyof typeof UNAUTHENTICATED_REASONS;

export function requestCaller(event: HttpApiEvent): Caller {
  const context = event.requestContext.authorizer?.lambda;
  const caller = callerFromContext(context);
  if (caller) return caller;
  const reason = context?.reason;
  throw unauthenticated(
    typeof reason === 'string' && reason in UNAUTHENTICATED_REASONS
      ? (reason as UnauthenticatedReason)
      : 'missing_key',
  );
}

export function unauthenticated(reason: UnauthenticatedReason): ApiError {
  const message = UNAUTHENTICATED_REASONS[reason];
  return new ApiError(401, reason, message, [{ field: AUTHORIZATION_FIELD, message }], {
    'www-authenticate': 'Bearer realm="trustgate"',
  });
}

/** 403 naming the role the route needs, unless the caller has it (an admin has every operator right). */
export function requireRole(caller: Caller, role: CallerRole, action: string): void {
  if (hasRole(caller, role)) return;
  throw forbidden(
    `${action} needs the ${role} role`,
    `this key's roles: ${caller.roles.join(', ') || 'none'}`,
  );
}

/** 403 unless the caller is an admin of the platform tenant (operations that span every tenant). */
export function requirePlatformAdmin(caller: Caller, action: string): void {
  if (isPlatformAdmin(caller)) return;
  throw forbidden(
    `${action} needs the admin role of the platform tenant`,
    `this key is ${caller.roles.join(', ') || 'no role'} of tenant ${caller.tenantId}`,
  );
}

export function forbidden(message: string, detail: string): ApiError {
  return new ApiError(403, 'forbidden', message, [{ field: AUTHORIZATION_FIELD, message: detail }]);
}
