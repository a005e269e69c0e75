// GET /v1/audit, GET /v1/audit/verify (docs/backend.md "Audit trail"). Wiring only: the routes live in
// functions/app/audit/audit-routes.ts.

import { auditRoutes } from '../app/audit/audit-routes.ts';
import { MAX_FULL_VERIFY_RECORDS } from '../app/audit/audit-trail-config.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { CHECKPOINT_INTERVAL } from '../core/audit/audit-checkpoint.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { routeRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';

export const handler = observedHandler(
  routeRequest(
    auditRoutes({
      client: documentClient(),
      table: tableName('audit'),
      checkpointInterval: CHECKPOINT_INTERVAL,
      maxRecords: MAX_FULL_VERIFY_RECORDS,
    }),
    tenantApiRateLimitFromEnvironment(),
  ),
);
