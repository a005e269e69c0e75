// The webhook dispatcher (SPEC §5): every trustgate bus event → one delivery message per matching ACTIVE
// webhook of its tenant (functions/app/webhooks/dispatch-event.ts). Wiring only.
// Environment: WEBHOOKS_TABLE, WEBHOOK_DELIVERY_QUEUE_URL, and eventConsumerHandler's IDEMPOTENCY_TABLE,
// CONSUMER_QUEUE_URL, CONSUMER_DLQ_URL, CONSUMER_RETRY_BASE_SECONDS.
import { SQSClient } from '@aws-sdk/client-sqs';
import { dispatchEvent } from '../app/webhooks/dispatch-event.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { requiredEnvironment } from '../data/required-environment.ts';
import { eventConsumerHandler } from '../events/event-consumer.ts';
import { tracer } from '../observability/powertools.ts';

const deps = {
  webhooks: { client: documentClient(), table: tableName('webhooks') },
  sqs: tracer.captureAWSv3Client(new SQSClient({})),
  deliveryQueueUrl: requiredEnvironment('WEBHOOK_DELIVERY_QUEUE_URL'),
};

export const handler = eventConsumerHandler({
  consumer: 'webhook-dispatcher',
  process: async (event) => {
    await dispatchEvent(deps, event);
  },
});
