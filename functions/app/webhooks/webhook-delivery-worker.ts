// The delivery worker's Lambda logic: a batch of delivery messages from the delivery queue, each attempted on
// its own (Powertools BatchProcessor, partial batch response). A failed attempt's message is made visible
// again after the retry schedule's delay for its receive count (retry-later.ts; 5, 15, 45, 135, 405 s by
// default); after the last delay it is received once more at once, and the queue's redrive policy
// (maxReceiveCount = schedule length + 1, 6 by default) moves it to the DLQ. Not an eventConsumerHandler:
// these messages are deliveries, not bus events, and the same delivery must be attempted again, not deduped.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { scheduledRetryDelay } from '../../core/webhooks/retry-schedule.ts';
import { retryLater } from '../../events/retry-later.ts';
import { processSqsBatch } from '../../events/sqs-batch.ts';
import type { LambdaContext } from '../../observability/observed-handler.ts';
import { logger, metrics } from '../../observability/powertools.ts';
import { type DeliveryDependencies, deliverWebhook } from './deliver-webhook.ts';
import { parseDeliveryMessage } from './delivery-message.ts';

export interface DeliveryWorkerDependencies extends DeliveryDependencies {
  sqs: Pick<SQSClient, 'send'>;
  deliveryQueueUrl: string;
  /** Where a message that is no delivery goes at once: kept for a look, never retried or dropped. */
  deadLetterQueueUrl: string;
  retryDelays: readonly number[];
}

export function createWebhookDeliveryWorker(
  deps: DeliveryWorkerDependencies,
): (event: SQSEvent, context: LambdaContext) => Promise<SQSBatchResponse> {
  async function handleRecord(record: SQSRecord): Promise<void> {
    const message = parseDeliveryMessage(record.body);
    if (!message) {
      await deps.sqs.send(
        new SendMessageCommand({
          QueueUrl: deps.deadLetterQueueUrl,
          MessageBody: record.body,
          MessageAttributes: { ERROR_CODE: { DataType: 'String', StringValue: 'MalformedDelivery' } },
        }),
      );
      logger.error('not a webhook delivery message; sent to the dead-letter queue', {
        messageId: record.messageId,
      });
      metrics.addMetric('WebhookDeliveriesMalformed', MetricUnit.Count, 1);
      return;
    }
    const outcome = await deliverWebhook(deps, message);
    const metric = { delivered: 'WebhookDelivered', dropped: 'WebhookDropped', disabled: 'WebhookDisabled' }[
      outcome
    ];
    metrics.addMetric(metric, MetricUnit.Count, 1);
  }

  return async (event, context) => {
    const { response, failures } = await processSqsBatch(event, context, handleRecord);
    if (failures.length > 0) {
      metrics.addMetric('WebhookDeliveryFailed', MetricUnit.Count, failures.length);
      await retryLater(
        deps.sqs,
        deps.deliveryQueueUrl,
        failures.map((failure) => failure.record),
        (attempt) => scheduledRetryDelay(deps.retryDelays, attempt),
      );
      for (const { record, error } of failures)
        logger.warn('webhook delivery failed; retried later', { messageId: record.messageId, error });
    }
    return response;
  };
}
