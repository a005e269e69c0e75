// The routes of the escalations API (docs/backend.md "Escalations"):
//   GET  /v1/escalations               the tenant's escalations of one status, oldest first, paged
//   GET  /v1/escalations/{id}          one of the tenant's escalations, 404 for any other
//   POST /v1/escalations/{id}/approve  a reviewer's approval (review-escalation.ts)
//   POST /v1/escalations/{id}/reject   a reviewer's rejection, with a reason

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../../core/auth/caller.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../http/http-api-event.ts';
import type { RouteHandler } from '../../http/http-router.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { pathParameter } from '../../http/path-parameters.ts';
import { queryParameters } from '../../http/query-parameters.ts';
import { EscalationIdSchema } from './escalation-id.ts';
import { escalationView } from './escalation-view.ts';
import { listTenantEscalations } from './escalations-repository.ts';
import { ListEscalationsQuerySchema } from './list-escalations-query.ts';
import { type ReviewDependencies, requireTenantEscalation, reviewEscalation } from './review-escalation.ts';
import { type ReviewVerdict, reviewRequest } from './review-request.ts';

interface EscalationReadDependencies {
  client: DynamoDBDocumentClient;
  escalationsTable: string;
}

function listEscalationsRoute(deps: EscalationReadDependencies): RouteHandler {
  return async (event: HttpApiEvent, { tenantId }: Caller): Promise<HttpApiResponse> => {
    const query = queryParameters(event, ListEscalationsQuerySchema);
    const page = await listTenantEscalations(deps.client, deps.escalationsTable, tenantId, query);
    return jsonResponse(200, { items: page.items.map(escalationView), nextToken: page.nextToken ?? null });
  };
}

function getEscalationRoute(deps: EscalationReadDependencies): RouteHandler {
  return async (event: HttpApiEvent, { tenantId }: Caller): Promise<HttpApiResponse> => {
    const escalationId = pathParameter(event, 'id', EscalationIdSchema);
    const item = await requireTenantEscalation(deps.client, deps.escalationsTable, tenantId, escalationId);
    return jsonResponse(200, escalationView(item));
  };
}

function reviewEscalationRoute(deps: ReviewDependencies, kind: ReviewVerdict['kind']): RouteHandler {
  return async (event: HttpApiEvent, caller: Caller): Promise<HttpApiResponse> =>
    jsonResponse(200, await reviewEscalation(deps, reviewRequest(event, caller, kind)));
}

/** Every route of the API, keyed as routeRequest dispatches: the handler's wiring, and the tests'. */
export function escalationsRoutes(deps: ReviewDependencies): Record<string, RouteHandler> {
  const reads = { client: deps.client, escalationsTable: deps.tables.escalations };
  return {
    'GET /v1/escalations': listEscalationsRoute(reads),
    'GET /v1/escalations/{id}': getEscalationRoute(reads),
    'POST /v1/escalations/{id}/approve': reviewEscalationRoute(deps, 'approve'),
    'POST /v1/escalations/{id}/reject': reviewEscalationRoute(deps, 'reject'),
  };
}
