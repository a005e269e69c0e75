// The routes of the audit API (docs/backend.md "Audit trail"), scoped to the caller's tenant:
//   GET /v1/audit          the tenant's audit records, filtered and paged (audit-listing.ts)
//   GET /v1/audit/verify   verification of the tenant's trail (verify-audit-trail.ts)
import type { Caller } from '../../core/auth/caller.ts';
import { listAuditRecords } from '../../data/audit-listing.ts';
import { validationFailed } from '../../http/api-error.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../http/http-api-event.ts';
import type { RouteHandler } from '../../http/http-router.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { queryParameters } from '../../http/query-parameters.ts';
import { ListAuditQuerySchema, VerifyAuditQuerySchema } from './audit-queries.ts';
import { auditRecordView } from './audit-record-view.ts';
import {
  FromSequenceBeyondHeadError,
  type VerifyAuditDependencies,
  verifyAuditTrail,
} from './verify-audit-trail.ts';

function listAuditRoute(deps: VerifyAuditDependencies): RouteHandler {
  return async (event: HttpApiEvent, { tenantId }: Caller): Promise<HttpApiResponse> => {
    const { limit, nextToken, ...filter } = queryParameters(event, ListAuditQuerySchema);
    const page = await listAuditRecords(deps.client, deps.table, tenantId, filter, { limit, nextToken });
    return jsonResponse(200, { items: page.items.map(auditRecordView), nextToken: page.nextToken ?? null });
  };
}

function verifyAuditRoute(deps: VerifyAuditDependencies): RouteHandler {
  return async (event: HttpApiEvent, { tenantId }: Caller): Promise<HttpApiResponse> => {
    const query = queryParameters(event, VerifyAuditQuerySchema);
    try {
      return jsonResponse(200, await verifyAuditTrail(deps, tenantId, query));
    } catch (error) {
      if (error instanceof FromSequenceBeyondHeadError) {
        throw validationFailed([{ field: 'queryStringParameters.fromSequence', message: error.message }]);
      }
      throw error;
    }
  };
}

/** Every route of the API, keyed as routeRequest dispatches: the handler's wiring, and the tests'. */
export function auditRoutes(deps: VerifyAuditDependencies): Record<string, RouteHandler> {
  return {
    'GET /v1/audit': listAuditRoute(deps),
    'GET /v1/audit/verify': verifyAuditRoute(deps),
  };
}
