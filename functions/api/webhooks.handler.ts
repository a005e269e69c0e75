// POST /v1/webhooks, GET /v1/webhooks, GET|DELETE /v1/webhooks/{id}, POST /v1/webhooks/redrive
// (docs/backend.md "Webhooks"). Wiring only: the routes live in functions/app/webhooks/webhook-routes.ts.
// Environment: WEBHOOKS_TABLE, WEBHOOK_DELIVERY_QUEUE_URL, WEBHOOK_DLQ_URL, WEBHOOK_ALLOW_PRIVATE_URLS.
import { SQSClient } from '@aws-sdk/client-sqs';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { webhooksRoutes } from '../app/webhooks/webhook-routes.ts';
import { webhookSettings } from '../app/webhooks/webhook-settings.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { requiredEnvironment } from '../data/required-environment.ts';
import { routeRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { tracer } from '../observability/powertools.ts';

export const handler = observedHandler(
  routeRequest(
    webhooksRoutes({
      webhooks: { client: documentClient(), table: tableName('webhooks') },
      settings: webhookSettings(),
      redrive: {
        sqs: tracer.captureAWSv3Client(new SQSClient({})),
        deliveryQueueUrl: requiredEnvironment('WEBHOOK_DELIVERY_QUEUE_URL'),
        deadLetterQueueUrl: requiredEnvironment('WEBHOOK_DLQ_URL'),
      },
      clock: Date.now,
    }),
    tenantApiRateLimitFromEnvironment(),
  ),
);
