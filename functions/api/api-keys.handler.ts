// POST /v1/api-keys, GET /v1/api-keys, GET|DELETE /v1/api-keys/{keyId} (docs/backend.md "Identity and
// access"). Wiring only: the routes are functions/app/auth/api-key-routes.ts.
import { apiKeysRoutes } from '../app/auth/api-key-routes.ts';
import { keyEnvForStage } from '../core/auth/api-key.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { requiredEnvironment } from '../data/required-environment.ts';
import { routeRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';

export const handler = observedHandler(
  routeRequest(
    apiKeysRoutes({
      apiKeys: { client: documentClient(), table: tableName('apiKeys') },
      env: keyEnvForStage(requiredEnvironment('STAGE')),
      clock: Date.now,
    }),
  ),
);
