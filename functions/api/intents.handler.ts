// POST /v1/intents, GET /v1/agents/{id}/intents/verify: the intent engine (docs/backend.md, SPEC §3).
import { randomBytes } from 'node:crypto';
import { AgentIdSchema } from '../app/agents/agent-id.ts';
import { type IntentDeclaration, IntentDeclarationSchema } from '../app/intents/intent-declaration.ts';
import {
  declareAgentIntent,
  type IntentsServiceDependencies,
  verifyAgentChain,
} from '../app/intents/intents-service.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { UuidV7Generator } from '../core/intents/uuidv7.ts';
import { PolicyStore } from '../core/policy/policy-store.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { routeRequest } from '../http/http-router.ts';
import { jsonResponse } from '../http/json-response.ts';
import { pathParameter } from '../http/path-parameters.ts';
import { parseBody } from '../http/request-body.ts';
import { requireRole } from '../http/request-caller.ts';
import { observedHandler } from '../observability/observed-handler.ts';

// Built once per execution environment: the Cedar policy set is compiled at cold start, and one UUIDv7
// generator keeps the ids of this environment monotonic.
const intentIds = new UuidV7Generator({ nowMs: Date.now, randomBytes });
const dependencies: IntentsServiceDependencies = {
  client: documentClient(),
  agentsTable: tableName('agents'),
  intentsTable: tableName('intents'),
  policyStore: new PolicyStore({ clock: Date.now }),
  clock: Date.now,
  newIntentId: () => intentIds.next(),
};

export const handler = observedHandler(
  routeRequest(
    {
      'POST /v1/intents': async (event, caller) => {
        requireRole(caller, 'operator', 'declaring an intent');
        const { tenantId } = caller;
        const declaration: IntentDeclaration = parseBody(event, IntentDeclarationSchema);
        return jsonResponse(201, await declareAgentIntent(dependencies, { tenantId, declaration }));
      },
      'GET /v1/agents/{id}/intents/verify': async (event, { tenantId }) => {
        const agentId = pathParameter(event, 'id', AgentIdSchema);
        return jsonResponse(200, await verifyAgentChain(dependencies, { tenantId, agentId }));
      },
    },
    tenantApiRateLimitFromEnvironment(),
  ),
);
