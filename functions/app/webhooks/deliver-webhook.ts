// One delivery message, one attempt (docs/backend.md "Webhooks"):
//   1. the webhook is read; gone or DISABLED → the message is dropped (logged); so is a message already
//      delivered to it (a duplicate dispatch: same webhook, same webhook-id)
//   2. the URL is checked again (its IP literal; a hostname is checked by the guarded lookup on connect)
//   3. signed with a fresh timestamp, POSTed (post-delivery.ts)
//   4. 2xx → delivered: failingSince cleared, lastDelivery set
//      else → failingSince (first failure kept) and lastDelivery set; once failing for longer than
//             disableAfterSeconds the webhook is DISABLED and `webhook.disabled` published, and the message
//             is done; otherwise DeliveryFailedError, and the worker schedules the retry.
// The `webhook.disabled` event is published before the status changes and has an id derived from the
// webhook and its failingSince, so a crash in between publishes the same event again, never a second one.
import { newEvent } from '../../core/events/event-envelope.ts';
import {
  type AttemptResult,
  isDelivered,
  lastDeliveryOf,
  shouldDisable,
} from '../../core/webhooks/delivery-outcome.ts';
import { deliveryHeaders } from '../../core/webhooks/webhook-signature.ts';
import { checkWebhookUrl } from '../../core/webhooks/webhook-url-policy.ts';
import type { EventPublisher } from '../../events/event-publisher.ts';
import type { DeliveryMessage } from './delivery-message.ts';
import type { PostDelivery } from './post-delivery.ts';
import { DELIVERED_MARKER_TTL_SECONDS } from './webhook-item.ts';
import type { WebhookSettings } from './webhook-settings.ts';
import { guardedLookup } from './webhook-url-guard.ts';
import {
  disableWebhook,
  getWebhook,
  recordDelivered,
  recordFailure,
  type WebhooksTable,
  wasDelivered,
} from './webhooks-repository.ts';

export interface DeliveryDependencies {
  webhooks: WebhooksTable;
  settings: Pick<WebhookSettings, 'urlPolicy' | 'timeoutMs' | 'disableAfterSeconds'>;
  post: PostDelivery;
  events: EventPublisher;
  clock: () => number;
  log: (level: 'info' | 'warn', message: string, details: Record<string, unknown>) => void;
}

export type DeliveryOutcome = 'delivered' | 'dropped' | 'disabled';

export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailedError';
}

async function attempt(deps: DeliveryDependencies, url: string, message: DeliveryMessage, secret: string) {
  const check = checkWebhookUrl(url, deps.settings.urlPolicy);
  if (!check.ok) return { kind: 'no_answer', error: `refused: ${check.reason}` } satisfies AttemptResult;
  const headers = deliveryHeaders(secret, {
    messageId: message.messageId,
    timestampSeconds: Math.floor(deps.clock() / 1000),
    body: message.body,
    eventType: message.eventType,
  });
  return deps.post({
    url: check.url,
    headers: { ...headers },
    body: message.body,
    timeoutMs: deps.settings.timeoutMs,
    lookup: guardedLookup(deps.settings.urlPolicy),
  });
}

export async function deliverWebhook(
  deps: DeliveryDependencies,
  message: DeliveryMessage,
): Promise<DeliveryOutcome> {
  const key = { tenantId: message.tenantId, webhookId: message.webhookId };
  const webhook = await getWebhook(deps.webhooks, key.tenantId, key.webhookId);
  if (webhook?.status !== 'ACTIVE') {
    deps.log('info', 'webhook delivery dropped: the webhook is gone or disabled', {
      ...key,
      messageId: message.messageId,
      status: webhook?.status ?? 'DELETED',
    });
    return 'dropped';
  }
  if (await wasDelivered(deps.webhooks, key, message.messageId)) {
    deps.log('info', 'webhook delivery dropped: already delivered', { ...key, messageId: message.messageId });
    return 'dropped';
  }
  const result = await attempt(deps, webhook.url, message, webhook.secret);
  const nowMs = deps.clock();
  const lastDelivery = lastDeliveryOf(result, nowMs);
  if (isDelivered(result)) {
    const expiresAt = Math.floor(nowMs / 1000) + DELIVERED_MARKER_TTL_SECONDS;
    await recordDelivered(deps.webhooks, key, message.messageId, lastDelivery, expiresAt);
    return 'delivered';
  }
  const failing = await recordFailure(deps.webhooks, key, lastDelivery);
  if (!failing) return 'dropped';
  if (failing.failingSince && shouldDisable(failing.failingSince, nowMs, deps.settings.disableAfterSeconds)) {
    await deps.events.publish([
      newEvent('webhook.disabled', {
        tenantId: key.tenantId,
        key: `${key.webhookId}|${failing.failingSince}`,
        occurredAt: nowMs,
        data: { webhookId: key.webhookId, url: webhook.url, failingSince: failing.failingSince },
      }),
    ]);
    await disableWebhook(deps.webhooks, key, new Date(nowMs).toISOString());
    deps.log('warn', 'webhook disabled after failing too long', {
      ...key,
      failingSince: failing.failingSince,
      lastDelivery,
    });
    return 'disabled';
  }
  throw new DeliveryFailedError(
    `delivery of ${message.messageId} to webhook ${key.webhookId} failed: ${lastDelivery.error ?? 'unknown'}`,
  );
}
