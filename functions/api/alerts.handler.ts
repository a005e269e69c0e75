// GET /v1/alerts (docs/backend.md "Alerts"). Wiring only: the route lives in
// functions/app/alerts/alert-routes.ts.
import { alertsRoutes } from '../app/alerts/alert-routes.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { routeRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';

export const handler = observedHandler(
  routeRequest(
    alertsRoutes({ client: documentClient(), alertsTable: tableName('alerts') }),
    tenantApiRateLimitFromEnvironment(),
  ),
);
