// A tenant's rate-limit plan (docs/backend.md "Rate limits"):
//   GET /v1/tenants/{tenantId}/plan   the plan and its bucket; any key of that tenant, or a platform admin
//                                     (another tenant's id answers 404, as every cross-tenant read does)
//   PUT /v1/tenants/{tenantId}/plan   {"plan": "default" | "core" | "pro" | "exec"}; platform admin only:
//                                     a tenant may not raise its own limit

import { z } from 'zod';
import { isPlatformAdmin } from '../../core/auth/caller.ts';
import {
  RATE_LIMIT_PLAN_NAMES,
  type RateLimitPlan,
  rateLimitFor,
} from '../../core/rate-limit/rate-limit-plans.ts';
import { notFound } from '../../http/api-error.ts';
import type { RouteHandler } from '../../http/http-router.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { pathParameter } from '../../http/path-parameters.ts';
import { parseBody } from '../../http/request-body.ts';
import { requirePlatformAdmin } from '../../http/request-caller.ts';
import { TenantIdSchema } from '../auth/tenant-id.ts';
import {
  getTenantPlan,
  setTenantPlan,
  type TenantPlanItem,
  type TenantPlansTable,
} from './tenant-plans-repository.ts';

export interface TenantPlanRoutesDependencies {
  plans: TenantPlansTable;
  clock: () => number;
}

export const TenantPlanRequestSchema = z.strictObject({
  plan: z.enum(['default', ...RATE_LIMIT_PLAN_NAMES]),
});

export interface TenantPlanView {
  tenantId: string;
  plan: RateLimitPlan | 'default';
  /** The bucket every API request and every agent step of the tenant takes a token from (one bucket each). */
  rateLimit: { capacity: number; refillTokens: number; refillIntervalMs: number };
  updatedAt: string | null;
  updatedBy: string | null;
}

function tenantPlanView(tenantId: string, item: TenantPlanItem | undefined): TenantPlanView {
  const { capacity, refillTokens, refillIntervalMs } = rateLimitFor(item?.plan);
  return {
    tenantId,
    plan: item?.plan ?? 'default',
    rateLimit: { capacity, refillTokens, refillIntervalMs },
    updatedAt: item?.updatedAt ?? null,
    updatedBy: item?.updatedBy ?? null,
  };
}

export function tenantPlanRoutes(deps: TenantPlanRoutesDependencies): Record<string, RouteHandler> {
  return {
    'GET /v1/tenants/{tenantId}/plan': async (event, caller) => {
      const tenantId = pathParameter(event, 'tenantId', TenantIdSchema);
      if (tenantId !== caller.tenantId && !isPlatformAdmin(caller)) {
        throw notFound('tenant_not_found', `no tenant ${tenantId}`, 'pathParameters.tenantId');
      }
      return jsonResponse(200, tenantPlanView(tenantId, await getTenantPlan(deps.plans, tenantId)));
    },
    'PUT /v1/tenants/{tenantId}/plan': async (event, caller) => {
      requirePlatformAdmin(caller, "changing a tenant's rate-limit plan");
      const tenantId = pathParameter(event, 'tenantId', TenantIdSchema);
      const { plan } = parseBody(event, TenantPlanRequestSchema);
      const item = await setTenantPlan(deps.plans, {
        tenantId,
        plan,
        updatedAt: new Date(deps.clock()).toISOString(),
        updatedBy: caller.keyId,
      });
      return jsonResponse(200, tenantPlanView(tenantId, item));
    },
  };
}
