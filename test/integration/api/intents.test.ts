// POST /v1/intents and GET /v1/agents/{id}/intents/verify against a real DynamoDB Local: the hash chain
// with its conditional writes, recorded decisions, tamper detection and concurrent appends.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainIntegrity } from '../../../functions/app/intents/chain-integrity.ts';
import type { DeclaredIntentView } from '../../../functions/app/intents/intents-service.ts';
import { GENESIS_HASH } from '../../../functions/core/intents/chain.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { agentRegistration } from '../../support/agent-registrations.ts';
import {
  type HttpApiEventOptions,
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from './api-test-environment.ts';

type Handler = (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

let environment: ApiTestEnvironment;
let agentsHandler: Handler;
let intentsHandler: Handler;

const TENANT = 'ledger';
const caller = testCaller(TENANT);

beforeAll(async () => {
  environment = await startApiTestEnvironment('intents-api');
  ({ handler: agentsHandler } = await import('../../../functions/api/agents.handler.ts'));
  ({ handler: intentsHandler } = await import('../../../functions/api/intents.handler.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

function call(routeKey: string, options: HttpApiEventOptions = {}): Promise<HttpApiResponse> {
  const event = httpApiEvent(routeKey, { caller, ...options });
  return (routeKey.includes('/intents') ? intentsHandler : agentsHandler)(event, testLambdaContext);
}

async function registerAgent(agentId: string): Promise<void> {
  const response = await call('POST /v1/agents', {
    body: agentRegistration({ agentId, actions: ['search_web', 'process_data'] }),
  });
  expect(response.statusCode).toBe(201);
}

async function declare(agentId: string, body: Record<string, unknown> = {}): Promise<DeclaredIntentView> {
  const response = await call('POST /v1/intents', {
    body: { agentId, action: 'search_web', resource: { id: 'ai-trends', type: 'topic' }, ...body },
  });
  expect(response.statusCode).toBe(201);
  return responseJson<DeclaredIntentView>(response);
}

async function verify(agentId: string): Promise<ChainIntegrity> {
  const response = await call('GET /v1/agents/{id}/intents/verify', { pathParameters: { id: agentId } });
  expect(response.statusCode).toBe(200);
  return responseJson<ChainIntegrity>(response);
}

describe('intent chain', () => {
  it('appends sequences 1, 2, 3, each linking to the previous hash, and verifies', async () => {
    await registerAgent('chain-1');
    const first = await declare('chain-1', { context: { task: 'Write report on AI trends' } });
    const second = await declare('chain-1', { action: 'process_data' });
    const third = await declare('chain-1');

    expect([first.sequence, second.sequence, third.sequence]).toEqual([1, 2, 3]);
    expect(first.previousHash).toBe(GENESIS_HASH);
    expect(second.previousHash).toBe(first.hash);
    expect(third.previousHash).toBe(second.hash);
    expect(first).toMatchObject({
      decision: 'ALLOW',
      reasons: [{ code: 'permitted' }],
      limits: { maxTokens: 8_000, allowedCapabilities: ['search_web', 'process_data'] },
    });
    expect(await verify('chain-1')).toEqual({ valid: true, length: 3 });
  });

  it('records DENY and ESCALATE like any intent: 201, next sequence, decision stored with the record', async () => {
    await registerAgent('decisions-1');
    const denied = await declare('decisions-1', { action: 'delete_data' });
    expect(denied).toMatchObject({
      sequence: 1,
      decision: 'DENY',
      reasons: [{ code: 'capability_not_declared' }],
    });
    expect(denied).not.toHaveProperty('limits');

    const escalated = await declare('decisions-1', { requiredTier: 'T5' });
    expect(escalated).toMatchObject({
      sequence: 2,
      previousHash: denied.hash,
      decision: 'ESCALATE',
      reasons: [{ code: 'trust_threshold' }],
      escalation: { level: expect.any(Number) },
    });

    const { Item } = await environment.documents.send(
      new GetCommand({
        TableName: environment.tables.intents,
        Key: { chainKey: `${TENANT}#decisions-1`, sequence: 1 },
      }),
    );
    expect(Item).toMatchObject({
      intentId: denied.intentId,
      action: 'delete_data',
      tenantId: TENANT,
      decision: { decision: 'DENY' },
    });
    const agent = await environment.documents.send(
      new GetCommand({
        TableName: environment.tables.agents,
        Key: { tenantId: TENANT, agentId: 'decisions-1' },
      }),
    );
    expect(agent.Item?.chainHead).toEqual({ lastSequence: 2, lastHash: escalated.hash });
    expect(await verify('decisions-1')).toEqual({ valid: true, length: 2 });
  });

  it('names exactly the record whose action was altered directly in DynamoDB', async () => {
    await registerAgent('tampered-1');
    const intents = [];
    for (let i = 0; i < 4; i++) intents.push(await declare('tampered-1'));
    const victim = intents[2]!;

    await environment.documents.send(
      new UpdateCommand({
        TableName: environment.tables.intents,
        Key: { chainKey: `${TENANT}#tampered-1`, sequence: victim.sequence },
        UpdateExpression: 'SET #action = :action',
        ExpressionAttributeNames: { '#action': 'action' },
        ExpressionAttributeValues: { ':action': 'delete_data' },
      }),
    );

    expect(await verify('tampered-1')).toEqual({
      valid: false,
      length: 4,
      brokenAt: { sequence: 3, intentId: victim.intentId, reason: 'hash_mismatch' },
    });
  });

  it('appends 5 concurrent intents as sequences 1…5 with no gap and no overwrite', async () => {
    await registerAgent('concurrent-1');
    const declared = await Promise.all(Array.from({ length: 5 }, () => declare('concurrent-1')));

    expect(declared.map((intent) => intent.sequence).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    const bySequence = [...declared].sort((a, b) => a.sequence - b.sequence);
    bySequence.forEach((intent, index) => {
      expect(intent.previousHash).toBe(index === 0 ? GENESIS_HASH : bySequence[index - 1]!.hash);
    });
    expect(await verify('concurrent-1')).toEqual({ valid: true, length: 5 });
  });

  it('answers 404 for an agent the tenant does not have, on declare and on verify', async () => {
    const declared = await call('POST /v1/intents', {
      body: { agentId: 'ghost', action: 'search_web', resource: { id: 'r', type: 'topic' } },
    });
    expect(declared.statusCode).toBe(404);
    expect(responseError(declared)).toMatchObject({
      code: 'agent_not_found',
      details: [{ field: 'agentId' }],
    });

    await registerAgent('other-tenant-agent');
    const verified = await intentsHandler(
      httpApiEvent('GET /v1/agents/{id}/intents/verify', {
        caller: testCaller('someone-else'),
        pathParameters: { id: 'other-tenant-agent' },
      }),
      testLambdaContext,
    );
    expect(verified.statusCode).toBe(404);
  });

  it('verifies an agent without intents as a valid empty chain', async () => {
    await registerAgent('quiet-1');
    expect(await verify('quiet-1')).toEqual({ valid: true, length: 0 });
  });
});
