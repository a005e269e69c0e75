// functions/data/intent-ledger.ts against a real DynamoDB Local: the caller's extra items commit or fail
// together with the intent (how the gate writes its token bucket), and lost races are retried.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialBreakerState } from '../../../functions/core/breaker/breaker-state.ts';
import { validateManifest } from '../../../functions/core/policy/agent-manifest.ts';
import { initialTrustState } from '../../../functions/core/trust/initial-score.ts';
import type { AgentItem } from '../../../functions/data/agent-item.ts';
import {
  type DeclareIntentInput,
  declareIntent,
  readChain,
  type TransactWriteItem,
} from '../../../functions/data/intent-ledger.ts';
import { agentRegistration } from '../../support/agent-registrations.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from './api-test-environment.ts';

let environment: ApiTestEnvironment;
const TENANT = 'ledger-data';
let nextId = 0;

beforeAll(async () => {
  environment = await startApiTestEnvironment('intent-ledger');
});

afterAll(async () => {
  await environment?.stop();
});

async function putAgent(agentId: string): Promise<void> {
  const manifest = validateManifest(agentRegistration({ agentId }).manifest);
  if (!manifest.valid) throw new Error('fixture manifest is invalid');
  const identity = { verificationLevel: 'email', certificate: 'registered' } as const;
  const context = {
    environment: 'development',
    vpcIsolated: false,
    mtls: false,
    managedSecrets: false,
  } as const;
  const item: AgentItem = {
    tenantId: TENANT,
    agentId,
    manifest: manifest.manifest,
    name: agentId,
    role: 'research',
    costPerCall: 0,
    provider: { kind: 'local' },
    identity,
    context,
    trust: initialTrustState({ identity, context }, 0),
    breaker: initialBreakerState(),
    version: 1,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
  };
  await environment.documents.send(new PutCommand({ TableName: environment.tables.agents, Item: item }));
}

function declaration(agentId: string, extraItems?: TransactWriteItem[]): DeclareIntentInput {
  return {
    tables: { agents: environment.tables.agents, intents: environment.tables.intents },
    tenantId: TENANT,
    agentId,
    draft: { action: 'search_web', resource: { id: 'r', type: 'topic' }, context: {} },
    decision: { decision: 'DENY', reasons: [{ code: 'capability_not_declared', message: 'test' }] },
    extraItems,
    ids: { clock: Date.now, newIntentId: () => `intent-${++nextId}` },
  };
}

function bucketPut(key: string, condition?: string): TransactWriteItem {
  return {
    Put: {
      TableName: environment.tables.gateState,
      Item: { key, tokens: 49 },
      ...(condition ? { ConditionExpression: condition } : {}),
    },
  };
}

describe('declareIntent', () => {
  it('commits the caller’s extra items in the same transaction as the intent', async () => {
    await putAgent('with-bucket');
    const { record } = await declareIntent(
      environment.documents,
      declaration('with-bucket', [bucketPut('bucket#a')]),
    );
    expect(record.sequence).toBe(1);
    const bucket = await environment.documents.send(
      new GetCommand({ TableName: environment.tables.gateState, Key: { key: 'bucket#a' } }),
    );
    expect(bucket.Item).toEqual({ key: 'bucket#a', tokens: 49 });
  });

  it('rethrows a cancellation caused by an extra item and writes nothing', async () => {
    await putAgent('bucket-refused');
    const refused = await declareIntent(
      environment.documents,
      declaration('bucket-refused', [bucketPut('bucket#b', 'attribute_exists(tokens)')]),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TransactionCanceledException);
    expect(
      (refused as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code),
    ).toEqual(['None', 'None', 'ConditionalCheckFailed']);
    expect(
      await readChain(environment.documents, environment.tables.intents, TENANT, 'bucket-refused'),
    ).toEqual([]);
    const agent = await environment.documents.send(
      new GetCommand({
        TableName: environment.tables.agents,
        Key: { tenantId: TENANT, agentId: 'bucket-refused' },
      }),
    );
    expect(agent.Item?.chainHead).toBeUndefined();
  });

  it('re-reads the head and appends after a stale head instead of overwriting', async () => {
    await putAgent('stale-head');
    const first = await declareIntent(environment.documents, declaration('stale-head'));
    const second = await declareIntent(environment.documents, {
      ...declaration('stale-head'),
      knownHead: { chainHead: undefined },
    });
    expect(second.record).toMatchObject({ sequence: 2, previousHash: first.record.hash });
  });
});
