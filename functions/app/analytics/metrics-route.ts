// GET /metrics (docs/backend.md "Analytics"): every stored metric in the Prometheus text format, for a
// scraper; `?tenant=<id>` keeps only that tenant's series. Unauthenticated until the API-key issue (#10)
// puts it behind a key of its own. Errors (a bad `tenant`) are JSON like every other route's, through
// routeRequest; the 200 is text.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { HttpApiEvent, HttpApiResponse } from '../../http/http-api-event.ts';
import type { RouteHandler } from '../../http/http-router.ts';
import { queryParameters } from '../../http/query-parameters.ts';
import { TENANT_ID_PATTERN } from '../../http/request-headers.ts';
import { PROMETHEUS_CONTENT_TYPE, prometheusExposition } from './prometheus-exposition.ts';
import { readMetricSeries } from './read-metric-series.ts';

export interface MetricsRouteDependencies {
  client: DynamoDBDocumentClient;
  analyticsTable: string;
}

const MetricsQuerySchema = z.object({
  tenant: z
    .string()
    .regex(TENANT_ID_PATTERN, 'letters, digits, - and _ only, at most 64 characters')
    .optional(),
});

function metricsRoute(deps: MetricsRouteDependencies): RouteHandler {
  return async (event: HttpApiEvent): Promise<HttpApiResponse> => {
    const query = queryParameters(event, MetricsQuerySchema);
    const series = await readMetricSeries(deps.client, deps.analyticsTable, query);
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
