// GET /metrics (docs/backend.md "Analytics"): stored metrics in the Prometheus text format, for a scraper
// that sends an API key (Prometheus `authorization: { credentials_file: … }`). A tenant's key sees its own
// series only; a platform admin's key sees every tenant's, or one with `?tenant=<id>`. Errors (a bad
// `tenant`, a tenant key asking for another tenant) are JSON like every other route's; the 200 is text.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type Caller, isPlatformAdmin } from '../../core/auth/caller.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../http/http-api-event.ts';
import type { RouteHandler } from '../../http/http-router.ts';
import { queryParameters } from '../../http/query-parameters.ts';
import { forbidden } from '../../http/request-caller.ts';
import { TenantIdSchema } from '../auth/tenant-id.ts';
import { PROMETHEUS_CONTENT_TYPE, prometheusExposition } from './prometheus-exposition.ts';
import { readMetricSeries } from './read-metric-series.ts';

export interface MetricsRouteDependencies {
  client: DynamoDBDocumentClient;
  analyticsTable: string;
}

export const MetricsQuerySchema = z.object({
  tenant: TenantIdSchema.optional(),
});

function metricsRoute(deps: MetricsRouteDependencies): RouteHandler {
  return async (event: HttpApiEvent, caller: Caller): Promise<HttpApiResponse> => {
    const query = queryParameters(event, MetricsQuerySchema);
    if (!isPlatformAdmin(caller) && query.tenant !== undefined && query.tenant !== caller.tenantId) {
      throw forbidden(
        "only a platform admin's key reads another tenant's metrics",
        `this key belongs to tenant ${caller.tenantId}`,
      );
    }
    const tenant = isPlatformAdmin(caller) ? query.tenant : caller.tenantId;
    const series = await readMetricSeries(deps.client, deps.analyticsTable, { tenant });
    return {
      statusCode: 200,
      headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' },
      body: await prometheusExposition(series),
    };
  };
}

export function metricsRoutes(deps: MetricsRouteDependencies): Record<string, RouteHandler> {
  return { 'GET /metrics': metricsRoute(deps) };
}
