// What the API shows of a webhook: everything but the secret, which only the creating response carries.
import type { LastDelivery } from '../../core/webhooks/delivery-outcome.ts';
import type { WebhookItem, WebhookStatus } from './webhook-item.ts';

export interface WebhookView {
  webhookId: string;
  url: string;
  filter: unknown;
  description: string | null;
  status: WebhookStatus;
  createdAt: string;
  failingSince: string | null;
  lastDelivery: LastDelivery | null;
  disabledAt: string | null;
}

export function webhookView(item: WebhookItem): WebhookView {
  return {
    webhookId: item.webhookId,
    url: item.url,
    filter: item.filterPattern === null ? null : JSON.parse(item.filterPattern),
    description: item.description,
    status: item.status,
    createdAt: item.createdAt,
    failingSince: item.failingSince ?? null,
    lastDelivery: item.lastDelivery ?? null,
    disabledAt: item.disabledAt ?? null,
  };
}
