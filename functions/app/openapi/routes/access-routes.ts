// Identity and access (api-keys.handler.ts): API keys (api-key-routes.ts, issue-api-key.ts) and each
// tenant's rate-limit plan (tenant-plan-routes.ts).

import { KeyIdSchema as ApiKeyIdSchema, ListApiKeysQuerySchema } from '../../auth/api-key-routes.ts';
import { ApiKeyRequestSchema } from '../../auth/issue-api-key.ts';
import { TenantIdSchema } from '../../auth/tenant-id.ts';
import { TenantPlanRequestSchema as TenantPlanBodySchema } from '../../rate-limit/tenant-plan-routes.ts';
import { describedObject, pageOf } from '../response-shapes.ts';
import type { RouteDoc } from '../route-doc.ts';
import {
  BAD_BODY,
  BAD_BODY_OR_PARAMETERS,
  BAD_PAGE,
  BAD_PARAMETERS,
  lacksRole,
  NOT_PLATFORM_ADMIN,
} from './error-descriptions.ts';

const KEY_ID = { schema: ApiKeyIdSchema, description: 'The key’s id: 12 letters and digits.' };
const API_KEY = 'api-key-item.ts `ApiKeyView`: never the key itself, only its prefix.';
const NOT_FOUND =
  '`api_key_not_found`: no key with this id, or one of another tenant (unless the caller is a platform admin).';
const TENANT_PLAN = describedObject(
  'tenant-plan-routes.ts `TenantPlanView`: the plan, the bucket it gives (capacity, refill), who set it when.',
);

export const ACCESS_ROUTES: readonly RouteDoc[] = [
  {
    method: 'POST',
    path: '/v1/api-keys',
    operationId: 'createApiKey',
    summary: 'Create an API key',
    description:
      'Makes a key of the caller’s tenant (another tenant’s: platform admins only). Roles are distinct; ' +
      '`reviewerLevel` is required with the reviewer role and refused without it; `expiresAt` is in the ' +
      'future, at most 2 years ahead. The answer is the only time the key is shown.',
    tag: 'API keys',
    access: { kind: 'key', role: 'admin' },
    body: { schemas: [ApiKeyRequestSchema], required: true, description: 'The key to make.' },
    success: {
      status: 201,
      description: 'Created.',
      schema: describedObject(`${API_KEY} Plus \`key\`, the key itself.`),
    },
    errors: {
      400: BAD_BODY,
      403: `${lacksRole('admin')} Or \`tenantId\` names another tenant and the key is not a platform admin’s.`,
    },
  },
  {
    method: 'GET',
    path: '/v1/api-keys',
    operationId: 'listApiKeys',
    summary: 'List API keys',
    description: 'The tenant’s keys, paged; a platform admin may name another tenant with `tenantId`.',
    tag: 'API keys',
    access: { kind: 'key', role: 'admin' },
    query: ListApiKeysQuerySchema,
    success: { status: 200, description: 'One page.', schema: pageOf(API_KEY) },
    errors: {
      400: BAD_PAGE,
      403: `${lacksRole('admin')} Or \`tenantId\` names another tenant and the key is not a platform admin’s.`,
    },
  },
  {
    method: 'GET',
    path: '/v1/api-keys/{keyId}',
    operationId: 'getApiKey',
    summary: 'Get an API key',
    description: 'One key of the tenant (any tenant’s, for a platform admin).',
    tag: 'API keys',
    access: { kind: 'key', role: 'admin' },
    pathParameters: { keyId: KEY_ID },
    success: { status: 200, description: 'The key.', schema: describedObject(API_KEY) },
    errors: { 400: BAD_PARAMETERS, 403: lacksRole('admin'), 404: NOT_FOUND },
  },
  {
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    description:
      'Revokes the key: the authorizer refuses it from then on (after at most its cache’s lifetime for a ' +
      'key in use). Revoking a revoked key changes nothing.',
    tag: 'API keys',
    access: { kind: 'key', role: 'admin' },
    pathParameters: { keyId: KEY_ID },
    success: {
      status: 200,
      description: 'Revoked.',
      schema: describedObject(`${API_KEY} Its status REVOKED.`),
    },
    errors: { 400: BAD_PARAMETERS, 403: lacksRole('admin'), 404: NOT_FOUND },
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/plan',
    operationId: 'getTenantPlan',
    summary: 'Get a tenant’s rate-limit plan',
    description:
      'The plan of the caller’s own tenant (any key of it), or of any tenant for a platform admin; the ' +
      'bucket every API request and every agent step of the tenant takes a token from.',
    tag: 'Tenants',
    access: { kind: 'key', role: 'any' },
    pathParameters: { tenantId: { schema: TenantIdSchema, description: 'The tenant’s id.' } },
    success: { status: 200, description: 'The plan.', schema: TENANT_PLAN },
    errors: {
      400: BAD_PARAMETERS,
      404: '`tenant_not_found`: another tenant’s id, for a key that is not a platform admin’s.',
    },
  },
  {
    method: 'PUT',
    path: '/v1/tenants/{tenantId}/plan',
    operationId: 'setTenantPlan',
    summary: 'Set a tenant’s rate-limit plan',
    description: 'Sets the plan of a tenant; a tenant may not raise its own limit.',
    tag: 'Tenants',
    access: { kind: 'key', role: 'platform-admin' },
    pathParameters: { tenantId: { schema: TenantIdSchema, description: 'The tenant’s id.' } },
    body: { schemas: [TenantPlanBodySchema], required: true, description: 'The plan.' },
    success: { status: 200, description: 'Set.', schema: TENANT_PLAN },
    errors: { 400: BAD_BODY_OR_PARAMETERS, 403: NOT_PLATFORM_ADMIN },
  },
];
