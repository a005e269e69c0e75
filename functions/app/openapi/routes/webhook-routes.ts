// Webhooks (webhooks.handler.ts, webhook-routes.ts, webhook-registration.ts).
import { WebhookIdSchema } from '../../webhooks/webhook-item.ts';
import { MAX_FILTER_DEPTH, WebhookRegistrationSchema } from '../../webhooks/webhook-registration.ts';
import {
  ListWebhooksQuerySchema,
  RedriveBodySchema as WebhookRedriveBodySchema,
} from '../../webhooks/webhook-routes.ts';
import { MAX_WEBHOOKS_PER_TENANT } from '../../webhooks/webhook-settings.ts';
import { describedObject, objectOf, pageOf } from '../response-shapes.ts';
import type { RouteDoc } from '../route-doc.ts';
import {
  BAD_BODY,
  BAD_OPTIONAL_BODY,
  BAD_PAGE,
  BAD_PARAMETERS,
  lacksRole,
  NOT_PLATFORM_ADMIN,
} from './error-descriptions.ts';

const WEBHOOK_ID = { schema: WebhookIdSchema, description: 'The webhook’s id, `wh_…`.' };
const WEBHOOK = 'webhook-view.ts `WebhookView`: everything but the signing secret.';
const NOT_FOUND = '`webhook_not_found`: the tenant has no webhook with this id.';

export const WEBHOOK_ROUTES: readonly RouteDoc[] = [
  {
    method: 'POST',
    path: '/v1/webhooks',
    operationId: 'createWebhook',
    summary: 'Subscribe a webhook',
    description:
      'Subscribes a URL to the tenant’s events, all of them or those matching `filter`, an EventBridge ' +
      `event pattern (at most ${MAX_FILTER_DEPTH} levels deep) matched against the whole bus event. The ` +
      'URL must be https and resolve to no local or private address. Deliveries are signed (Standard ' +
      'Webhooks) with the secret of the answer, the only time it is shown.',
    tag: 'Webhooks',
    access: { kind: 'key', role: 'admin' },
    body: { schemas: [WebhookRegistrationSchema], required: true, description: 'The subscription.' },
    success: {
      status: 201,
      description: 'Subscribed.',
      schema: describedObject(`${WEBHOOK} Plus \`secret\`, the signing secret.`),
    },
    errors: {
      400: `${BAD_BODY} A refused URL names \`url\`; an invalid pattern names \`filter\`.`,
      403: lacksRole('admin'),
      409: `\`webhook_limit_reached\`: the tenant has ${MAX_WEBHOOKS_PER_TENANT} webhooks already.`,
    },
  },
  {
    method: 'GET',
    path: '/v1/webhooks',
    operationId: 'listWebhooks',
    summary: 'List webhooks',
    description: 'The tenant’s webhooks, paged.',
    tag: 'Webhooks',
    access: { kind: 'key', role: 'any' },
    query: ListWebhooksQuerySchema,
    success: { status: 200, description: 'One page.', schema: pageOf(WEBHOOK) },
    errors: { 400: BAD_PAGE },
  },
  {
    method: 'GET',
    path: '/v1/webhooks/{id}',
    operationId: 'getWebhook',
    summary: 'Get a webhook',
    description: 'One of the tenant’s webhooks, with its last delivery and whether it is failing.',
    tag: 'Webhooks',
    access: { kind: 'key', role: 'any' },
    pathParameters: { id: WEBHOOK_ID },
    success: { status: 200, description: 'The webhook.', schema: describedObject(WEBHOOK) },
    errors: { 400: BAD_PARAMETERS, 404: NOT_FOUND },
  },
  {
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook',
    description: 'Unsubscribes the webhook; nothing more is delivered to it.',
    tag: 'Webhooks',
    access: { kind: 'key', role: 'admin' },
    pathParameters: { id: WEBHOOK_ID },
    success: { status: 204, description: 'Deleted.' },
    errors: { 400: BAD_PARAMETERS, 403: lacksRole('admin'), 404: NOT_FOUND },
  },
  {
    method: 'POST',
    path: '/v1/webhooks/redrive',
    operationId: 'redriveWebhookDeliveries',
    summary: 'Replay failed deliveries',
    description:
      'Moves the deliveries of the dead-letter queue, every tenant’s, back to the delivery queue, at most ' +
      '1 000 per call. No body, or `{}`.',
    tag: 'Webhooks',
    access: { kind: 'key', role: 'platform-admin' },
    body: { schemas: [WebhookRedriveBodySchema], required: false, description: 'Nothing, or `{}`.' },
    success: {
      status: 200,
      description: 'Moved.',
      schema: objectOf('What was moved.', { moved: { type: 'integer', minimum: 0 } }),
    },
    errors: { 400: BAD_OPTIONAL_BODY, 403: NOT_PLATFORM_ADMIN },
  },
];
