// POST /v1/events/redrive (admin; `npm run events -- redrive <queue>`): replays what a consumer gave up on,
// once its cause is fixed (an agent registered, a bug deployed away). A consumer's DLQ goes back to that
// consumer's queue, message by message as it was (same event, same event id: whatever the consumer had
// already applied stays applied once); the undelivered-events queue goes back onto the bus, entry by entry
// as the publisher parked it. Bounded per call; call again to move more.
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { validateInput } from '../../http/validate-input.ts';
import { redriveDeliveries } from '../webhooks/redrive-deliveries.ts';

export const UNDELIVERED_EVENTS_QUEUE = 'undelivered-events';
export const MAX_REDRIVE_PER_CALL = 1000;

export interface RedriveEventsDependencies {
  sqs: Pick<SQSClient, 'send'>;
  eventBridge: Pick<EventBridgeClient, 'send'>;
  /** Each consumer's queue and DLQ, by consumer name (CONSUMER_QUEUES). */
  consumerQueues: Readonly<Record<string, { queueUrl: string; deadLetterQueueUrl: string }>>;
  undeliveredQueueUrl: string;
}

export async function redriveEvents(
  deps: RedriveEventsDependencies,
  body: unknown,
): Promise<{ queue: string; moved: number }> {
  const names = [...Object.keys(deps.consumerQueues), UNDELIVERED_EVENTS_QUEUE];
  const { queue } = validateInput(
    z.strictObject({
      queue: z.string().refine((name) => names.includes(name), { message: `one of ${names.join(', ')}` }),
    }),
    body,
  );
  if (queue === UNDELIVERED_EVENTS_QUEUE) return { queue, moved: await replayUndelivered(deps) };
  const { queueUrl, deadLetterQueueUrl } = deps.consumerQueues[queue]!;
  const { moved } = await redriveDeliveries({
    sqs: deps.sqs,
    deliveryQueueUrl: queueUrl,
    deadLetterQueueUrl,
  });
  return { queue, moved };
}

/** Parked PutEvents entries back onto the bus; only those it accepted leave the queue. */
async function replayUndelivered(deps: RedriveEventsDependencies): Promise<number> {
  let moved = 0;
  while (moved < MAX_REDRIVE_PER_CALL) {
    const { Messages = [] } = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deps.undeliveredQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
      }),
    );
    if (Messages.length === 0) break;
    const output = await deps.eventBridge.send(
      new PutEventsCommand({ Entries: Messages.map((message) => parkedEntry(message)) }),
    );
    const accepted = Messages.filter((_, index) => !output.Entries?.[index]?.ErrorCode);
    if (accepted.length > 0) {
      await deps.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deps.undeliveredQueueUrl,
          Entries: accepted.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
    }
    moved += accepted.length;
    // The bus still refuses: trying again at once will not help.
    if (accepted.length < Messages.length) break;
  }
  return moved;
}

function parkedEntry(message: Message): PutEventsRequestEntry {
  const entry = JSON.parse(message.Body ?? '{}') as PutEventsRequestEntry & { Time?: string | Date };
  return { ...entry, ...(entry.Time === undefined ? {} : { Time: new Date(entry.Time) }) };
}
