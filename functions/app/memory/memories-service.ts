// The memories of one agent behind POST/GET /v1/agents/{id}/memories and DELETE …/memories/{memoryId}.
// Every call first reads the agent in the caller's tenant: an agent of another tenant is a 404 like an
// unknown one, so no route tells whether another tenant's agent or memory exists.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EmbedderError } from '../../core/memory/embedder.ts';
import { encodeVector } from '../../core/memory/vector-codec.ts';
import { getAgent } from '../../data/agents-repository.ts';
import { deleteMemory, MemoryLimitReachedError, putMemory } from '../../data/memory-repository.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import { agentNotFound } from '../agents/agents-service.ts';
import type { RecallQuery, RememberBody } from './memory-request.ts';
import { type MemoryView, memoryView, type RankedMemoryView, rankedMemoryView } from './memory-view.ts';
import { embedTexts, type MemoryDependencies, recallMemories } from './recall-memories.ts';

export interface MemoriesServiceDependencies extends MemoryDependencies {
  agentsTable: string;
  /** A fresh UUIDv7 per call: long-term memory ids. */
  newUuid: () => string;
}

interface AgentAddress {
  tenantId: string;
  agentId: string;
}

async function requireAgent(
  deps: { client: DynamoDBDocumentClient; agentsTable: string },
  { tenantId, agentId }: AgentAddress,
): Promise<void> {
  const agent = await getAgent(deps.client, deps.agentsTable, tenantId, agentId);
  if (!agent) throw agentNotFound(agentId, 'pathParameters.id');
}

export async function rememberForAgent(
  deps: MemoriesServiceDependencies,
  request: AgentAddress & { body: RememberBody },
): Promise<MemoryView> {
  await requireAgent(deps, request);
  const { body } = request;
  const [vector] = await unlessEmbedderFails(() => embedTexts(deps.embedder, [body.text]));
  try {
    const memory = await putMemory(
      deps.client,
      deps.memoryTable,
      {
        tenantId: request.tenantId,
        agentId: request.agentId,
        layer: body.layer,
        text: body.text,
        importance: body.importance,
        ...(body.source === undefined ? {} : { source: body.source }),
        embedderId: deps.embedder.embedderId,
        vector: encodeVector(vector!),
        createdAtMs: deps.clock(),
      },
      deps.newUuid,
    );
    return memoryView(memory);
  } catch (error) {
    if (error instanceof MemoryLimitReachedError) {
      throw new ApiError(409, 'memory_limit_reached', error.message, [
        {
          field: 'layer',
          message: `an agent holds at most ${error.limit} long-term memories; delete some, or remember this one as short-term`,
        },
      ]);
    }
    throw error;
  }
}

export async function recallForAgent(
  deps: MemoriesServiceDependencies,
  request: AgentAddress & { query: RecallQuery },
): Promise<{ memories: RankedMemoryView[]; considered: number; embedder: string }> {
  await requireAgent(deps, request);
  const { query, layer, limit } = request.query;
  const recall = await unlessEmbedderFails(() =>
    recallMemories(deps, {
      tenantId: request.tenantId,
      agentId: request.agentId,
      ...(query === undefined ? {} : { query }),
      ...(layer === undefined ? {} : { layer }),
      limit,
    }),
  );
  return {
    memories: recall.memories.map(({ memory, score }) => rankedMemoryView(memory, score)),
    considered: recall.considered,
    embedder: deps.embedder.embedderId,
  };
}

/**
 * An embedder that fails is the service's trouble, not the caller's: 503 `embedder_unavailable`, with
 * Retry-After when the failure may pass (throttling, timeouts, 5xx), and nothing written.
 */
async function unlessEmbedderFails<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof EmbedderError)) throw error;
    throw new ApiError(
      503,
      'embedder_unavailable',
      `the ${error.embedderKind} embedder failed: ${error.message}`,
      [],
      error.retryable ? { 'retry-after': String(EMBEDDER_RETRY_AFTER_SECONDS) } : {},
    );
  }
}

const EMBEDDER_RETRY_AFTER_SECONDS = 5;

export async function forgetMemory(
  deps: MemoriesServiceDependencies,
  request: AgentAddress & { memoryId: string },
): Promise<void> {
  await requireAgent(deps, request);
  const deleted = await deleteMemory(
    deps.client,
    deps.memoryTable,
    request.tenantId,
    request.agentId,
    request.memoryId,
    deps.clock(),
  );
  if (!deleted) {
    throw notFound(
      'memory_not_found',
      `agent "${request.agentId}" has no memory "${request.memoryId}"`,
      'pathParameters.memoryId',
    );
  }
}
