// The consumer wrapper every bus consumer runs in, against real queues (fauxqs through the edge) and a real
// idempotency table (DynamoDB Local): one processing per event id, partial batch responses, backoff by
// visibility, malformed events straight to the DLQ with the field at fault.

import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BusEvent, newEvent } from '../../../functions/core/events/event-envelope.ts';
import { createEventConsumer } from '../../../functions/events/event-consumer.ts';
import { exponentialRetryDelay } from '../../../functions/events/retry-later.ts';
import { type RunningEmulator, startDynamoDbLocal } from '../../../sandbox/emulators/dynamodb-local.ts';
import { buildSqsEvent } from '../../../sandbox/lambda/sqs-lambda-event.ts';
import { createTables, uniqueTableNames } from '../../support/dynamodb-tables.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { startTestEventBus, type TestEventBus } from '../../support/test-event-bus.ts';

const REGION = 'us-east-1';
let dynamodbLocal: RunningEmulator;
let bus: TestEventBus;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;
let idempotencyTable: string;

beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  dynamodbLocal = await startDynamoDbLocal({ port: 0 });
  bus = await startTestEventBus({ dynamoDbUrl: dynamodbLocal.url });
  const config = {
    endpoint: bus.edgeUrl,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sqs = new SQSClient(config);
  dynamodb = new DynamoDBClient(config);
  idempotencyTable = uniqueTableNames('consumer').idempotency;
  await createTables(dynamodb, { idempotency: idempotencyTable });
});

afterAll(async () => {
  sqs?.destroy();
  dynamodb?.destroy();
  await bus?.stop();
  await dynamodbLocal?.stop();
});

interface Queues {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
}

async function queues(name: string): Promise<Queues> {
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const queueArn = `arn:aws:sqs:${REGION}:000000000000:${name}`;
  const queueUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: '60',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: `arn:aws:sqs:${REGION}:000000000000:${name}-dlq`,
            maxReceiveCount: 5,
          }),
        },
      }),
    )
  ).QueueUrl!;
  return { queueUrl, queueArn, dlqUrl };
}

/** An EventBridge event as a rule target writes it into the queue. */
function busEvent(key: string): BusEvent {
  const detail = newEvent('execution.succeeded', {
    tenantId: 'consumer-test',
    key,
    occurredAt: Date.now(),
    data: { agentId: 'research-agent', durationMs: 10 },
  });
  return {
    id: `eb-${key}-${Math.random().toString(36).slice(2)}`,
    source: 'trustgate.intents',
    'detail-type': detail.type,
    time: new Date().toISOString(),
    detail,
  };
}

/** Sends the bodies to the queue and receives them back, as the event source mapping would. */
async function received(target: Queues, bodies: string[]): Promise<SQSEvent> {
  for (const body of bodies)
    await sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: body }));
  const messages: Message[] = [];
  while (messages.length < bodies.length) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: target.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    messages.push(...Messages);
  }
  return buildSqsEvent(messages, target.queueArn) as unknown as SQSEvent;
}

function consumer(target: Queues, process: (event: BusEvent) => Promise<void>, consumerName: string) {
  return createEventConsumer({
    consumer: consumerName,
    process,
    sqs,
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: idempotencyTable, awsSdkV3Client: dynamodb }),
    queueUrl: target.queueUrl,
    deadLetterQueueUrl: target.dlqUrl,
    retryDelay: exponentialRetryDelay(1),
  });
}

describe('createEventConsumer', () => {
  it('processes an event once, however often it is delivered, and answers with no failures', async () => {
    const target = await queues(`once-${Date.now()}`);
    const processed: string[] = [];
    const handler = consumer(
      target,
      async (event) => {
        processed.push(event.detail.eventId);
      },
      'once',
    );
    const event = busEvent('once');

    expect(await handler(await received(target, [JSON.stringify(event)]), testLambdaContext)).toEqual({
      batchItemFailures: [],
    });
    // A redelivery (another EventBridge put of the same fact: another EventBridge id, the same event id).
    const again = { ...event, id: 'eb-another-put' };
    expect(await handler(await received(target, [JSON.stringify(again)]), testLambdaContext)).toEqual({
      batchItemFailures: [],
    });
    expect(processed).toEqual([event.detail.eventId]);
  });

  it('keeps the same event id apart per consumer: each consumer processes it once', async () => {
    const target = await queues(`apart-${Date.now()}`);
    const seen: string[] = [];
    const event = busEvent('apart');
    for (const name of ['first-consumer', 'second-consumer']) {
      const handler = consumer(
        target,
        async () => {
          seen.push(name);
        },
        name,
      );
      await handler(await received(target, [JSON.stringify(event)]), testLambdaContext);
    }
    expect(seen).toEqual(['first-consumer', 'second-consumer']);
    // Each consumer's records lead with its own prefix: the IAM grant (LeadingKeys `trustgate.<consumer>#*`,
    // infra/stacks/stateless-stack.ts) relies on it.
    const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: idempotencyTable }));
    const ids = Items.map((item) => item.id?.S ?? '');
    for (const name of ['first-consumer', 'second-consumer'])
      expect(ids.filter((id) => id.startsWith(`trustgate.${name}#`))).toHaveLength(1);
  });

  it('reports only the failed record, retries it after the backoff, and processes it once it succeeds', async () => {
    const target = await queues(`retry-${Date.now()}`);
    const failing = busEvent('fails-once');
    const fine = busEvent('fine');
    let failuresLeft = 1;
    const processed: string[] = [];
    const handler = consumer(
      target,
      async (event) => {
        if (event.detail.eventId === failing.detail.eventId && failuresLeft-- > 0) {
          throw new Error('the table was throttled');
        }
        processed.push(event.detail.eventId);
      },
      'retry',
    );

    const batch = await received(target, [JSON.stringify(failing), JSON.stringify(fine)]);
    const failedRecord = batch.Records.find((record) => record.body === JSON.stringify(failing))!;
    const response = await handler(batch, testLambdaContext);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: failedRecord.messageId }]);
    expect(processed).toEqual([fine.detail.eventId]);

    // Its visibility became the backoff (1 s for a first receive), not the queue's 60 s: it is back soon.
    const startedWaiting = Date.now();
    let redelivered: Message | undefined;
    while (!redelivered && Date.now() - startedWaiting < 10_000) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: target.queueUrl,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      redelivered = Messages.find((message) => message.Body === JSON.stringify(failing));
    }
    expect(redelivered).toBeDefined();
    expect(Date.now() - startedWaiting).toBeLessThan(10_000);
    expect(redelivered!.Attributes?.ApproximateReceiveCount).toBe('2');

    const retry = buildSqsEvent([redelivered!], target.queueArn) as unknown as SQSEvent;
    expect(await handler(retry, testLambdaContext)).toEqual({ batchItemFailures: [] });
    expect(processed).toEqual([fine.detail.eventId, failing.detail.eventId]);
  });

  it('sends a malformed event to the DLQ at once, naming the field, without processing it or failing the batch', async () => {
    const target = await queues(`malformed-${Date.now()}`);
    const processed: string[] = [];
    const handler = consumer(
      target,
      async (event) => {
        processed.push(event.detail.eventId);
      },
      'malformed',
    );
    const bad = busEvent('bad');
    (bad.detail.data as { agentId?: string }).agentId = undefined;
    const notJson = 'this is not an event';

    const batch = await received(target, [JSON.stringify(bad), notJson]);
    expect(await handler(batch, testLambdaContext)).toEqual({ batchItemFailures: [] });
    expect(processed).toEqual([]);

    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: target.dlqUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    const byBody = new Map(Messages.map((message) => [message.Body, message.MessageAttributes!]));
    expect(byBody.get(JSON.stringify(bad))?.ERROR_FIELD?.StringValue).toBe('detail.data.agentId');
    expect(byBody.get(notJson)?.ERROR_FIELD?.StringValue).toBe('body');
    expect(byBody.get(notJson)?.CONSUMER?.StringValue).toBe('malformed');
    expect(Messages).toHaveLength(2);
  });
});
