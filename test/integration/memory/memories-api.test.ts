// POST/GET /v1/agents/{id}/memories and DELETE …/memories/{memoryId} through the handler, against a real
// DynamoDB Local: ranking, layers and their bounds, TTL, tenant isolation, roles and refusals.
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRememberOutput, recallForStep } from '../../../functions/app/gate/step-memory.ts';
import {
  type MemoriesServiceDependencies,
  recallForAgent,
  rememberForAgent,
} from '../../../functions/app/memory/memories-service.ts';
import type { MemoryView, RankedMemoryView } from '../../../functions/app/memory/memory-view.ts';
import type { CallerRole } from '../../../functions/core/auth/caller.ts';
import { ExtractiveSummarizer } from '../../../functions/core/budget/extractive-summarizer.ts';
import {
  MAX_LONG_TERM_MEMORIES_PER_AGENT,
  SHORT_TERM_SLOTS_PER_AGENT,
  SHORT_TERM_TTL_MS,
} from '../../../functions/core/memory/memory-limits.ts';
import { agentKey, META_SLOT, memorySlot } from '../../../functions/data/memory-repository.ts';
import { ApiError } from '../../../functions/http/api-error.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { createEmbedder } from '../../../functions/providers/create-embedder.ts';
import { agentRegistration } from '../../support/agent-registrations.ts';
import {
  type HttpApiEventOptions,
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';

type Handler = (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

let environment: ApiTestEnvironment;
let memories: Handler;
let agents: Handler;

beforeAll(async () => {
  environment = await startApiTestEnvironment('memories-api');
  ({ handler: memories } = await import('../../../functions/api/memories.handler.ts'));
  ({ handler: agents } = await import('../../../functions/api/agents.handler.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

function as(tenantId: string, role: CallerRole = 'operator') {
  return { caller: testCaller(tenantId, [role]) };
}

function call(routeKey: string, options: HttpApiEventOptions): Promise<HttpApiResponse> {
  return memories(httpApiEvent(routeKey, options), testLambdaContext);
}

async function registerAgent(tenantId: string, agentId: string): Promise<void> {
  const response = await agents(
    httpApiEvent('POST /v1/agents', { ...as(tenantId), body: agentRegistration({ agentId }) }),
    testLambdaContext,
  );
  expect(response.statusCode).toBe(201);
}

async function remember(
  tenantId: string,
  agentId: string,
  body: Record<string, unknown>,
): Promise<MemoryView> {
  const response = await call('POST /v1/agents/{id}/memories', {
    ...as(tenantId),
    pathParameters: { id: agentId },
    body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return responseJson<MemoryView>(response);
}

async function recall(
  tenantId: string,
  agentId: string,
  query: Record<string, string> = {},
): Promise<{ memories: RankedMemoryView[]; considered: number; embedder: string }> {
  const response = await call('GET /v1/agents/{id}/memories', {
    ...as(tenantId, 'reviewer'),
    pathParameters: { id: agentId },
    queryStringParameters: query,
  });
  expect(response.statusCode, response.body).toBe(200);
  return responseJson(response);
}

function storedItem(tenantId: string, agentId: string, slot: string) {
  return environment.documents
    .send(
      new GetCommand({
        TableName: environment.tables.memory,
        Key: { agentKey: agentKey(tenantId, agentId), slot },
      }),
    )
    .then((result) => result.Item);
}

describe('remembering and recalling', () => {
  it('stores a long-term memory with its embedding and source, and shows it without the vector', async () => {
    await registerAgent('mem-a', 'research-agent');
    const before = Date.now();
    const memory = await remember('mem-a', 'research-agent', {
      text: 'Battery storage costs for renewable energy fell sharply in 2025.',
      importance: 0.8,
      source: { workflowId: 'wf-1', step: 'research', intentId: 'intent-1' },
    });
    expect(memory).toMatchObject({
      agentId: 'research-agent',
      layer: 'long-term',
      importance: 0.8,
      source: { workflowId: 'wf-1', step: 'research', intentId: 'intent-1' },
      embedder: 'local-hash-v1/256',
      expiresAt: null,
    });
    expect(memory.memoryId).toMatch(/^lt_[0-9a-f]{32}$/);
    expect(Date.parse(memory.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(memory).not.toHaveProperty('vector');

    const item = await storedItem('mem-a', 'research-agent', memorySlot(memory.memoryId)!);
    expect(item?.vector).toBeInstanceOf(Uint8Array);
    expect((item!.vector as Uint8Array).byteLength).toBe(5 + 256);
    expect(item).not.toHaveProperty('expiresAt');
    const meta = await storedItem('mem-a', 'research-agent', META_SLOT);
    expect(meta?.longTermCount).toBe(1);
  });

  it('gives a short-term memory a TTL 24 h after it was written', async () => {
    await registerAgent('mem-ttl', 'writer');
    const memory = await remember('mem-ttl', 'writer', { text: 'Draft sent to legal.', layer: 'short-term' });
    expect(memory.memoryId).toBe('st_1');
    const item = await storedItem('mem-ttl', 'writer', 'short#001');
    expect(item?.memoryId).toBe('st_1');
    expect(item?.expiresAt).toBe(Math.ceil((Date.parse(memory.createdAt) + SHORT_TERM_TTL_MS) / 1000));
    expect(memory.expiresAt).toBe(new Date((item?.expiresAt as number) * 1000).toISOString());
  });

  it('ranks by relevance to the query, filters by layer and honours the limit', async () => {
    await registerAgent('mem-rank', 'analyst');
    const energy = await remember('mem-rank', 'analyst', {
      text: 'Renewable energy storage costs fell as battery factories scaled up.',
    });
    const payroll = await remember('mem-rank', 'analyst', {
      text: 'The payroll run moved to the last Friday of each month.',
    });
    const shortTerm = await remember('mem-rank', 'analyst', {
      text: 'Solar and wind energy storage dominate this week’s questions.',
      layer: 'short-term',
    });

    const ranked = await recall('mem-rank', 'analyst', { query: 'cost of renewable energy storage' });
    expect(ranked.considered).toBe(3);
    expect(ranked.embedder).toBe('local-hash-v1/256');
    expect(ranked.memories.map((memory) => memory.memoryId).at(-1)).toBe(payroll.memoryId);
    expect(ranked.memories[0]!.memoryId).toBe(energy.memoryId);
    const [first, , last] = ranked.memories;
    expect(first!.score.relevance).toBeGreaterThan(last!.score.relevance);
    for (const memory of ranked.memories) {
      expect(memory.score.score).toBeGreaterThanOrEqual(0);
      expect(memory.score.score).toBeLessThanOrEqual(1);
    }

    const longOnly = await recall('mem-rank', 'analyst', { query: 'energy storage', layer: 'long-term' });
    expect(longOnly.memories.map((memory) => memory.memoryId).sort()).toEqual(
      [energy.memoryId, payroll.memoryId].sort(),
    );
    const shortOnly = await recall('mem-rank', 'analyst', { layer: 'short-term' });
    expect(shortOnly.memories.map((memory) => memory.memoryId)).toEqual([shortTerm.memoryId]);
    const limited = await recall('mem-rank', 'analyst', { query: 'energy storage', limit: '1' });
    expect(limited.memories).toHaveLength(1);
    expect(limited.considered).toBe(3);

    // Without a query nothing is relevant: recency and importance decide.
    const unqueried = await recall('mem-rank', 'analyst');
    expect(unqueried.memories.every((memory) => memory.score.relevance === 0)).toBe(true);
  });

  it('leaves expired short-term memories out even while DynamoDB has not deleted them yet', async () => {
    await registerAgent('mem-expired', 'agent-x');
    const live = await remember('mem-expired', 'agent-x', { text: 'live note', layer: 'short-term' });
    const item = await storedItem('mem-expired', 'agent-x', 'short#001');
    await environment.documents.send(
      new PutCommand({
        TableName: environment.tables.memory,
        Item: { ...item, slot: 'short#002', memoryId: 'st_2', expiresAt: Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    const recalled = await recall('mem-expired', 'agent-x');
    expect(recalled.memories.map((memory) => memory.memoryId)).toEqual([live.memoryId]);
    const deleted = await call('DELETE /v1/agents/{id}/memories/{memoryId}', {
      ...as('mem-expired'),
      pathParameters: { id: 'agent-x', memoryId: 'st_2' },
    });
    expect(deleted.statusCode).toBe(404);
  });
});

describe('bounds', () => {
  it(`refuses a long-term memory past ${MAX_LONG_TERM_MEMORIES_PER_AGENT} with 409, and takes one again after a delete`, async () => {
    await registerAgent('mem-full', 'keeper');
    const kept = await remember('mem-full', 'keeper', { text: 'the one fact' });
    await environment.documents.send(
      new UpdateCommand({
        TableName: environment.tables.memory,
        Key: { agentKey: agentKey('mem-full', 'keeper'), slot: META_SLOT },
        UpdateExpression: 'SET longTermCount = :full',
        ExpressionAttributeValues: { ':full': MAX_LONG_TERM_MEMORIES_PER_AGENT },
      }),
    );
    const refused = await call('POST /v1/agents/{id}/memories', {
      ...as('mem-full'),
      pathParameters: { id: 'keeper' },
      body: { text: 'one fact too many' },
    });
    expect(refused.statusCode).toBe(409);
    expect(responseError(refused)).toMatchObject({
      code: 'memory_limit_reached',
      details: [{ field: 'layer' }],
    });
    // Short-term memories are not bounded by the long-term count.
    await remember('mem-full', 'keeper', { text: 'a passing note', layer: 'short-term' });

    const deleted = await call('DELETE /v1/agents/{id}/memories/{memoryId}', {
      ...as('mem-full'),
      pathParameters: { id: 'keeper', memoryId: kept.memoryId },
    });
    expect(deleted.statusCode).toBe(204);
    expect((await storedItem('mem-full', 'keeper', META_SLOT))?.longTermCount).toBe(
      MAX_LONG_TERM_MEMORIES_PER_AGENT - 1,
    );
    await remember('mem-full', 'keeper', { text: 'room again' });
  });

  it(`keeps at most ${SHORT_TERM_SLOTS_PER_AGENT} short-term memories: the next one overwrites the oldest`, async () => {
    await registerAgent('mem-ring', 'note-taker');
    const oldest = await remember('mem-ring', 'note-taker', { text: 'first note', layer: 'short-term' });
    const second = await remember('mem-ring', 'note-taker', { text: 'second note', layer: 'short-term' });
    // As if 998 more had been written since: the ring is full and the next write wraps to slot 001.
    await environment.documents.send(
      new UpdateCommand({
        TableName: environment.tables.memory,
        Key: { agentKey: agentKey('mem-ring', 'note-taker'), slot: META_SLOT },
        UpdateExpression: 'SET shortTermSequence = :sequence',
        ExpressionAttributeValues: { ':sequence': SHORT_TERM_SLOTS_PER_AGENT },
      }),
    );
    const wrapped = await remember('mem-ring', 'note-taker', { text: 'newest note', layer: 'short-term' });
    expect(wrapped.memoryId).toBe(`st_${SHORT_TERM_SLOTS_PER_AGENT + 1}`);
    const listed = await recall('mem-ring', 'note-taker');
    expect(listed.memories.map((memory) => memory.memoryId).sort()).toEqual(
      [second.memoryId, wrapped.memoryId].sort(),
    );
    const gone = await call('DELETE /v1/agents/{id}/memories/{memoryId}', {
      ...as('mem-ring'),
      pathParameters: { id: 'note-taker', memoryId: oldest.memoryId },
    });
    expect(gone.statusCode).toBe(404);
  });
});

describe('isolation, roles and refusals', () => {
  beforeAll(() => registerAgent('mem-bad', 'research-agent'));

  it("answers 404 for another tenant's agent and memory, on every route", async () => {
    await registerAgent('mem-owner', 'secret-agent');
    const secret = await remember('mem-owner', 'secret-agent', { text: 'owner-only fact' });
    const routes: [string, HttpApiEventOptions][] = [
      ['GET /v1/agents/{id}/memories', { pathParameters: { id: 'secret-agent' } }],
      [
        'POST /v1/agents/{id}/memories',
        { pathParameters: { id: 'secret-agent' }, body: { text: 'planted' } },
      ],
      [
        'DELETE /v1/agents/{id}/memories/{memoryId}',
        { pathParameters: { id: 'secret-agent', memoryId: secret.memoryId } },
      ],
    ];
    for (const [route, options] of routes) {
      const response = await call(route, { ...as('mem-intruder'), ...options });
      expect(response.statusCode, route).toBe(404);
      expect(responseError(response)).toMatchObject({
        code: 'agent_not_found',
        details: [{ field: 'pathParameters.id' }],
      });
    }
    const mine = await recall('mem-owner', 'secret-agent');
    expect(mine.memories.map((memory) => memory.text)).toEqual(['owner-only fact']);
  });

  it('needs the operator role to write or delete, and any role to recall', async () => {
    await registerAgent('mem-roles', 'agent-r');
    for (const [route, options] of [
      ['POST /v1/agents/{id}/memories', { pathParameters: { id: 'agent-r' }, body: { text: 'x' } }],
      ['DELETE /v1/agents/{id}/memories/{memoryId}', { pathParameters: { id: 'agent-r', memoryId: 'st_1' } }],
    ] as [string, HttpApiEventOptions][]) {
      const response = await call(route, { ...as('mem-roles', 'reviewer'), ...options });
      expect(response.statusCode, route).toBe(403);
      expect(responseError(response).message).toContain('operator role');
    }
    await recall('mem-roles', 'agent-r');
  });

  it.each([
    [{ text: '' }, 'text'],
    [{ text: 'x'.repeat(40_000) }, 'text'],
    [{ text: 'word '.repeat(1_100) }, 'text'],
    [{ text: 'ok', layer: 'working' }, 'layer'],
    [{ text: 'ok', importance: 1.5 }, 'importance'],
    [{ text: 'ok', source: { workflowId: 'has space' } }, 'source.workflowId'],
    [{ text: 'ok', embedding: [1, 2] }, 'embedding'],
  ])('refuses the body %j with 400 naming %s, and stores nothing', async (body, field) => {
    const response = await call('POST /v1/agents/{id}/memories', {
      ...as('mem-bad'),
      pathParameters: { id: 'research-agent' },
      body,
    });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details.map((detail) => detail.field)).toContain(field);
    expect(await storedItem('mem-bad', 'research-agent', META_SLOT)).toBeUndefined();
  });

  it.each([
    [{ limit: '0' }, 'queryStringParameters.limit'],
    [{ limit: '101' }, 'queryStringParameters.limit'],
    [{ layer: 'episodic' }, 'queryStringParameters.layer'],
    [{ query: '' }, 'queryStringParameters.query'],
    [{ sort: 'desc' }, 'queryStringParameters'],
  ])('refuses the query %j with 400 naming %s', async (query, field) => {
    const response = await call('GET /v1/agents/{id}/memories', {
      ...as('mem-bad'),
      pathParameters: { id: 'any-agent' },
      queryStringParameters: query,
    });
    expect(response.statusCode).toBe(400);
    expect(
      responseError(response)
        .details.map((detail) => detail.field)
        .join(' '),
    ).toContain(field);
  });

  it('refuses a memory id this API never issues with 400', async () => {
    const response = await call('DELETE /v1/agents/{id}/memories/{memoryId}', {
      ...as('mem-bad'),
      pathParameters: { id: 'any-agent', memoryId: 'lt_nothex' },
    });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details[0]?.field).toBe('pathParameters.memoryId');
  });
});

describe('when the embedder fails', () => {
  // Nothing listens on the discard port: a real connection failure, as with the embedding service down.
  const unreachable = createEmbedder({
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:9/v1',
    model: 'text-embedding-3-small',
  });

  function serviceDeps(): MemoriesServiceDependencies {
    return {
      client: environment.documents,
      agentsTable: environment.tables.agents,
      memoryTable: environment.tables.memory,
      embedder: unreachable,
      clock: Date.now,
      newUuid: randomUUID,
    };
  }

  it('answers 503 embedder_unavailable with Retry-After, and writes nothing', async () => {
    await registerAgent('mem-down', 'agent-d');
    const failure = await rememberForAgent(serviceDeps(), {
      tenantId: 'mem-down',
      agentId: 'agent-d',
      body: { text: 'a fact', layer: 'long-term', importance: 0.5 },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 503,
      code: 'embedder_unavailable',
      headers: { 'retry-after': '5' },
    });
    expect(await storedItem('mem-down', 'agent-d', META_SLOT)).toBeUndefined();
    const recall = await recallForAgent(serviceDeps(), {
      tenantId: 'mem-down',
      agentId: 'agent-d',
      query: { query: 'a fact', limit: 20 },
    }).catch((error: unknown) => error);
    expect(recall).toMatchObject({ status: 503, code: 'embedder_unavailable' });
  });

  it('lets a step run without memories and without remembering, saying why', async () => {
    const memory = { client: environment.documents, table: environment.tables.memory, embedder: unreachable };
    const recall = await recallForStep(memory, {
      tenantId: 'mem-down',
      agentId: 'agent-d',
      query: 'task',
      now: Date.now(),
    });
    expect(recall.items).toEqual([]);
    expect(recall.unavailable).toMatch(/^the openai embedder failed: .*could not be reached/);
    const plan = await planRememberOutput(memory, new ExtractiveSummarizer(), {
      remember: { layer: 'long-term', importance: 0.5 },
      tenantId: 'mem-down',
      agentId: 'agent-d',
      workflowId: 'wf-1',
      stepName: 'research',
      stepIndex: 0,
      intentId: randomUUID(),
      request: 'task',
      output: 'an output',
      completedAtMs: Date.now(),
      embedTimeoutMs: 5_000,
    });
    expect(plan).toEqual({ items: [], record: { notRemembered: 'embedder_unavailable' } });
  });
});
