// POST /v1/agents/{id}/memories, GET /v1/agents/{id}/memories?query=&layer=&limit=,
// DELETE /v1/agents/{id}/memories/{memoryId}: an agent's short- and long-term memory (docs/backend.md
// "Memory"). Writing and deleting need the operator role; any key of the tenant may recall.
// Environment: AGENTS_TABLE, MEMORY_TABLE, EMBEDDER (JSON, default local).
import { randomBytes } from 'node:crypto';
import { AgentIdSchema } from '../app/agents/agent-id.ts';
import {
  forgetMemory,
  type MemoriesServiceDependencies,
  recallForAgent,
  rememberForAgent,
} from '../app/memory/memories-service.ts';
import { MemoryIdSchema, RecallQuerySchema, RememberBodySchema } from '../app/memory/memory-request.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { UuidV7Generator } from '../core/intents/uuidv7.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { routeRequest } from '../http/http-router.ts';
import { jsonResponse } from '../http/json-response.ts';
import { pathParameter } from '../http/path-parameters.ts';
import { queryParameters } from '../http/query-parameters.ts';
import { parseBody } from '../http/request-body.ts';
import { requireRole } from '../http/request-caller.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { embedderFromEnvironment } from '../providers/create-embedder.ts';

const uuids = new UuidV7Generator({ nowMs: Date.now, randomBytes });
const dependencies: MemoriesServiceDependencies = {
  client: documentClient(),
  agentsTable: tableName('agents'),
  memoryTable: tableName('memory'),
  embedder: embedderFromEnvironment(),
  clock: Date.now,
  newUuid: () => uuids.next(),
};

export const handler = observedHandler(
  routeRequest(
    {
      'POST /v1/agents/{id}/memories': async (event, caller) => {
        requireRole(caller, 'operator', 'remembering for an agent');
        const agentId = pathParameter(event, 'id', AgentIdSchema);
        const body = parseBody(event, RememberBodySchema);
        return jsonResponse(
          201,
          await rememberForAgent(dependencies, { tenantId: caller.tenantId, agentId, body }),
        );
      },
      'GET /v1/agents/{id}/memories': async (event, { tenantId }) => {
        const agentId = pathParameter(event, 'id', AgentIdSchema);
        const query = queryParameters(event, RecallQuerySchema);
        return jsonResponse(200, await recallForAgent(dependencies, { tenantId, agentId, query }));
      },
      'DELETE /v1/agents/{id}/memories/{memoryId}': async (event, caller) => {
        requireRole(caller, 'operator', 'deleting a memory');
        const agentId = pathParameter(event, 'id', AgentIdSchema);
        const memoryId = pathParameter(event, 'memoryId', MemoryIdSchema);
        await forgetMemory(dependencies, { tenantId: caller.tenantId, agentId, memoryId });
        return { statusCode: 204, headers: {}, body: '' };
      },
    },
    tenantApiRateLimitFromEnvironment(),
  ),
);
