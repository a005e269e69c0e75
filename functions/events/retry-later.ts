// Backoff for SQS messages a consumer could not process. Reporting a message as a batch item failure
// makes it visible again only after the queue's visibility timeout (minutes, sized for the function's
// timeout); setting its visibility to the backoff instead retries it after seconds, and after
// `maxReceiveCount` receives SQS moves it to the queue's DLQ by itself. The webhook deliveries use the same
// mechanism for their 5, 15, 45, 135, 405 s schedule.
import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

/** SQS's largest visibility timeout, 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_ENTRIES_PER_CHANGE = 10;

/** Seconds to wait after the failed attempt number `receiveCount` (1 = the first delivery). */
export type RetryDelay = (receiveCount: number) => number;

/** base, 2·base, 4·base, … seconds, capped. */
export function exponentialRetryDelay(baseSeconds: number, maxSeconds = 900): RetryDelay {
  return (receiveCount) => Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, receiveCount - 1));
}

export function receiveCountOf(record: Pick<SQSRecord, 'attributes'>): number {
  const count = Number(record.attributes?.ApproximateReceiveCount ?? '1');
  return Number.isSafeInteger(count) && count >= 1 ? count : 1;
}

/**
 * Sets each failed record's visibility to its backoff. Best effort: a record whose change fails simply
 * comes back after the queue's visibility timeout, later but not lost.
 */
export async function retryLater(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  records: readonly Pick<SQSRecord, 'receiptHandle' | 'attributes'>[],
  delay: RetryDelay,
): Promise<void> {
  for (let start = 0; start < records.length; start += MAX_ENTRIES_PER_CHANGE) {
    const chunk = records.slice(start, start + MAX_ENTRIES_PER_CHANGE);
    await sqs
      .send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((record, index) => ({
            Id: String(index),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: Math.min(
              MAX_VISIBILITY_SECONDS,
              Math.max(0, Math.round(delay(receiveCountOf(record)))),
            ),
          })),
        }),
      )
      .catch(() => undefined);
  }
}
