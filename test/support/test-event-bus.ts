// A real event bus for tests that run handlers in-process: the sandbox's edge with its EventBridge
// service and fauxqs behind it (DynamoDB proxied to the given DynamoDB Local), the app's bus, and a rule
// that copies every trustgate event into a capture queue the test reads back. Handlers publish through
// the AWS SDK exactly as deployed (EVENT_BUS_NAME, AWS_ENDPOINT_URL), so nothing about publishing is faked.
//
//   const bus = await startTestEventBus({ dynamoDbUrl });   // sets AWS_ENDPOINT_URL, EVENT_BUS_NAME, …
//   … run handlers …
//   const events = await bus.waitForEvents((all) => all.some((event) => event['detail-type'] === 'intent.decided'));
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { BusEvent } from '../../functions/core/events/event-envelope.ts';
import { type EventAnnouncer, eventAnnouncer } from '../../functions/events/event-announcer.ts';
import { type EventPublisher, eventBridgePublisher } from '../../functions/events/event-publisher.ts';
import { startEdgeServer } from '../../sandbox/edge/edge-server.ts';
import { startFauxqsEmulator } from '../../sandbox/emulators/fauxqs.ts';
import { createEventBridgeService } from '../../sandbox/eventbridge/service.ts';

export const TEST_BUS_NAME = 'trustgate-test-bus';
const REGION = 'us-east-1';

export interface TestEventBus {
  /** The edge: EventBridge, SQS and (proxied) DynamoDB. */
  edgeUrl: string;
  busName: string;
  undeliveredQueueUrl: string;
  /** A publisher to this bus for dependencies built by hand (the handlers build their own from the environment). */
  publisher: EventPublisher;
  /** The same as an announcer that throws what it could not put, so a test sees it. */
  announcer: EventAnnouncer;
  /** Requests the edge handed to each service, keyed `EventBridge.PutEvents` etc. */
  requestCounts(): Record<string, number>;
  /** The same by caller (the access key id a request was signed with). */
  requestCountsByCaller(): Record<string, Record<string, number>>;
  resetRequestCounts(): void;
  /** Every event captured since the start or the last clear() (read from the capture queue), in arrival order. */
  captured(): Promise<BusEvent[]>;
  /** Waits for deliveries in flight, then forgets everything captured so far. */
  clear(): Promise<void>;
  /** Polls the capture queue until `done(all captured)` holds or the timeout passes (then throws). */
  waitForEvents(done: (events: BusEvent[]) => boolean, timeoutMs?: number): Promise<BusEvent[]>;
  stop(): Promise<void>;
}

export async function startTestEventBus(options: { dynamoDbUrl: string }): Promise<TestEventBus> {
  const edge = await startEdgeServer({ port: 0, host: '127.0.0.1' });
  const sqsEmulator = await startFauxqsEmulator({ region: REGION });
  const eventBridge = createEventBridgeService({
    endpoints: { edgeUrl: edge.url, region: REGION },
    lambda: {
      invoke: async () => {
        throw new Error('the test bus has no Lambda targets');
      },
    },
    log: () => undefined,
    delivery: { initialBackoffMs: 5 },
  });
  edge.attach({
    dynamoDbUrl: options.dynamoDbUrl,
    sqsUrl: sqsEmulator.url,
    jsonServices: [eventBridge],
    lambdaInvoke: async () => {
      throw new Error('the test bus has no Lambda functions');
    },
  });
  const sqs = new SQSClient({
    endpoint: edge.url,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const queueUrl = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const captureQueueUrl = await queueUrl('captured-events');
  const undeliveredQueueUrl = await queueUrl('undelivered-events');
  await eventBridge.handle('CreateEventBus', { Name: TEST_BUS_NAME });
  await eventBridge.handle('PutRule', {
    Name: 'capture-everything',
    EventBusName: TEST_BUS_NAME,
    EventPattern: JSON.stringify({ source: [{ prefix: 'trustgate.' }] }),
  });
  await eventBridge.handle('PutTargets', {
    Rule: 'capture-everything',
    EventBusName: TEST_BUS_NAME,
    Targets: [{ Id: 'capture', Arn: `arn:aws:sqs:${REGION}:000000000000:captured-events` }],
  });

  const eventBridgeClient = new EventBridgeClient({
    endpoint: edge.url,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const publisher = eventBridgePublisher({ eventBridge: eventBridgeClient, busName: TEST_BUS_NAME });
  const announcer = eventAnnouncer(publisher, (error) => {
    throw error;
  });

  const seen: BusEvent[] = [];
  async function drain(): Promise<BusEvent[]> {
    await eventBridge.whenIdle();
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: captureQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) return [...seen];
      for (const message of Messages) seen.push(JSON.parse(message.Body!) as BusEvent);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: captureQueueUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
    }
  }

  return {
    edgeUrl: edge.url,
    busName: TEST_BUS_NAME,
    undeliveredQueueUrl,
    publisher,
    announcer,
    requestCounts: () => edge.requestCounts(),
    requestCountsByCaller: () => edge.requestCountsByCaller(),
    resetRequestCounts: () => edge.resetRequestCounts(),
    captured: drain,
    async clear() {
      await drain();
      seen.length = 0;
    },
    async waitForEvents(done, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const events = await drain();
        if (done(events)) return events;
        if (Date.now() > deadline) {
          const types = events.map((event) => event['detail-type']).join(', ');
          throw new Error(
            `the expected events did not arrive within ${timeoutMs} ms; captured: ${types || 'none'}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async stop() {
      sqs.destroy();
      eventBridgeClient.destroy();
      await eventBridge.close();
      await edge.stop();
      await sqsEmulator.stop();
    },
  };
}

/** The environment the stack gives a publishing function, pointed at this bus. */
export function setEventBusEnvironment(bus: TestEventBus): void {
  process.env.AWS_ENDPOINT_URL = bus.edgeUrl;
  process.env.EVENT_BUS_NAME = bus.busName;
  process.env.UNDELIVERED_EVENTS_QUEUE_URL = bus.undeliveredQueueUrl;
}
