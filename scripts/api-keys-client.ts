// API keys as the scripts, the demo, the e2e tests and the benchmarks use them:
//   authHeaders(key)          the `Authorization: Bearer …` header of every request
//   createApiKey(…)           POST /v1/api-keys with an admin key → the new key (shown only this once)
//   tenantKeys(…)             keys for a fresh tenant, made with the platform admin key: one with every
//                             role (admin, operator, reviewer at level 3), for a caller that plays them all
//   localKey(name)            a key `npm start` wrote to .sandbox/ (`admin-key`, `platform-key`)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallerRole } from '../functions/core/auth/caller.ts';

const SANDBOX_DIR = fileURLToPath(new URL('../.sandbox/', import.meta.url));

export function authHeaders(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

export interface ApiKeyRequest {
  name: string;
  roles: CallerRole[];
  reviewerLevel?: number;
  tenantId?: string;
}

export interface CreatedApiKey {
  keyId: string;
  key: string;
  tenantId: string;
  roles: CallerRole[];
  reviewerLevel: number | null;
}

export async function createApiKey(
  apiUrl: string,
  adminKey: string,
  request: ApiKeyRequest,
): Promise<CreatedApiKey> {
  const response = await fetch(`${apiUrl}/v1/api-keys`, {
    method: 'POST',
    headers: { ...authHeaders(adminKey), 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /v1/api-keys answered ${response.status}: ${text}`);
  return JSON.parse(text) as CreatedApiKey;
}

/** A key with every role (reviewer at the highest level) for `tenantId`, made by a platform admin. */
export async function allRolesKey(apiUrl: string, platformKey: string, tenantId: string): Promise<string> {
  const created = await createApiKey(apiUrl, platformKey, {
    tenantId,
    name: `${tenantId}-admin`,
    roles: ['admin', 'operator', 'reviewer'],
    reviewerLevel: 3,
  });
  return created.key;
}

/**
 * The key `npm start` wrote to `.sandbox/<file>`, or the environment's when `variable` is set — an error
 * saying how to get one otherwise.
 */
export function localKey(file: 'admin-key' | 'platform-key', variable: string): string {
  const fromEnvironment = process.env[variable];
  if (fromEnvironment) return fromEnvironment.trim();
  const path = join(SANDBOX_DIR, file);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new Error(`no API key: set ${variable}, or start the sandbox (npm start), which writes ${path}`);
  }
}
