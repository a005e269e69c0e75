// The webhook dispatcher's effect for one bus event: the tenant's ACTIVE webhooks whose filter matches the
// whole event (source, detail-type, detail, …) each get one delivery message on the delivery queue.
//
// At least once: should this run again for the same event (a crash before the consumer's idempotency record
// is written, a partial SendMessageBatch failure), a webhook may receive the event twice, always with the same
// `webhook-id` and body, which is what Standard Webhooks receivers dedupe on.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { compilePattern } from '../../core/event-pattern/event-pattern.ts';
import type { BusEvent } from '../../core/events/event-envelope.ts';
import { webhookPayloadText } from '../../core/webhooks/webhook-payload.ts';
import type { DeliveryMessage } from './delivery-message.ts';
import type { WebhookItem } from './webhook-item.ts';
import { activeWebhooks, type WebhooksTable } from './webhooks-repository.ts';

export interface DispatchDependencies {
  webhooks: WebhooksTable;
  sqs: Pick<SQSClient, 'send'>;
  deliveryQueueUrl: string;
}

export function matchesFilter(webhook: Pick<WebhookItem, 'filterPattern'>, event: BusEvent): boolean {
  if (webhook.filterPattern === null) return true;
  return compilePattern(webhook.filterPattern).matches(event);
}

/** The number of delivery messages queued. */
export async function dispatchEvent(deps: DispatchDependencies, event: BusEvent): Promise<number> {
  const detail = event.detail;
  const matching = (await activeWebhooks(deps.webhooks, detail.tenantId)).filter((webhook) =>
    matchesFilter(webhook, event),
  );
  if (matching.length === 0) return 0;
  const body = webhookPayloadText(detail);
  const messages: DeliveryMessage[] = matching.map((webhook) => ({
    webhookId: webhook.webhookId,
    tenantId: detail.tenantId,
    messageId: detail.eventId,
    eventType: detail.type,
    body,
  }));
  for (let start = 0; start < messages.length; start += 10) {
    const chunk = messages.slice(start, start + 10);
    const output = await deps.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deps.deliveryQueueUrl,
        Entries: chunk.map((message, index) => ({ Id: String(index), MessageBody: JSON.stringify(message) })),
      }),
    );
    if (output.Failed?.length) {
      const first = output.Failed[0]!;
      throw new Error(
        `the delivery queue refused ${output.Failed.length} of ${chunk.length} messages: ${first.Code} ${first.Message ?? ''}`,
      );
    }
  }
  return messages.length;
}
