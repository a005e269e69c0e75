// POST /v1/webhooks: `{ url, filter?, description? }` checked and turned into a new subscription.
//   url          https: (http: too only where private targets are allowed), no local or private target,
//                checked through DNS (webhook-url-guard.ts)                          400 naming `url`
//   filter       an EventBridge event pattern matched against the whole bus event, e.g.
//                {"detail-type":["intent.decided"]} or {"detail":{"data":{"decision":["DENY"]}}};
//                absent or null: every event of the tenant                           400 naming `filter`
//                nested at most MAX_FILTER_DEPTH levels
//   description  free text, at most 256 characters
import { z } from 'zod';
import { validatePattern } from '../../core/event-pattern/event-pattern.ts';
import { generateWebhookSecret } from '../../core/webhooks/webhook-secret.ts';
import type { UrlPolicy } from '../../core/webhooks/webhook-url-policy.ts';
import { validationFailed } from '../../http/api-error.ts';
import { nestedAtMost } from '../json-bounds.ts';
import { newWebhookId, type WebhookItem } from './webhook-item.ts';
import { checkRegisteredUrl, type ResolveAll, WebhookUrlRefusedError } from './webhook-url-guard.ts';

export const WebhookRegistrationSchema = z.strictObject({
  url: z.string().min(1).max(2048),
  filter: z.record(z.string(), z.unknown()).nullable().optional(),
  description: z.string().max(256).nullable().optional(),
});

export type WebhookRegistration = z.output<typeof WebhookRegistrationSchema>;

/** Levels of objects and arrays a filter may have: far more than any bus event, so any pattern of one fits. */
export const MAX_FILTER_DEPTH = 16;

export interface RegistrationContext {
  tenantId: string;
  nowMs: number;
  urlPolicy: UrlPolicy;
  randomBytes: (size: number) => Uint8Array;
  resolve?: ResolveAll;
}

/** The item to store for a valid registration; throws a 400 naming `url` or `filter` otherwise. */
export async function webhookItemFor(
  registration: WebhookRegistration,
  context: RegistrationContext,
): Promise<WebhookItem> {
  const filter = registration.filter ?? null;
  if (filter !== null) {
    // The pattern compiler recurses once per level: a filter nested some thousands of levels deep
    // overflowed the stack (a 500; found by the fuzz suite, test/integration/fuzz). No event is that deep.
    if (!nestedAtMost(filter, MAX_FILTER_DEPTH)) {
      throw validationFailed([
        { field: 'filter', message: `nested at most ${MAX_FILTER_DEPTH} levels deep` },
      ]);
    }
    const problem = validatePattern(filter);
    if (problem) throw validationFailed([{ field: 'filter', message: problem }]);
  }
  let url: string;
  try {
    url = await checkRegisteredUrl(registration.url, context.urlPolicy, context.resolve);
  } catch (error) {
    if (error instanceof WebhookUrlRefusedError) {
      throw validationFailed([{ field: 'url', message: error.message }]);
    }
    throw error;
  }
  return {
    tenantId: context.tenantId,
    webhookId: newWebhookId(),
    url,
    filterPattern: filter === null ? null : JSON.stringify(filter),
    description: registration.description ?? null,
    status: 'ACTIVE',
    createdAt: new Date(context.nowMs).toISOString(),
    secret: generateWebhookSecret(context.randomBytes),
  };
}
