// The HTTP API's Lambda REQUEST authorizer (docs/backend.md "Identity and access"): an API key in, the
// caller's tenant, roles, reviewer level and rate-limit plan out, as the simple response's context. Wiring only: the
// decision is functions/app/auth/authorize-request.ts.
import { authorizeRequest } from '../app/auth/authorize-request.ts';
import { keyEnvForStage } from '../core/auth/api-key.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { requiredEnvironment } from '../data/required-environment.ts';
import { observedHandler } from '../observability/observed-handler.ts';

const client = documentClient();
const dependencies = {
  apiKeys: { client, table: tableName('apiKeys') },
  plans: { client, table: tableName('gateState') },
  env: keyEnvForStage(requiredEnvironment('STAGE')),
  clock: Date.now,
};

export const handler = observedHandler(async (event: Parameters<typeof authorizeRequest>[1]) =>
  authorizeRequest(dependencies, event),
);
