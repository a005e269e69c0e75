// POST /v1/agents, GET /v1/agents, GET /v1/agents/{id}: the agent registry (docs/backend.md).
import { AgentIdSchema } from '../app/agents/agent-id.ts';
import { parseAgentRegistration } from '../app/agents/agent-registration.ts';
import {
  type AgentsServiceDependencies,
  getAgentView,
  listAgentViews,
  registerAgent,
} from '../app/agents/agents-service.ts';
import { ListAgentsQuerySchema } from '../app/agents/list-agents-query.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { routeRequest } from '../http/http-router.ts';
import { jsonResponse } from '../http/json-response.ts';
import { pathParameter } from '../http/path-parameters.ts';
import { queryParameters } from '../http/query-parameters.ts';
import { parseJsonBody } from '../http/request-body.ts';
import { requireRole } from '../http/request-caller.ts';
import { observedHandler } from '../observability/observed-handler.ts';

const dependencies: AgentsServiceDependencies = {
  client: documentClient(),
  agentsTable: tableName('agents'),
  clock: Date.now,
};

export const handler = observedHandler(
  routeRequest(
    {
      'POST /v1/agents': async (event, caller) => {
        requireRole(caller, 'operator', 'registering an agent');
        const registration = parseAgentRegistration(parseJsonBody(event));
        return jsonResponse(201, await registerAgent(dependencies, { caller, registration }));
      },
      'GET /v1/agents': async (event, { tenantId }) => {
        const query = queryParameters(event, ListAgentsQuerySchema);
        return jsonResponse(200, await listAgentViews(dependencies, { tenantId, ...query }));
      },
      'GET /v1/agents/{id}': async (event, { tenantId }) => {
        const agentId = pathParameter(event, 'id', AgentIdSchema);
        return jsonResponse(200, await getAgentView(dependencies, { tenantId, agentId }));
      },
    },
    tenantApiRateLimitFromEnvironment(),
  ),
);
