// A consumer that crashes in the middle of a batch loses nothing and applies nothing twice (issue #9).
//
// The trust calculator, the analytics consumer and the audit logger each get a batch of 10 real SQS
// messages. The first invocation "crashes": the Lambda process is gone mid-batch, so nothing is reported
// back and nothing deleted. Its records end in three states, as they would when a runtime dies: done (effect
// and idempotency record complete), effect written but idempotency record still IN_PROGRESS (the crash came
// between the two), and never started. SQS redelivers the whole batch; the second invocation must leave
// exactly 10 effects. The crash is injected around the real processing function (it never returns for the
// records it "dies" on), not into the AWS SDK: every write is DynamoDB Local's.

import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEventMetrics } from '../../../functions/app/analytics/apply-event-metrics.ts';
import { appendAuditEvent } from '../../../functions/app/audit/append-audit-event.ts';
import { applyTrustEvent } from '../../../functions/app/trust/apply-trust-event.ts';
import { CHECKPOINT_INTERVAL } from '../../../functions/core/audit/audit-checkpoint.ts';
import { type BusEvent, newEvent } from '../../../functions/core/events/event-envelope.ts';
import type { AgentItem } from '../../../functions/data/agent-item.ts';
import { createEventConsumer } from '../../../functions/events/event-consumer.ts';
import { exponentialRetryDelay } from '../../../functions/events/retry-later.ts';
import type { LambdaContext } from '../../../functions/observability/observed-handler.ts';
import { buildSqsEvent } from '../../../sandbox/lambda/sqs-lambda-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { REPORT_FLEET, seedAgents } from '../workflows/workflow-fleet.ts';

const REGION = 'us-east-1';
const BATCH = 10;
/** Records 0–3 finish, 4–6 die after their effect (idempotency still IN_PROGRESS), 7–9 die before it. */
const DIES_AFTER_EFFECT = new Set([4, 5, 6]);
const DIES_BEFORE_EFFECT = new Set([7, 8, 9]);

let environment: ApiTestEnvironment;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  environment = await startApiTestEnvironment('crash');
  const config = {
    endpoint: environment.bus.edgeUrl,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sqs = new SQSClient(config);
  dynamodb = new DynamoDBClient(config);
});

afterAll(async () => {
  sqs?.destroy();
  dynamodb?.destroy();
  await environment?.stop();
});

/** A Lambda context whose invocation is about to end: an IN_PROGRESS record it leaves expires at once. */
function dyingContext(): LambdaContext {
  return { awsRequestId: 'crashing', functionName: 'consumer', getRemainingTimeInMillis: () => 1 };
}

const liveContext: LambdaContext = {
  awsRequestId: 'redelivery',
  functionName: 'consumer',
  getRemainingTimeInMillis: () => 30_000,
};

interface Scenario {
  consumer: string;
  effect: (event: BusEvent) => Promise<unknown>;
  /** How many times the batch's events have been applied, read from the consumer's own table. */
  applied: (tenantId: string) => Promise<number>;
}

/** Sends the events' bodies and receives them back as one SQS batch (real receipt handles and counts). */
async function deliverBatch(
  queueUrl: string,
  queueArn: string,
  bodies: string[] | undefined,
): Promise<SQSEvent> {
  if (bodies) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
  }
  const messages: Message[] = [];
  const deadline = Date.now() + 15_000;
  while (messages.length < BATCH && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    messages.push(...Messages);
  }
  expect(messages).toHaveLength(BATCH);
  return buildSqsEvent(messages, queueArn) as unknown as SQSEvent;
}

async function crashThenRedeliver(scenario: Scenario, tenantId: string, events: BusEvent[]): Promise<void> {
  const name = `${scenario.consumer}-${Date.now()}`;
  // Visibility 1 s: the crashed batch is back almost at once, as after a (much longer) real timeout.
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '1' } }),
  );
  const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const queueArn = `arn:aws:sqs:${REGION}:000000000000:${name}`;
  const indexOf = new Map(events.map((event, index) => [event.detail.eventId, index]));
  let crashed = true;
  const never = new Promise<never>(() => undefined);
  const consumerOf = () =>
    createEventConsumer({
      consumer: scenario.consumer,
      process: async (event) => {
        const index = indexOf.get(event.detail.eventId)!;
        if (crashed && DIES_BEFORE_EFFECT.has(index)) await never;
        await scenario.effect(event);
        if (crashed && DIES_AFTER_EFFECT.has(index)) await never;
      },
      sqs,
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: environment.tables.idempotency,
        awsSdkV3Client: dynamodb,
      }),
      queueUrl: QueueUrl!,
      deadLetterQueueUrl: dlqUrl!,
      retryDelay: exponentialRetryDelay(1),
    });

  const first = await deliverBatch(
    QueueUrl!,
    queueArn,
    events.map((event) => JSON.stringify(event)),
  );
  // The crashed invocation never answers; it is abandoned, as the runtime abandons a dead process.
  void consumerOf()(first, dyingContext());
  await expect
    .poll(() => scenario.applied(tenantId), { timeout: 10_000 })
    .toBe(BATCH - DIES_BEFORE_EFFECT.size);

  crashed = false;
  const redelivered = await deliverBatch(QueueUrl!, queueArn, undefined);
  expect(redelivered.Records.every((record) => record.attributes.ApproximateReceiveCount === '2')).toBe(true);
  const response = await consumerOf()(redelivered, liveContext);
  expect(response.batchItemFailures).toEqual([]);
  await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: QueueUrl!,
      Entries: redelivered.Records.map((record, index) => ({
        Id: String(index),
        ReceiptHandle: record.receiptHandle,
      })),
    }),
  );
  expect(await scenario.applied(tenantId)).toBe(BATCH);
}

function outcomeEvents(tenantId: string): BusEvent[] {
  return Array.from({ length: BATCH }, (_, index) => {
    const detail = newEvent('execution.succeeded', {
      tenantId,
      key: `crash-${index}`,
      occurredAt: Date.now() + index,
      data: {
        agentId: 'research-agent',
        intentId: `intent-${index}`,
        action: 'search_web',
        agentTier: 'T3',
        durationMs: 100 * index,
      },
    });
    return {
      id: `eb-${index}`,
      source: 'trustgate.intents',
      'detail-type': detail.type,
      time: detail.occurredAt,
      detail,
    };
  });
}

describe('a consumer that crashes mid-batch', () => {
  it('trust calculator: every outcome applied exactly once to the agent', async () => {
    const tenantId = 'crash-trust';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    await crashThenRedeliver(
      {
        consumer: 'trust-calculator',
        effect: (event) =>
          applyTrustEvent(
            {
              client: environment.documents,
              agentsTable: environment.tables.agents,
              publisher: environment.bus.publisher,
              clock: Date.now,
            },
            event.detail,
          ),
        applied: async (tenant) => {
          const { Items = [] } = await environment.documents.send(
            new QueryCommand({
              TableName: environment.tables.agents,
              KeyConditionExpression: 'tenantId = :tenant AND agentId = :agent',
              ExpressionAttributeValues: { ':tenant': tenant, ':agent': 'research-agent' },
              ConsistentRead: true,
            }),
          );
          return (Items[0] as AgentItem).trust.recentOutcomes.length;
        },
      },
      tenantId,
      outcomeEvents(tenantId),
    );
  });

  it('audit logger: every event appended exactly once, the chain contiguous', async () => {
    const tenantId = 'crash-audit';
    await crashThenRedeliver(
      {
        consumer: 'audit-logger',
        effect: (event) =>
          appendAuditEvent(
            {
              client: environment.documents,
              table: environment.tables.audit,
              checkpointInterval: CHECKPOINT_INTERVAL,
              clock: Date.now,
              random: Math.random,
            },
            event,
          ),
        applied: async (tenant) => {
          const { Items = [] } = await environment.documents.send(
            new QueryCommand({
              TableName: environment.tables.audit,
              KeyConditionExpression: 'chainKey = :tenant AND #sequence > :zero',
              ExpressionAttributeNames: { '#sequence': 'sequence' },
              ExpressionAttributeValues: { ':tenant': tenant, ':zero': 0 },
              ConsistentRead: true,
            }),
          );
          const sequences = Items.map((item) => item.sequence as number);
          expect(sequences).toEqual(sequences.map((_, index) => index + 1));
          return Items.length;
        },
      },
      tenantId,
      outcomeEvents(tenantId),
    );
  });

  it('analytics: every event counted exactly once', async () => {
    const tenantId = 'crash-analytics';
    await crashThenRedeliver(
      {
        consumer: 'analytics',
        effect: (event) =>
          applyEventMetrics(
            { client: environment.documents, analyticsTable: environment.tables.analytics, clock: Date.now },
            event.detail,
          ),
        applied: async (tenant) => {
          const { Items = [] } = await environment.documents.send(
            new ScanCommand({ TableName: environment.tables.analytics, ConsistentRead: true }),
          );
          return Items.filter(
            (item) => item.metric === 'trustgate_events_total' && item.labels?.tenant === tenant,
          ).reduce((sum, item) => sum + (item.value as number), 0);
        },
      },
      tenantId,
      outcomeEvents(tenantId),
    );
  });
});
