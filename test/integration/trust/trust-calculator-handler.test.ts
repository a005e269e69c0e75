// The deployed trust calculator (functions/consumers/trust-calculator.handler.ts) end to end in-process:
// its SQS queue and DLQ (fauxqs, redrive after MAX_RECEIVE_COUNT receives), the idempotency table and the
// agents in DynamoDB Local, and the real test bus its events are put on. The test plays the event source
// mapping: receive a batch, invoke, delete what succeeded.
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTrustEvent } from '../../../functions/app/trust/apply-trust-event.ts';
import { EVENT_CATALOG } from '../../../functions/core/events/event-catalog.ts';
import {
  type BusEvent,
  eventIdFor,
  newEvent,
  type TrustgateEvent,
} from '../../../functions/core/events/event-envelope.ts';
import { createAgent, getAgent } from '../../../functions/data/agents-repository.ts';
import type { LambdaContext } from '../../../functions/observability/observed-handler.ts';
import { buildSqsEvent } from '../../../sandbox/lambda/sqs-lambda-event.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { agentItem } from '../workflows/workflow-fleet.ts';

const TENANT = 'trust-handler';
const MAX_RECEIVE_COUNT = 3;

let environment: ApiTestEnvironment;
let sqs: SQSClient;
let queueUrl: string;
let queueArn: string;
let dlqUrl: string;
let handler: (event: SQSEvent, context: LambdaContext) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  environment = await startApiTestEnvironment('trust-handler');
  sqs = new SQSClient({ endpoint: environment.bus.edgeUrl });
  dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'trust-calculator-dlq' }))).QueueUrl!;
  const dlqArn = await arnOf(dlqUrl);
  queueUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'trust-calculator',
        Attributes: {
          VisibilityTimeout: '30',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
        },
      }),
    )
  ).QueueUrl!;
  queueArn = await arnOf(queueUrl);
  Object.assign(process.env, {
    CONSUMER_QUEUE_URL: queueUrl,
    CONSUMER_DLQ_URL: dlqUrl,
    // A failed record is visible again at once, so the test does not wait out the backoff.
    CONSUMER_RETRY_BASE_SECONDS: '0',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  ({ handler } = await import('../../../functions/consumers/trust-calculator.handler.ts'));
});

afterAll(async () => {
  sqs?.destroy();
  await environment?.stop();
});

async function arnOf(url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes!.QueueArn!;
}

async function register(agentId: string): Promise<void> {
  const item = agentItem(
    TENANT,
    { agentId, role: 'research', actions: ['search_web'], score: 650, costPerCall: 0.02 },
    Date.now(),
  );
  await createAgent(environment.documents, environment.tables.agents, item);
}

async function version(agentId: string): Promise<number | undefined> {
  return (await getAgent(environment.documents, environment.tables.agents, TENANT, agentId))?.version;
}

/** What an EventBridge rule target puts on the queue for a trustgate event. */
async function enqueue(event: TrustgateEvent, url = queueUrl): Promise<void> {
  const body: BusEvent = {
    id: crypto.randomUUID(),
    source: EVENT_CATALOG[event.type].source,
    'detail-type': event.type,
    time: event.occurredAt,
    detail: event,
  };
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(body) }));
}

async function receive(url: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages;
}

async function deleteMessages(url: string, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return;
  await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: url,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle!,
      })),
    }),
  );
}

/** One poll of the event source mapping: the batch's message ids that failed. */
async function deliverBatch(): Promise<{ received: number; failed: string[] }> {
  const messages = await receive(queueUrl);
  if (messages.length === 0) return { received: 0, failed: [] };
  const event = buildSqsEvent(messages, queueArn) as unknown as SQSEvent;
  const response = await handler(event, testLambdaContext);
  const failed = response.batchItemFailures.map((failure) => failure.itemIdentifier);
  await deleteMessages(
    queueUrl,
    messages.filter((message) => !failed.includes(message.MessageId!)),
  );
  return { received: messages.length, failed };
}

function failure(agentId: string, key: string): TrustgateEvent {
  return newEvent('execution.failed', {
    tenantId: TENANT,
    key,
    occurredAt: Date.now(),
    data: { agentId, agentTier: 'T3', errorCode: 'provider_failed' },
  });
}

function trustEventsOf(events: BusEvent[], agentId: string): BusEvent[] {
  return events.filter(
    (event) =>
      event.source === 'trustgate.trust' && (event.detail.data as { agentId?: string }).agentId === agentId,
  );
}

describe('trust calculator consumer', () => {
  it('applies a signal from its queue once and puts trust.changed on the bus, also when delivered twice', async () => {
    await register('queued');
    const event = failure('queued', 'queued-1');
    await enqueue(event);
    await enqueue(event);

    // Both copies may arrive in one batch: the second then finds the first in progress (idempotency), fails,
    // and is skipped as already processed on its next delivery.
    let delivered = 0;
    for (let round = 1; round <= 5 && delivered < 2; round++) {
      const batch = await deliverBatch();
      delivered += batch.received - batch.failed.length;
    }
    expect(delivered).toBe(2);

    expect(await version('queued')).toBe(2);
    const events = await environment.bus.waitForEvents((all) => trustEventsOf(all, 'queued').length > 0);
    const changed = trustEventsOf(events, 'queued');
    expect(changed.map((bus) => bus['detail-type'])).toEqual(['trust.changed']);
    expect(changed[0]!.detail.data).toMatchObject({ cause: 'execution_outcome', previousScore: 650 });
  });

  it('applies nothing twice after a crash between the write and the publish, and puts the lost events', async () => {
    await register('crashed');
    const event = failure('crashed', 'crashed-1');
    // The first attempt writes the agent, then dies before its events reach the bus (and so before the
    // idempotency record is written).
    const crash = new Error('the function timed out');
    const firstAttempt = applyTrustEvent(
      {
        client: environment.documents,
        agentsTable: environment.tables.agents,
        publisher: { publish: () => Promise.reject(crash) },
        clock: Date.now,
      },
      event,
    );
    await expect(firstAttempt).rejects.toBe(crash);
    expect(await version('crashed')).toBe(2);

    await enqueue(event);
    expect(await deliverBatch()).toEqual({ received: 1, failed: [] });

    expect(await version('crashed')).toBe(2);
    const agent = await getAgent(environment.documents, environment.tables.agents, TENANT, 'crashed');
    expect(agent?.trust.recentOutcomes).toHaveLength(1);
    const events = await environment.bus.waitForEvents((all) => trustEventsOf(all, 'crashed').length > 0);
    const changed = trustEventsOf(events, 'crashed');
    expect(changed.map((bus) => bus.detail.eventId)).toEqual([
      eventIdFor(TENANT, 'trust.changed', event.eventId),
    ]);
    expect(changed[0]!.detail.occurredAt).toBe(agent?.appliedTrustSignals?.[0]?.appliedAt);
  });

  it('sends a signal about an unregistered agent to the DLQ after its retries, and applies it once redriven', async () => {
    await enqueue(failure('late-registered', 'poison-1'));

    for (let receive = 1; receive <= MAX_RECEIVE_COUNT; receive++) {
      const batch = await deliverBatch();
      expect(batch).toMatchObject({ received: 1 });
      expect(batch.failed).toHaveLength(1);
    }
    // Past maxReceiveCount the queue moves it to the DLQ on the next receive.
    expect(await deliverBatch()).toEqual({ received: 0, failed: [] });
    const deadLettered = await receive(dlqUrl);
    expect(deadLettered).toHaveLength(1);
    expect(JSON.parse(deadLettered[0]!.Body!).detail.data.agentId).toBe('late-registered');

    // The operator registers the agent and redrives the DLQ.
    await register('late-registered');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: deadLettered[0]!.Body! }));
    await deleteMessages(dlqUrl, deadLettered);
    expect(await deliverBatch()).toEqual({ received: 1, failed: [] });

    expect(await version('late-registered')).toBe(2);
    const events = await environment.bus.waitForEvents(
      (all) => trustEventsOf(all, 'late-registered').length > 0,
    );
    expect(trustEventsOf(events, 'late-registered').map((bus) => bus['detail-type'])).toEqual([
      'trust.changed',
    ]);
  });
});
