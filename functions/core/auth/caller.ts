// Who is calling, as the API-key authorizer established it (docs/backend.md "Identity and access"):
// the key's tenant, its roles and, for a reviewer, its authority level. Nothing here comes from a
// header the client wrote; the authorizer passes it to the route functions as its context.
//
//   admin     manages API keys and webhooks, replays dead-letter queues, sets an agent's initialScore;
//             includes everything an operator may do
//   operator  registers agents, starts workflows, declares intents, ingests events
//   reviewer  answers escalations up to its authority level (1…3)
// Any key of a tenant may read that tenant's records. Keys of the `platform` tenant that are admin may
// also manage the keys of every other tenant: that is how a tenant's first key is made.
import { isAuthorityLevel } from '../policy/authority-level.ts';
import { isRateLimitPlan, type RateLimitPlan } from '../rate-limit/rate-limit-plans.ts';

export const CALLER_ROLES = ['admin', 'operator', 'reviewer'] as const;
export type CallerRole = (typeof CALLER_ROLES)[number];

/** The tenant of operators of the deployment itself (platform alerts, other tenants' keys). */
export const PLATFORM_TENANT = 'platform';

/** Letters, digits, `-` and `_`, starting with a letter or digit, at most 64: never the `#` of composite keys. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A key's name, which is also the reviewer an escalation answer records: a user name, an e-mail, a bot. */
export const KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;

export interface Caller {
  tenantId: string;
  keyId: string;
  /** The key's name: who answered, in escalation records. */
  name: string;
  roles: readonly CallerRole[];
  /** Set exactly when `roles` includes reviewer. */
  reviewerLevel?: number;
  /** The tenant's rate-limit plan (SPEC §6); absent for the default bucket. */
  plan?: RateLimitPlan;
}

export function hasRole(caller: Caller, role: CallerRole): boolean {
  if (caller.roles.includes(role)) return true;
  return role === 'operator' && caller.roles.includes('admin');
}

export function isPlatformAdmin(caller: Caller): boolean {
  return caller.tenantId === PLATFORM_TENANT && caller.roles.includes('admin');
}

export function isCallerRole(value: unknown): value is CallerRole {
  return typeof value === 'string' && (CALLER_ROLES as readonly string[]).includes(value);
}

/**
 * The authorizer's context for a caller: flat strings, the shape API Gateway passes through unchanged
 * as `requestContext.authorizer.lambda`.
 */
export type CallerContext = {
  authenticated: 'true';
  tenantId: string;
  keyId: string;
  name: string;
  roles: string;
  reviewerLevel: string;
  /** '' for the default bucket. */
  plan: string;
};

export function callerContext(caller: Caller): CallerContext {
  return {
    authenticated: 'true',
    tenantId: caller.tenantId,
    keyId: caller.keyId,
    name: caller.name,
    roles: caller.roles.join(','),
    reviewerLevel: caller.reviewerLevel === undefined ? '' : String(caller.reviewerLevel),
    plan: caller.plan ?? '',
  };
}

/** The caller a context describes; undefined when it is not a well-formed authenticated context. */
export function callerFromContext(context: Record<string, unknown> | null | undefined): Caller | undefined {
  if (context?.authenticated !== 'true') return undefined;
  const { tenantId, keyId, name, roles, reviewerLevel, plan } = context;
  if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) return undefined;
  if (typeof keyId !== 'string' || typeof name !== 'string' || typeof roles !== 'string') return undefined;
  const parsedRoles = roles === '' ? [] : roles.split(',');
  if (!parsedRoles.every(isCallerRole)) return undefined;
  const caller: Caller = { tenantId, keyId, name, roles: parsedRoles };
  if (typeof reviewerLevel === 'string' && reviewerLevel !== '') {
    const level = Number(reviewerLevel);
    if (!isAuthorityLevel(level)) return undefined;
    caller.reviewerLevel = level;
  }
  if (typeof plan === 'string' && plan !== '') {
    if (!isRateLimitPlan(plan)) return undefined;
    caller.plan = plan;
  }
  return caller;
}
