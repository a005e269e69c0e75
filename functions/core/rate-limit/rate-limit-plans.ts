// Rate limits of SPEC §6. A plan's "N per minute" is a bucket of N tokens refilled at N per minute: a
// tenant may spend a whole minute's allowance in one burst, then proceeds at the plan's steady rate.

import { type TokenBucketConfig, tokenBucketConfig } from './token-bucket.ts';

/** Per tenant without a plan: burst of 50, refill 10/s. */
export const DEFAULT_RATE_LIMIT: Readonly<TokenBucketConfig> = tokenBucketConfig({
  capacity: 50,
  refillTokens: 10,
  refillIntervalMs: 1_000,
});

export type RateLimitPlan = 'core' | 'pro' | 'exec';

const MINUTE_MS = 60_000;

export const RATE_LIMIT_PLANS: Readonly<Record<RateLimitPlan, Readonly<TokenBucketConfig>>> = Object.freeze({
  core: tokenBucketConfig({ capacity: 100, refillTokens: 100, refillIntervalMs: MINUTE_MS }),
  pro: tokenBucketConfig({ capacity: 1_000, refillTokens: 1_000, refillIntervalMs: MINUTE_MS }),
  exec: tokenBucketConfig({ capacity: 10_000, refillTokens: 10_000, refillIntervalMs: MINUTE_MS }),
});

export const RATE_LIMIT_PLAN_NAMES = ['core', 'pro', 'exec'] as const satisfies readonly RateLimitPlan[];

export function isRateLimitPlan(value: unknown): value is RateLimitPlan {
  return typeof value === 'string' && (RATE_LIMIT_PLAN_NAMES as readonly string[]).includes(value);
}

/** The bucket of a tenant on `plan`; a tenant without a plan gets DEFAULT_RATE_LIMIT. */
export function rateLimitFor(plan: RateLimitPlan | undefined): Readonly<TokenBucketConfig> {
  return plan === undefined ? DEFAULT_RATE_LIMIT : RATE_LIMIT_PLANS[plan];
}
