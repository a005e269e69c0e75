// A webhook subscription as stored in the WebhooksTable (PK tenantId, SK webhookId):
//   { tenantId, webhookId: "wh_<32 hex>", url, filterPattern: <pattern JSON text> | null, description,
//     status: ACTIVE | DISABLED, createdAt, secret: "whsec_…",
//     failingSince?: ISO, lastDelivery?: { at, status, error }, disabledAt?: ISO }
// Next to the subscriptions, in the same partition and skipped by the listings (which read `wh_` ids only):
//   { tenantId, webhookId: "#quota", count }   how many webhooks the tenant has (at most 25)
//   { tenantId, webhookId: "delivered#<webhookId>#<messageId>", deliveredAt, expiresAt }
//       a delivery that succeeded, so that a duplicate delivery message (the dispatcher run twice for one
//       event) is dropped instead of POSTed again; expiresAt (epoch seconds, 15 days on) is the TTL attribute
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LastDelivery } from '../../core/webhooks/delivery-outcome.ts';

export const WEBHOOK_STATUSES = ['ACTIVE', 'DISABLED'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

export const WEBHOOK_ID_PREFIX = 'wh_';
export const QUOTA_SORT_KEY = '#quota';

export interface WebhookItem {
  tenantId: string;
  webhookId: string;
  url: string;
  /** The event pattern as the subscriber sent it (JSON text); null: every event of the tenant. */
  filterPattern: string | null;
  description: string | null;
  status: WebhookStatus;
  createdAt: string;
  secret: string;
  failingSince?: string;
  lastDelivery?: LastDelivery;
  disabledAt?: string;
}

/** How long a delivered marker is kept: past the dispatcher's idempotency window and the DLQ's retention. */
export const DELIVERED_MARKER_TTL_SECONDS = 15 * 24 * 3600;

export function deliveredMarkerKey(webhookId: string, messageId: string): string {
  return `delivered#${webhookId}#${messageId}`;
}

export function newWebhookId(): string {
  return `${WEBHOOK_ID_PREFIX}${randomBytes(16).toString('hex')}`;
}

/** A webhook id as the API accepts it: the one spelling newWebhookId produces. */
export const WebhookIdSchema = z
  .string()
  .regex(/^wh_[0-9a-f]{32}$/, '"wh_" followed by 32 lowercase hex characters');
