// Replays webhook deliveries that exhausted their retries (POST /v1/webhooks/redrive,
// `npm run webhooks -- redrive`): receives from the webhook DLQ ten at a time, sends each message to the
// delivery queue as is (same webhook, same webhook-id, same body; a fresh retry schedule) and deletes from
// the DLQ only what the delivery queue accepted, so a message is never lost, at worst delivered twice with
// the same webhook-id. Bounded per call (MAX_REDRIVE_PER_CALL); call again to move more.
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export const MAX_REDRIVE_PER_CALL = 1000;

export interface RedriveDependencies {
  sqs: Pick<SQSClient, 'send'>;
  deliveryQueueUrl: string;
  deadLetterQueueUrl: string;
}

export async function redriveDeliveries(
  deps: RedriveDependencies,
  limit: number = MAX_REDRIVE_PER_CALL,
): Promise<{ moved: number }> {
  let moved = 0;
  while (moved < limit) {
    const { Messages = [] } = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deps.deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(10, limit - moved),
        WaitTimeSeconds: 1,
        // Long enough for the send and the delete; a message not deleted comes back to the DLQ.
        VisibilityTimeout: 30,
      }),
    );
    if (Messages.length === 0) break;
    const sent = await deps.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deps.deliveryQueueUrl,
        Entries: Messages.map((message, index) => ({ Id: String(index), MessageBody: message.Body ?? '' })),
      }),
    );
    const accepted = (sent.Successful ?? []).map((entry) => Messages[Number(entry.Id)]!);
    if (accepted.length > 0) {
      await deps.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deps.deadLetterQueueUrl,
          Entries: accepted.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
    }
    moved += accepted.length;
    // The delivery queue refusing messages is not fixed by trying again at once.
    if (accepted.length < Messages.length) break;
  }
  return { moved };
}
