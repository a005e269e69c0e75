// POST /v1/api-keys, GET /v1/api-keys, GET|DELETE /v1/api-keys/{keyId} and GET|PUT
// /v1/tenants/{tenantId}/plan (docs/backend.md "Identity and access", "Rate limits"). Wiring only: the
// routes are functions/app/auth/api-key-routes.ts and functions/app/rate-limit/tenant-plan-routes.ts.
import { apiKeysRoutes } from '../app/auth/api-key-routes.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { tenantPlanRoutes } from '../app/rate-limit/tenant-plan-routes.ts';
import { keyEnvForStage } from '../core/auth/api-key.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { requiredEnvironment } from '../data/required-environment.ts';
import { routeRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';

const client = documentClient();

export const handler = observedHandler(
  routeRequest(
    {
      ...apiKeysRoutes({
        apiKeys: { client, table: tableName('apiKeys') },
        env: keyEnvForStage(requiredEnvironment('STAGE')),
        clock: Date.now,
      }),
      ...tenantPlanRoutes({ plans: { client, table: tableName('gateState') }, clock: Date.now }),
    },
    tenantApiRateLimitFromEnvironment(),
  ),
);
