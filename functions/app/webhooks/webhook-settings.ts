// The webhook configuration a function reads from its environment (docs/backend.md "Webhooks"):
//   WEBHOOK_ALLOW_PRIVATE_URLS     "true": private/loopback targets and http: allowed (sandbox, tests only)
//   WEBHOOK_RETRY_DELAYS_SECONDS   comma list, default "5,15,45,135,405"; the delivery queue's
//                                  maxReceiveCount must be its length + 1
//   WEBHOOK_TIMEOUT_MS             one attempt's whole time budget, default 10000
//   WEBHOOK_DISABLE_AFTER_SECONDS  failing this long disables a webhook, default 432000 (5 days)
import { DEFAULT_DISABLE_AFTER_SECONDS } from '../../core/webhooks/delivery-outcome.ts';
import { parseRetryDelays } from '../../core/webhooks/retry-schedule.ts';
import type { UrlPolicy } from '../../core/webhooks/webhook-url-policy.ts';

/** At most this many webhooks per tenant. */
export const MAX_WEBHOOKS_PER_TENANT = 25;
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookSettings {
  urlPolicy: UrlPolicy;
  retryDelays: readonly number[];
  timeoutMs: number;
  disableAfterSeconds: number;
}

export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  return {
    urlPolicy: { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE_URLS === 'true' },
    retryDelays: parseRetryDelays(env.WEBHOOK_RETRY_DELAYS_SECONDS),
    timeoutMs: positiveNumber(env, 'WEBHOOK_TIMEOUT_MS', DEFAULT_TIMEOUT_MS),
    disableAfterSeconds: positiveNumber(env, 'WEBHOOK_DISABLE_AFTER_SECONDS', DEFAULT_DISABLE_AFTER_SECONDS),
  };
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${text}"`);
  return value;
}
