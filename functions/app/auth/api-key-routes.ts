// The routes of the API-keys API (docs/backend.md "Identity and access"), every one admin only:
//   POST   /v1/api-keys           201 with the view and `key`, the only time the key is shown
//   GET    /v1/api-keys           the tenant's keys, paged (limit 1…100, nextToken); a platform admin may
//                                 name another tenant with `?tenantId=`
//   GET    /v1/api-keys/{keyId}   one key; 404 for a key of another tenant (unless platform admin)
//   DELETE /v1/api-keys/{keyId}   revokes it: 200 with the REVOKED view; the authorizer refuses it from then
//                                 on (after at most the authorizer's cache TTL for a key in use)

import { z } from 'zod';
import { KEY_ID_PATTERN } from '../../core/auth/api-key.ts';
import { type Caller, isPlatformAdmin } from '../../core/auth/caller.ts';
import { type ApiError, notFound } from '../../http/api-error.ts';
import type { RouteHandler } from '../../http/http-router.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { pathParameter } from '../../http/path-parameters.ts';
import { queryParameters } from '../../http/query-parameters.ts';
import { parseBody } from '../../http/request-body.ts';
import { forbidden, requireRole } from '../../http/request-caller.ts';
import { type ApiKeyItem, apiKeyView } from './api-key-item.ts';
import { getApiKey, listApiKeys, revokeApiKey } from './api-keys-repository.ts';
import { ApiKeyRequestSchema, type IssueApiKeyDependencies, issueApiKey } from './issue-api-key.ts';
import { TenantIdSchema } from './tenant-id.ts';

export const KeyIdSchema = z.string().regex(KEY_ID_PATTERN, 'an API key id: 12 letters and digits');

export const ListApiKeysQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
  tenantId: TenantIdSchema.optional(),
});

function apiKeyNotFound(keyId: string): ApiError {
  return notFound('api_key_not_found', `no API key ${keyId}`, 'pathParameters.keyId');
}

/** The key if the caller may manage it: its own tenant's, or any for a platform admin. */
async function manageableKey(
  deps: IssueApiKeyDependencies,
  caller: Caller,
  keyId: string,
): Promise<ApiKeyItem> {
  const item = await getApiKey(deps.apiKeys, keyId);
  if (!item || (item.tenantId !== caller.tenantId && !isPlatformAdmin(caller))) throw apiKeyNotFound(keyId);
  return item;
}

function createApiKeyRoute(deps: IssueApiKeyDependencies): RouteHandler {
  return async (event, caller) => {
    requireRole(caller, 'admin', 'creating an API key');
    const request = parseBody(event, ApiKeyRequestSchema);
    const { item, key } = await issueApiKey(deps, request, caller);
    return jsonResponse(201, { ...apiKeyView(item, deps.clock()), key });
  };
}

function listApiKeysRoute(deps: IssueApiKeyDependencies): RouteHandler {
  return async (event, caller) => {
    requireRole(caller, 'admin', 'listing API keys');
    const { limit, nextToken, tenantId = caller.tenantId } = queryParameters(event, ListApiKeysQuerySchema);
    if (tenantId !== caller.tenantId && !isPlatformAdmin(caller)) {
      throw forbidden(
        "only a platform admin lists another tenant's keys",
        `this key belongs to tenant ${caller.tenantId}`,
      );
    }
    const page = await listApiKeys(deps.apiKeys, tenantId, { limit, ...(nextToken ? { nextToken } : {}) });
    const nowMs = deps.clock();
    return jsonResponse(200, {
      items: page.items.map((item) => apiKeyView(item, nowMs)),
      nextToken: page.nextToken ?? null,
    });
  };
}

function getApiKeyRoute(deps: IssueApiKeyDependencies): RouteHandler {
  return async (event, caller) => {
    requireRole(caller, 'admin', 'reading an API key');
    const keyId = pathParameter(event, 'keyId', KeyIdSchema);
    return jsonResponse(200, apiKeyView(await manageableKey(deps, caller, keyId), deps.clock()));
  };
}

function revokeApiKeyRoute(deps: IssueApiKeyDependencies): RouteHandler {
  return async (event, caller) => {
    requireRole(caller, 'admin', 'revoking an API key');
    const keyId = pathParameter(event, 'keyId', KeyIdSchema);
    const item = await manageableKey(deps, caller, keyId);
    // Revoking a revoked key changes nothing: answer what was read, without a write bound to fail.
    if (item.revokedAt !== undefined) return jsonResponse(200, apiKeyView(item, deps.clock()));
    const revocation = { revokedAt: new Date(deps.clock()).toISOString(), revokedBy: caller.keyId };
    const revoked = await revokeApiKey(deps.apiKeys, keyId, revocation);
    if (!revoked) throw apiKeyNotFound(keyId);
    return jsonResponse(200, apiKeyView(revoked, deps.clock()));
  };
}

/** Every route of the API, keyed as routeRequest dispatches: the handler's wiring, and the tests'. */
export function apiKeysRoutes(deps: IssueApiKeyDependencies): Record<string, RouteHandler> {
  return {
    'POST /v1/api-keys': createApiKeyRoute(deps),
    'GET /v1/api-keys': listApiKeysRoute(deps),
    'GET /v1/api-keys/{keyId}': getApiKeyRoute(deps),
    'DELETE /v1/api-keys/{keyId}': revokeApiKeyRoute(deps),
  };
}
