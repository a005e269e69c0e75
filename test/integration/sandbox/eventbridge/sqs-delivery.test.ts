// EventBridge → SQS delivery through the AWS SDK, against fauxqs (the sandbox's SQS emulator)
// standing in for the edge: standard and FIFO targets, and the dead-letter queue of a failing target.

import { CreateQueueCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventBridgeService,
  type EventBridgeService,
} from '../../../../sandbox/eventbridge/service.ts';

const region = 'eu-west-1';
const account = '000000000000';
let fauxqs: FauxqsServer;
let sqs: SQSClient;
let service: EventBridgeService;
const logLines: string[] = [];

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({
    endpoint: fauxqs.address,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  service = createEventBridgeService({
    endpoints: { edgeUrl: fauxqs.address, region },
    lambda: {
      invoke: async () => {
        throw new Error('no Lambda target in this test');
      },
    },
    log: (line) => logLines.push(line),
    delivery: { initialBackoffMs: 1 },
  });
});

afterAll(async () => {
  await service?.close();
  sqs?.destroy();
  await fauxqs?.stop();
});

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl!;
}

async function receiveAll(queueUrl: string): Promise<Message[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages ?? [];
}

async function putRuleWithTarget(ruleName: string, source: string, target: Record<string, unknown>) {
  await service.handle('PutRule', { Name: ruleName, EventPattern: JSON.stringify({ source: [source] }) });
  await service.handle('PutTargets', { Rule: ruleName, Targets: [{ Id: 'target', ...target }] });
}

async function putEvent(source: string, detail: object): Promise<string> {
  const result = (await service.handle('PutEvents', {
    Entries: [{ Source: source, DetailType: 'Test', Detail: JSON.stringify(detail) }],
  })) as { Entries: { EventId: string }[] };
  await service.whenIdle();
  return result.Entries[0]!.EventId;
}

describe('SQS targets', () => {
  it('send the transformed input as the message body', async () => {
    const queueUrl = await createQueue('eb-standard');
    await putRuleWithTarget('to-standard', 'test.standard', {
      Arn: `arn:aws:sqs:${region}:${account}:eb-standard`,
      InputPath: '$.detail',
    });
    await putEvent('test.standard', { orderId: 'o-1' });
    const messages = await receiveAll(queueUrl);
    expect(messages.map((message) => JSON.parse(message.Body!))).toEqual([{ orderId: 'o-1' }]);
  });

  it('send to FIFO queues with the target MessageGroupId, deduplicating on the event id', async () => {
    const queueUrl = await createQueue('eb-ordered.fifo', { FifoQueue: 'true' });
    await putRuleWithTarget('to-fifo', 'test.fifo', {
      Arn: `arn:aws:sqs:${region}:${account}:eb-ordered.fifo`,
      SqsParameters: { MessageGroupId: 'orders' },
    });
    const eventId = await putEvent('test.fifo', { n: 1 });
    const messages = await receiveAll(queueUrl);
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]!.Body!)).toMatchObject({
      id: eventId,
      source: 'test.fifo',
      detail: { n: 1 },
    });
    expect(messages[0]!.Attributes).toMatchObject({
      MessageGroupId: 'orders',
      MessageDeduplicationId: eventId,
    });
  });

  it('dead-letter the event, with the failure as message attributes, when the target queue does not exist', async () => {
    const dlqUrl = await createQueue('eb-dlq');
    const missingQueueArn = `arn:aws:sqs:${region}:${account}:eb-never-created`;
    await putRuleWithTarget('to-missing', 'test.missing', {
      Arn: missingQueueArn,
      DeadLetterConfig: { Arn: `arn:aws:sqs:${region}:${account}:eb-dlq` },
    });
    const eventId = await putEvent('test.missing', { lost: true });
    const messages = await receiveAll(dlqUrl);
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]!.Body!)).toMatchObject({ id: eventId, detail: { lost: true } });
    const attributes = Object.fromEntries(
      Object.entries(messages[0]!.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
    );
    expect(attributes).toMatchObject({
      RULE_ARN: `arn:aws:events:${region}:${account}:rule/to-missing`,
      TARGET_ARN: missingQueueArn,
      RETRY_ATTEMPTS: '0',
    });
    expect(attributes.ERROR_CODE).toMatch(/QueueDoesNotExist|NonExistentQueue/);
    expect(logLines).toEqual([]);
  });
});
