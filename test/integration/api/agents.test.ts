// POST /v1/agents, GET /v1/agents, GET /v1/agents/{id} against a real DynamoDB Local.

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDetailView, AgentSummaryView } from '../../../functions/app/agents/agent-view.ts';
import type { Caller, CallerRole } from '../../../functions/core/auth/caller.ts';
import { MS_PER_DAY } from '../../../functions/core/trust/elapsed-days.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { agentRegistration, DEFAULT_REGISTRATION_SCORE } from '../../support/agent-registrations.ts';
import {
  type HttpApiEventOptions,
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from './api-test-environment.ts';

let environment: ApiTestEnvironment;
let handler: (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

beforeAll(async () => {
  environment = await startApiTestEnvironment('agents-api');
  ({ handler } = await import('../../../functions/api/agents.handler.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

function call(routeKey: string, options?: HttpApiEventOptions): Promise<HttpApiResponse> {
  return handler(httpApiEvent(routeKey, options), testLambdaContext);
}

/** The caller option of a key of `tenant` with `role` (default operator). */
function tenantKey(tenant: string, role: CallerRole = 'operator'): { caller: Caller } {
  return { caller: testCaller(tenant, [role]) };
}

describe('agent registry', () => {
  it('registers an agent, lists it and reads it with its tier as "T3"', async () => {
    const asTenant = tenantKey('registry');
    const registered = await call('POST /v1/agents', {
      ...asTenant,
      body: agentRegistration({ agentId: 'research-1', actions: ['search_web', 'process_data'] }),
    });
    expect(registered.statusCode).toBe(201);
    expect(registered.headers['content-type']).toBe('application/json');
    const created = responseJson<AgentDetailView>(registered);
    expect(created).toMatchObject({
      agentId: 'research-1',
      score: DEFAULT_REGISTRATION_SCORE,
      tier: 'T3',
      tierName: 'Trusted',
      provider: { kind: 'local' },
    });

    const listed = await call('GET /v1/agents', { ...asTenant });
    expect(listed.statusCode).toBe(200);
    const { agents, nextToken } = responseJson<{ agents: AgentSummaryView[]; nextToken?: string }>(listed);
    expect(nextToken).toBeUndefined();
    expect(agents).toEqual([
      {
        agentId: 'research-1',
        name: 'Agent research-1',
        role: 'research',
        score: DEFAULT_REGISTRATION_SCORE,
        tier: 'T3',
        tierName: 'Trusted',
        costPerCall: 0.02,
        components: { behavioral: 0.5, compliance: 1, identity: 0.4, context: 0.8 },
        lastActivityAt: created.lastActivityAt,
        breaker: { status: 'CLOSED', failureCount: 0, successRate: null, lastFailureAt: null },
      },
    ]);

    const read = await call('GET /v1/agents/{id}', { ...asTenant, pathParameters: { id: 'research-1' } });
    expect(read.statusCode).toBe(200);
    const detail = responseJson<AgentDetailView>(read);
    expect(detail).toMatchObject({ ...agents[0], provider: { kind: 'local' } });
    expect(detail.manifest.capabilities.map((capability) => capability.name)).toEqual([
      'search_web',
      'process_data',
    ]);
    expect(detail.identity).toEqual({ verificationLevel: 'email', certificate: 'registered' });
    expect(detail.context).toEqual({
      environment: 'development',
      vpcIsolated: false,
      mtls: false,
      managedSecrets: false,
    });
  });

  it('applies inactivity decay on read: 28 idle days keep 75 % of the score and drop T3 to T2', async () => {
    const asTenant = tenantKey('decay');
    await call('POST /v1/agents', { ...asTenant, body: agentRegistration({ agentId: 'idle-1' }) });
    const idleSince = Date.now() - 28 * MS_PER_DAY;
    await environment.documents.send(
      new UpdateCommand({
        TableName: environment.tables.agents,
        Key: { tenantId: 'decay', agentId: 'idle-1' },
        UpdateExpression: 'SET trust.lastActivityAt = :idleSince',
        ExpressionAttributeValues: { ':idleSince': idleSince },
      }),
    );

    const read = responseJson<AgentDetailView>(
      await call('GET /v1/agents/{id}', { ...asTenant, pathParameters: { id: 'idle-1' } }),
    );
    expect(read.score).toBeCloseTo(DEFAULT_REGISTRATION_SCORE * 0.75, 3);
    expect(read).toMatchObject({ tier: 'T2', tierName: 'Standard' });
    expect(read.lastActivityAt).toBe(new Date(idleSince).toISOString());
    const listed = responseJson<{ agents: AgentSummaryView[] }>(
      await call('GET /v1/agents', { ...asTenant }),
    );
    expect(listed.agents[0]).toMatchObject({ agentId: 'idle-1', tier: 'T2' });
  });

  it('answers a second registration of the same id with 409 agent_exists and keeps the first', async () => {
    const asTenant = tenantKey('duplicates');
    const first = await call('POST /v1/agents', {
      ...asTenant,
      body: agentRegistration({ agentId: 'twin', costPerCall: 0.01 }),
    });
    expect(first.statusCode).toBe(201);
    const second = await call('POST /v1/agents', {
      ...asTenant,
      body: agentRegistration({ agentId: 'twin', costPerCall: 0.05 }),
    });
    expect(second.statusCode).toBe(409);
    expect(responseError(second)).toMatchObject({
      code: 'agent_exists',
      details: [{ field: 'manifest.identity.agentId' }],
    });
    const kept = responseJson<AgentDetailView>(
      await call('GET /v1/agents/{id}', { ...asTenant, pathParameters: { id: 'twin' } }),
    );
    expect(kept.costPerCall).toBe(0.01);
  });

  it('lets an admin register with an initial score, and refuses anyone else with 403', async () => {
    const body = agentRegistration({ agentId: 'premium', initialScore: 950 });
    const refused = await call('POST /v1/agents', { ...tenantKey('migration', 'operator'), body });
    expect(refused.statusCode).toBe(403);
    expect(responseError(refused).code).toBe('admin_required');

    const admitted = await call('POST /v1/agents', { ...tenantKey('migration', 'admin'), body });
    expect(admitted.statusCode).toBe(201);
    expect(responseJson<AgentDetailView>(admitted)).toMatchObject({
      score: 950,
      tier: 'T5',
      tierName: 'Autonomous',
    });
  });

  it('keeps tenants apart: another tenant neither lists nor reads the agent', async () => {
    await call('POST /v1/agents', {
      ...tenantKey('tenant-a'),
      body: agentRegistration({ agentId: 'private' }),
    });
    const listed = await call('GET /v1/agents', { ...tenantKey('tenant-b') });
    expect(responseJson<{ agents: unknown[] }>(listed).agents).toEqual([]);
    const read = await call('GET /v1/agents/{id}', {
      ...tenantKey('tenant-b'),
      pathParameters: { id: 'private' },
    });
    expect(read.statusCode).toBe(404);
    expect(responseError(read)).toMatchObject({
      code: 'agent_not_found',
      details: [{ field: 'pathParameters.id' }],
    });
  });

  it('pages through a tenant with nextToken and refuses a token issued for another tenant', async () => {
    const asTenant = tenantKey('paging');
    for (const agentId of ['p-1', 'p-2', 'p-3']) {
      await call('POST /v1/agents', { ...asTenant, body: agentRegistration({ agentId }) });
    }
    const first = responseJson<{ agents: AgentSummaryView[]; nextToken?: string }>(
      await call('GET /v1/agents', { ...asTenant, queryStringParameters: { limit: '2' } }),
    );
    expect(first.agents.map((agent) => agent.agentId)).toEqual(['p-1', 'p-2']);
    expect(first.nextToken).toEqual(expect.any(String));

    const rest = responseJson<{ agents: AgentSummaryView[]; nextToken?: string }>(
      await call('GET /v1/agents', {
        ...asTenant,
        queryStringParameters: { limit: '2', nextToken: first.nextToken! },
      }),
    );
    expect(rest.agents.map((agent) => agent.agentId)).toEqual(['p-3']);

    const foreign = await call('GET /v1/agents', {
      ...tenantKey('elsewhere'),
      queryStringParameters: { nextToken: first.nextToken! },
    });
    expect(foreign.statusCode).toBe(400);
    expect(responseError(foreign).details[0]?.field).toBe('queryStringParameters.nextToken');
  });
});
