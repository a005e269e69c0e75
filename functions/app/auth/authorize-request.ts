// The HTTP API Lambda REQUEST authorizer's decision (simple responses, payload 2.0), cached by API
// Gateway per `Authorization` header for the configured TTL. A key is checked in this order, and the
// first failure is the reason the route answers 401 with (request-caller.ts explains why the refusal is
// made there rather than by `isAuthorized: false`):
//   `Authorization: Bearer <key>`            else missing_key / malformed_key
//   format and checksum (no database read)   else malformed_key
//   the key's env is this stage's            else wrong_env
//   the record exists and the SHA-256 matches (constant-time)   else unknown_key (a wrong secret for a
//                                            real keyId is not told apart, so ids cannot be probed)
//   not revoked, not expired                 else revoked_key / expired_key
// An admitted key's context also carries its tenant's rate-limit plan (app/rate-limit), read after the key
// so that a refused key costs one read only.
import { apiKeyMatches, parseApiKey } from '../../core/auth/api-key.ts';
import { callerContext } from '../../core/auth/caller.ts';
import type { UnauthenticatedReason } from '../../http/request-caller.ts';
import { getTenantPlan, type TenantPlansTable } from '../rate-limit/tenant-plans-repository.ts';
import { apiKeyStatus, callerOf } from './api-key-item.ts';
import { type ApiKeysTable, getApiKey } from './api-keys-repository.ts';

export interface AuthorizerEvent {
  headers?: Record<string, string | undefined>;
  identitySource?: string[] | null;
}

export interface SimpleAuthorizerResponse {
  isAuthorized: boolean;
  context: Record<string, string>;
}

export interface AuthorizeDependencies {
  apiKeys: ApiKeysTable;
  /** GateStateTable, where the tenants' rate-limit plans are. */
  plans: TenantPlansTable;
  env: string;
  clock: () => number;
}

const BEARER = /^Bearer +(\S+)$/i;

export async function authorizeRequest(
  deps: AuthorizeDependencies,
  event: AuthorizerEvent,
): Promise<SimpleAuthorizerResponse> {
  const header = authorizationHeader(event);
  if (header === undefined || header.trim() === '') return refused('missing_key');
  const key = BEARER.exec(header.trim())?.[1];
  if (key === undefined) return refused('malformed_key');
  const parsed = parseApiKey(key);
  if (!parsed) return refused('malformed_key');
  if (parsed.env !== deps.env) return refused('wrong_env');
  const item = await getApiKey(deps.apiKeys, parsed.keyId);
  if (!item || !apiKeyMatches(key, item.secretHash)) return refused('unknown_key');
  const status = apiKeyStatus(item, deps.clock());
  if (status === 'REVOKED') return refused('revoked_key');
  if (status === 'EXPIRED') return refused('expired_key');
  const plan = await getTenantPlan(deps.plans, item.tenantId);
  const caller = { ...callerOf(item), ...(plan ? { plan: plan.plan } : {}) };
  return { isAuthorized: true, context: callerContext(caller) };
}

function authorizationHeader(event: AuthorizerEvent): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'authorization') return value;
  }
  return event.identitySource?.[0];
}

function refused(reason: UnauthenticatedReason): SimpleAuthorizerResponse {
  return { isAuthorized: true, context: { authenticated: 'false', reason } };
}
