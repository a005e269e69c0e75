// The event publisher of a deployed function (one per execution environment), configured from the
// environment the stack sets: EVENT_BUS_NAME, and UNDELIVERED_EVENTS_QUEUE_URL for what the bus keeps
// refusing. The SDK clients honour AWS_ENDPOINT_URL, which is how the sandbox receives the events.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { requiredEnvironment } from '../data/required-environment.ts';
import { logger, tracer } from '../observability/powertools.ts';
import { type EventAnnouncer, eventAnnouncer } from './event-announcer.ts';
import { type EventPublisher, eventBridgePublisher } from './event-publisher.ts';

let shared: EventPublisher | undefined;

export function busPublisher(): EventPublisher {
  shared ??= eventBridgePublisher({
    // Partial failures are retried by the publisher itself, entry by entry.
    eventBridge: tracer.captureAWSv3Client(new EventBridgeClient({})),
    busName: requiredEnvironment('EVENT_BUS_NAME'),
    undelivered: {
      sqs: tracer.captureAWSv3Client(new SQSClient({})),
      queueUrl: requiredEnvironment('UNDELIVERED_EVENTS_QUEUE_URL'),
    },
    log: (message, details) => logger.error(message, details),
  });
  return shared;
}

let sharedAnnouncer: EventAnnouncer | undefined;

/** busPublisher() for facts already committed: an undeliverable event is logged whole, never thrown. */
export function busAnnouncer(): EventAnnouncer {
  sharedAnnouncer ??= eventAnnouncer(busPublisher(), (error, events) =>
    logger.error('events could not be put on the bus or parked; they are logged here for a replay', {
      error: error as Error,
      events,
    }),
  );
  return sharedAnnouncer;
}
