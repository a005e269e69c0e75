// The routes of the alerts API (docs/backend.md "Alerts"):
//   GET /v1/alerts?kind=&severity=&since=&limit=&nextToken=   the tenant's alerts, newest first, paged
// Platform-wide alerts (dead-letter queues) are the alerts of tenant `platform`.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../../core/auth/caller.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../http/http-api-event.ts';
import type { RouteHandler } from '../../http/http-router.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { queryParameters } from '../../http/query-parameters.ts';
import { alertView } from './alert-view.ts';
import { listTenantAlerts } from './alerts-repository.ts';
import { ListAlertsQuerySchema } from './list-alerts-query.ts';

export interface AlertReadDependencies {
  client: DynamoDBDocumentClient;
  alertsTable: string;
}

function listAlertsRoute(deps: AlertReadDependencies): RouteHandler {
  return async (event: HttpApiEvent, { tenantId }: Caller): Promise<HttpApiResponse> => {
    const query = queryParameters(event, ListAlertsQuerySchema);
    const page = await listTenantAlerts(deps.client, deps.alertsTable, tenantId, query);
    return jsonResponse(200, { items: page.items.map(alertView), nextToken: page.nextToken ?? null });
  };
}

/** Every route of the API, keyed as routeRequest dispatches: the handler's wiring, and the tests'. */
export function alertsRoutes(deps: AlertReadDependencies): Record<string, RouteHandler> {
  return { 'GET /v1/alerts': listAlertsRoute(deps) };
}
