// What the webhook integration tests run against: DynamoDB Local with every table (api-test-environment.ts),
// fauxqs with the webhook delivery queue + its DLQ (redrive policy maxReceiveCount = retry schedule length
// + 1, as the stack configures it) and the dispatcher's consumer queue + DLQ, and the environment a deployed
// function gets. Plus the event source mapping's part, done by hand: receive, invoke, delete what succeeded.
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import type { LambdaContext } from '../../../functions/observability/observed-handler.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';

export const TEST_RETRY_DELAYS = '1,1,1,1,1';
export const MAX_RECEIVE_COUNT = TEST_RETRY_DELAYS.split(',').length + 1;

export interface WebhookTestEnvironment extends ApiTestEnvironment {
  fauxqs: FauxqsServer;
  sqs: SQSClient;
  deliveryQueueUrl: string;
  deliveryDlqUrl: string;
  deliveryDlqName: string;
  consumerQueueUrl: string;
}

export async function startWebhookTestEnvironment(prefix: string): Promise<WebhookTestEnvironment> {
  const api = await startApiTestEnvironment(prefix);
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  process.env.AWS_ENDPOINT_URL_SQS = fauxqs.address;
  const sqs = new SQSClient({ endpoint: fauxqs.address });
  const dlq = await createQueue(sqs, `${prefix}-webhook-deliveries-dlq`);
  const queue = await createQueue(sqs, `${prefix}-webhook-deliveries`, {
    VisibilityTimeout: '30',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
  });
  const consumerDlq = await createQueue(sqs, `${prefix}-webhook-dispatcher-dlq`);
  const consumer = await createQueue(sqs, `${prefix}-webhook-dispatcher`);
  Object.assign(process.env, {
    WEBHOOK_DELIVERY_QUEUE_URL: queue.queueUrl,
    WEBHOOK_DLQ_URL: dlq.queueUrl,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_RETRY_DELAYS_SECONDS: TEST_RETRY_DELAYS,
    WEBHOOK_TIMEOUT_MS: '2000',
    CONSUMER_QUEUE_URL: consumer.queueUrl,
    CONSUMER_DLQ_URL: consumerDlq.queueUrl,
    // The delivery entry's bus publisher is built at import; these tests record `webhook.disabled` through
    // createWebhookDeliveryWorker's own publisher instead of a bus.
    EVENT_BUS_NAME: 'trustgate-test',
    UNDELIVERED_EVENTS_QUEUE_URL: consumerDlq.queueUrl,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  return {
    ...api,
    fauxqs,
    sqs,
    deliveryQueueUrl: queue.queueUrl,
    deliveryDlqUrl: dlq.queueUrl,
    deliveryDlqName: `${prefix}-webhook-deliveries-dlq`,
    consumerQueueUrl: consumer.queueUrl,
    stop: async () => {
      sqs.destroy();
      await fauxqs.stop();
      await api.stop();
    },
  };
}

async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<{ queueUrl: string; queueArn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  // fauxqs names its queues http://sqs.<region>.localhost:<port>/…, a host that does not resolve everywhere;
  // the sandbox's edge rewrites it (sandbox/edge/queue-url-rewrite.ts), the tests address fauxqs directly.
  const queueUrl = QueueUrl!.replace(/^http:\/\/sqs\.[A-Za-z0-9-]+\.localhost/, 'http://127.0.0.1');
  return { queueUrl, queueArn: Attributes.QueueArn! };
}

export type SqsHandler = (event: SQSEvent, context: LambdaContext) => Promise<SQSBatchResponse>;

/** An SQS record as Lambda's event source mapping passes it. */
export function sqsRecord(
  message: { MessageId?: string; ReceiptHandle?: string; Body?: string; Attributes?: Record<string, string> },
  queueArn = 'arn:aws:sqs:us-east-1:000000000000:test',
): SQSRecord {
  return {
    messageId: message.MessageId ?? 'message',
    receiptHandle: message.ReceiptHandle ?? 'handle',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

/** Polls `queueUrl` like an event source mapping (batch of up to 10) until stopped. */
export function pollQueue(sqs: SQSClient, queueUrl: string, handler: SqsHandler): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) continue;
      const response = await handler(
        { Records: Messages.map((message) => sqsRecord(message)) },
        testLambdaContext,
      );
      const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      const done = Messages.filter((message) => !failed.has(message.MessageId!));
      if (done.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: done.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle!,
            })),
          }),
        );
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
