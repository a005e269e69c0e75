// Who is calling, until the API-key authorizer lands (docs/backend.md, "Tenancy"):
//   X-Trustgate-Tenant  the tenant every record is scoped to; `default` when absent
//   X-Trustgate-Role    admin | operator | reviewer; absent means no role
//   X-Trustgate-Reviewer-Level  a reviewer's authority level 1…3 (escalation answers)
//   X-Trustgate-Reviewer        who reviews, an identifier; `anonymous` when absent
// All are validated: a malformed tenant could otherwise smuggle the `#` that separates key parts
// (`<tenantId>#<agentId>`), and an unknown role is a caller's mistake worth naming rather than ignoring.
import { MAX_AUTHORITY_LEVEL, MIN_AUTHORITY_LEVEL } from '../core/policy/authority-level.ts';
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

export const REVIEWER_HEADER = 'x-trustgate-reviewer';
export const REVIEWER_LEVEL_HEADER = 'x-trustgate-reviewer-level';
export const DEFAULT_REVIEWER = 'anonymous';

/** Letters, digits and `. _ @ : -`, starting with a letter or digit, at most 128: a user name or an e-mail. */
export const REVIEWER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;

export interface RequestReviewer {
  reviewer: string;
  reviewerLevel: number;
}

/** Who answers an escalation and with which authority; the level is required, the name defaults. */
export function requestReviewer(event: HttpApiEvent): RequestReviewer {
  const level = headerValue(event, REVIEWER_LEVEL_HEADER);
  if (level === undefined || level === '') {
    throw invalidHeader(REVIEWER_LEVEL_HEADER, "required: the reviewer's authority level");
  }
  const reviewerLevel = /^\d+$/.test(level) ? Number(level) : Number.NaN;
  if (!(reviewerLevel >= MIN_AUTHORITY_LEVEL && reviewerLevel <= MAX_AUTHORITY_LEVEL)) {
    throw invalidHeader(
      REVIEWER_LEVEL_HEADER,
      `an integer from ${MIN_AUTHORITY_LEVEL} to ${MAX_AUTHORITY_LEVEL}`,
    );
  }
  const reviewer = headerValue(event, REVIEWER_HEADER);
  if (reviewer === undefined || reviewer === '') return { reviewer: DEFAULT_REVIEWER, reviewerLevel };
  if (!REVIEWER_PATTERN.test(reviewer)) {
    throw invalidHeader(REVIEWER_HEADER, 'letters, digits and . _ @ : - only, at most 128 characters');
  }
  return { reviewer, reviewerLevel };
}

function invalidHeader(header: string, message: string): ApiError {
  const field = `headers.${header}`;
  return new ApiError(400, 'validation_failed', `invalid header ${header}`, [{ field, message }]);
}
