// The webhook delivery worker: signed POSTs of the delivery queue's messages, with the retry schedule, the
// DLQ and auto-disable (functions/app/webhooks/webhook-delivery-worker.ts). Wiring only.
// Environment: WEBHOOKS_TABLE, WEBHOOK_DELIVERY_QUEUE_URL, WEBHOOK_DLQ_URL, WEBHOOK_RETRY_DELAYS_SECONDS, WEBHOOK_TIMEOUT_MS,
// WEBHOOK_DISABLE_AFTER_SECONDS, WEBHOOK_ALLOW_PRIVATE_URLS, and busPublisher's EVENT_BUS_NAME,
// UNDELIVERED_EVENTS_QUEUE_URL (for `webhook.disabled`).
import { SQSClient } from '@aws-sdk/client-sqs';
import { postDelivery } from '../app/webhooks/post-delivery.ts';
import { createWebhookDeliveryWorker } from '../app/webhooks/webhook-delivery-worker.ts';
import { webhookSettings } from '../app/webhooks/webhook-settings.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { requiredEnvironment } from '../data/required-environment.ts';
import { busPublisher } from '../events/bus-publisher.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger, tracer } from '../observability/powertools.ts';

const settings = webhookSettings();

export const handler = observedHandler(
  createWebhookDeliveryWorker({
    webhooks: { client: documentClient(), table: tableName('webhooks') },
    settings,
    retryDelays: settings.retryDelays,
    post: postDelivery,
    events: busPublisher(),
    clock: Date.now,
    log: (level, message, details) => logger[level](message, details),
    sqs: tracer.captureAWSv3Client(new SQSClient({})),
    deliveryQueueUrl: requiredEnvironment('WEBHOOK_DELIVERY_QUEUE_URL'),
    deadLetterQueueUrl: requiredEnvironment('WEBHOOK_DLQ_URL'),
  }),
);
