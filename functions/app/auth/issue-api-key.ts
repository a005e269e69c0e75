// Making a key: `POST /v1/api-keys` and the bootstrap of a deployment's first platform admin key share
// this, so a key made either way has the same shape and rules.
//   { name, roles, reviewerLevel?, tenantId?, expiresAt? }
//   name           who holds it: letters, digits and . _ @ : - (≤ 128); recorded as the reviewer of answers
//   roles          1…3 distinct of admin, operator, reviewer
//   reviewerLevel  1…3, required with the reviewer role and refused without it
//   tenantId       another tenant than the caller's: only a platform admin (the default is the caller's)
//   expiresAt      an ISO 8601 instant in the future, at most 2 years ahead; absent: never expires

import { z } from 'zod';
import { generateApiKey } from '../../core/auth/api-key.ts';
import { CALLER_ROLES, type Caller, isPlatformAdmin, KEY_NAME_PATTERN } from '../../core/auth/caller.ts';
import { MAX_AUTHORITY_LEVEL, MIN_AUTHORITY_LEVEL } from '../../core/policy/authority-level.ts';
import { validationFailed } from '../../http/api-error.ts';
import { forbidden } from '../../http/request-caller.ts';
import type { ApiKeyItem } from './api-key-item.ts';
import { type ApiKeysTable, putApiKey } from './api-keys-repository.ts';
import { TenantIdSchema } from './tenant-id.ts';

const MAX_KEY_LIFETIME_MS = 2 * 366 * 24 * 3600 * 1000;

export const ApiKeyRequestSchema = z
  .strictObject({
    name: z.string().regex(KEY_NAME_PATTERN, 'letters, digits and . _ @ : - only, at most 128 characters'),
    roles: z
      .array(z.enum(CALLER_ROLES))
      .min(1)
      .max(CALLER_ROLES.length)
      .refine((roles) => new Set(roles).size === roles.length, 'roles must be distinct'),
    reviewerLevel: z.number().int().min(MIN_AUTHORITY_LEVEL).max(MAX_AUTHORITY_LEVEL).optional(),
    tenantId: TenantIdSchema.optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((request, context) => {
    const reviewer = request.roles.includes('reviewer');
    if (reviewer && request.reviewerLevel === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['reviewerLevel'],
        message: 'required with the reviewer role',
      });
    }
    if (!reviewer && request.reviewerLevel !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['reviewerLevel'],
        message: 'only a reviewer key has a level',
      });
    }
  });

export type ApiKeyRequest = z.output<typeof ApiKeyRequestSchema>;

export interface IssueApiKeyDependencies {
  apiKeys: ApiKeysTable;
  /** The deployment stage's key env (the `<env>` of `tg_<env>_…`). */
  env: string;
  clock: () => number;
}

/** Stores a new key for `request` and returns the record and the key, which exists nowhere else. */
export async function issueApiKey(
  deps: IssueApiKeyDependencies,
  request: ApiKeyRequest,
  issuer: Caller | 'bootstrap',
): Promise<{ item: ApiKeyItem; key: string }> {
  const nowMs = deps.clock();
  const tenantId = request.tenantId ?? (issuer === 'bootstrap' ? undefined : issuer.tenantId);
  if (tenantId === undefined) throw validationFailed([{ field: 'tenantId', message: 'required' }]);
  if (issuer !== 'bootstrap' && tenantId !== issuer.tenantId && !isPlatformAdmin(issuer)) {
    throw forbidden(
      'only a platform admin makes keys for another tenant',
      `this key belongs to tenant ${issuer.tenantId}`,
    );
  }
  if (request.expiresAt !== undefined) {
    const expiresAtMs = Date.parse(request.expiresAt);
    if (expiresAtMs <= nowMs || expiresAtMs > nowMs + MAX_KEY_LIFETIME_MS) {
      throw validationFailed([
        { field: 'expiresAt', message: 'must be in the future, at most 2 years ahead' },
      ]);
    }
  }
  const generated = generateApiKey(deps.env);
  const item: ApiKeyItem = {
    keyId: generated.keyId,
    tenantId,
    env: deps.env,
    name: request.name,
    roles: request.roles,
    ...(request.reviewerLevel === undefined ? {} : { reviewerLevel: request.reviewerLevel }),
    secretHash: generated.secretHash,
    createdAt: new Date(nowMs).toISOString(),
    createdBy: issuer === 'bootstrap' ? 'bootstrap' : issuer.keyId,
    ...(request.expiresAt === undefined ? {} : { expiresAt: new Date(request.expiresAt).toISOString() }),
  };
  await putApiKey(deps.apiKeys, item);
  return { item, key: generated.key };
}
