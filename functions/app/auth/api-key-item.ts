// An API key as stored (ApiKeysTable, keyed by keyId) and as the API shows it. The key itself is never
// stored or shown again after creation: only its SHA-256 (core/auth/api-key.ts).
import { apiKeyPrefix } from '../../core/auth/api-key.ts';
import type { Caller, CallerRole } from '../../core/auth/caller.ts';

export interface ApiKeyItem {
  keyId: string;
  tenantId: string;
  /** The stage the key was made for: a key of another stage is refused. */
  env: string;
  /** Who holds the key, and who an escalation answer records as reviewer. */
  name: string;
  roles: CallerRole[];
  /** 1…3, exactly when roles include reviewer. */
  reviewerLevel?: number;
  secretHash: string;
  createdAt: string;
  /** keyId of the key that created this one; `bootstrap` for the first platform key. */
  createdBy: string;
  expiresAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

export interface ApiKeyView {
  keyId: string;
  prefix: string;
  tenantId: string;
  name: string;
  roles: CallerRole[];
  reviewerLevel: number | null;
  status: 'ACTIVE' | 'REVOKED' | 'EXPIRED';
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export function apiKeyStatus(item: ApiKeyItem, nowMs: number): ApiKeyView['status'] {
  if (item.revokedAt !== undefined) return 'REVOKED';
  if (item.expiresAt !== undefined && Date.parse(item.expiresAt) <= nowMs) return 'EXPIRED';
  return 'ACTIVE';
}

export function apiKeyView(item: ApiKeyItem, nowMs: number): ApiKeyView {
  return {
    keyId: item.keyId,
    prefix: apiKeyPrefix(item.env, item.keyId),
    tenantId: item.tenantId,
    name: item.name,
    roles: item.roles,
    reviewerLevel: item.reviewerLevel ?? null,
    status: apiKeyStatus(item, nowMs),
    createdAt: item.createdAt,
    createdBy: item.createdBy,
    expiresAt: item.expiresAt ?? null,
    revokedAt: item.revokedAt ?? null,
  };
}

export function callerOf(item: ApiKeyItem): Caller {
  return {
    tenantId: item.tenantId,
    keyId: item.keyId,
    name: item.name,
    roles: item.roles,
    ...(item.reviewerLevel === undefined ? {} : { reviewerLevel: item.reviewerLevel }),
  };
}
