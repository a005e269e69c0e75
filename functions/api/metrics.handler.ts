// GET /metrics: the analytics consumer's counters and histograms in the Prometheus text format
// (docs/backend.md "Analytics"). Unauthenticated for now; issue #10 puts it behind a key. Wiring only: the
// route lives in functions/app/analytics/metrics-route.ts.
import { metricsRoutes } from '../app/analytics/metrics-route.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { routeRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';

export const handler = observedHandler(
  routeRequest(
    metricsRoutes({ client: documentClient(), analyticsTable: tableName('analytics') }),
    tenantApiRateLimitFromEnvironment(),
  ),
);
