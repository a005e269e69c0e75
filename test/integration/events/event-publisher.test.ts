// The publisher against the sandbox's EventBridge (through the edge, with the AWS SDK): batching into
// PutEvents requests, entries the bus refuses retried on their own, what it keeps refusing parked on the
// undelivered-events queue, and an error only when even that queue refuses.
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_SOURCES } from '../../../functions/core/events/event-catalog.ts';
import { newEvent, type TrustgateEvent } from '../../../functions/core/events/event-envelope.ts';
import { EventPublishError, eventBridgePublisher } from '../../../functions/events/event-publisher.ts';
import { startTestEventBus, type TestEventBus } from '../../support/test-event-bus.ts';

let bus: TestEventBus;
let eventBridge: EventBridgeClient;
let sqs: SQSClient;

beforeAll(async () => {
  // No DynamoDB is needed here; nothing listens on the discard port.
  bus = await startTestEventBus({ dynamoDbUrl: 'http://127.0.0.1:9' });
  const config = {
    endpoint: bus.edgeUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  eventBridge = new EventBridgeClient(config);
  sqs = new SQSClient(config);
});

afterAll(async () => {
  eventBridge?.destroy();
  sqs?.destroy();
  await bus?.stop();
});

beforeEach(async () => {
  await bus.clear();
});

function decided(index: number, tenantId = 'publisher'): TrustgateEvent {
  return newEvent('intent.decided', {
    tenantId,
    key: `intent-${index}`,
    occurredAt: Date.UTC(2026, 11, 5, 10, 0, index),
    data: {
      intentId: `intent-${index}`,
      agentId: 'research-agent',
      action: 'search_web',
      decision: 'ALLOW',
      reasons: ['permitted'],
      agentTier: 'T3',
      score: 580,
    },
  });
}

const putEventsCount = () => bus.requestCounts()['EventBridge.PutEvents'] ?? 0;

describe('eventBridgePublisher', () => {
  it('puts 25 events in 3 requests, each with its catalog source, type as detail-type and the envelope as detail', async () => {
    const publisher = eventBridgePublisher({ eventBridge, busName: bus.busName });
    const events = Array.from({ length: 25 }, (_, index) => decided(index));
    const before = putEventsCount();

    await publisher.publish(events);

    expect(putEventsCount() - before).toBe(3);
    const captured = await bus.waitForEvents((all) => all.length >= 25);
    expect(captured.map((event) => event.detail.eventId).sort()).toEqual(
      events.map((event) => event.eventId).sort(),
    );
    const first = captured.find((event) => event.detail.eventId === events[0]!.eventId)!;
    expect(first.source).toBe(EVENT_SOURCES.intents);
    expect(first['detail-type']).toBe('intent.decided');
    expect(first.time).toBe('2026-12-05T10:00:00Z');
    expect(first.detail).toEqual(events[0]);
  });

  it('puts with the source it is given (POST /v1/events uses trustgate.ingest)', async () => {
    const publisher = eventBridgePublisher({ eventBridge, busName: bus.busName });
    await publisher.publish([decided(100)], { source: EVENT_SOURCES.ingest });
    const [event] = await bus.waitForEvents((all) => all.length >= 1);
    expect(event!.source).toBe('trustgate.ingest');
  });

  it('retries only the entries the bus refused, until they are accepted', async () => {
    // The bus does not exist at the first attempt: PutEvents answers 200 with every entry failed
    // (ResourceNotFoundException), exactly as AWS does; it exists by the retry.
    const busName = `late-bus-${Date.now()}`;
    let retries = 0;
    const publisher = eventBridgePublisher({
      eventBridge,
      busName,
      sleep: async () => {
        retries++;
        if (retries === 1) {
          await eventBridge.send(new CreateEventBusCommand({ Name: busName }));
        }
      },
    });
    const before = putEventsCount();
    await publisher.publish([decided(1), decided(2)]);
    expect(retries).toBe(1);
    expect(putEventsCount() - before).toBe(2);
  });

  it('parks what the bus keeps refusing on the undelivered-events queue, with the error, instead of dropping it', async () => {
    const publisher = eventBridgePublisher({
      eventBridge,
      busName: 'no-such-bus',
      undelivered: { sqs, queueUrl: bus.undeliveredQueueUrl },
      sleep: async () => undefined,
    });
    const events = [decided(7), decided(8)];
    await publisher.publish(events);

    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: bus.undeliveredQueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    const parked = Messages.map(
      (message) => JSON.parse(message.Body!) as { Detail: string; EventBusName: string },
    );
    expect(parked.map((entry) => (JSON.parse(entry.Detail) as TrustgateEvent).eventId).sort()).toEqual(
      events.map((event) => event.eventId).sort(),
    );
    expect(parked[0]!.EventBusName).toBe('no-such-bus');
    expect(Messages[0]!.MessageAttributes?.ERROR?.StringValue).toContain('ResourceNotFoundException');
  });

  it('throws EventPublishError naming the events when neither the bus nor the parking queue takes them', async () => {
    const publisher = eventBridgePublisher({
      eventBridge,
      busName: 'no-such-bus',
      undelivered: { sqs, queueUrl: `${bus.edgeUrl}/000000000000/no-such-queue` },
      sleep: async () => undefined,
    });
    const event = decided(9);
    const failure = await publisher.publish([event]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EventPublishError);
    expect((failure as EventPublishError).eventIds).toEqual([event.eventId]);
    expect((failure as Error).name).toBe('Trustgate.EventsUndelivered');
  });

  it('puts nothing for no events', async () => {
    const publisher = eventBridgePublisher({ eventBridge, busName: bus.busName });
    const before = putEventsCount();
    await publisher.publish([]);
    expect(putEventsCount()).toBe(before);
  });
});
