// The rate-limit headers against the bucket's arithmetic: what a client is told is what the bucket does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateLimitHeaders } from '../../../functions/core/rate-limit/rate-limit-headers.ts';
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_PLANS } from '../../../functions/core/rate-limit/rate-limit-plans.ts';
import {
  bucketLevel,
  fullTokenBucket,
  type TokenBucketState,
  take,
} from '../../../functions/core/rate-limit/token-bucket.ts';

const T0 = 1_800_000_000_000;
const configs = fc.constantFrom(DEFAULT_RATE_LIMIT, ...Object.values(RATE_LIMIT_PLANS));

describe('rateLimitHeaders', () => {
  it('a fresh default bucket: 50, 49 left, full again in 1 s (100 ms rounded up)', () => {
    const taken = take(fullTokenBucket(), T0, DEFAULT_RATE_LIMIT);
    expect(rateLimitHeaders(DEFAULT_RATE_LIMIT, taken)).toEqual({
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '49',
      'x-ratelimit-reset': '1',
    });
  });

  it('never tells a client to wait less than the bucket needs: after Retry-After seconds it is admitted', () => {
    fc.assert(
      fc.property(
        configs,
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 120_000 }),
        (config, burst, gapMs) => {
          let state: TokenBucketState = fullTokenBucket();
          for (let i = 0; i < burst; i += 1) {
            const taken = take(state, T0, config);
            if (taken.allowed) state = taken.state;
          }
          const now = T0 + gapMs;
          const attempt = take(state, now, config);
          if (attempt.allowed) return;
          if (attempt.reason !== 'insufficient_tokens') throw new Error(attempt.reason);
          const headers = rateLimitHeaders(config, attempt, attempt.retryAfterMs);
          const retryAfterMs = Number(headers['retry-after']) * 1_000;
          expect(retryAfterMs).toBeGreaterThanOrEqual(attempt.retryAfterMs);
          expect(retryAfterMs - attempt.retryAfterMs).toBeLessThan(1_000);
          expect(take(state, now + retryAfterMs, config).allowed).toBe(true);
          expect(headers['x-ratelimit-remaining']).toBe('0');
        },
      ),
    );
  });

  it('Remaining is what the bucket admits at once, and Reset when it holds its capacity again', () => {
    fc.assert(
      fc.property(
        configs,
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 60_000 }),
        (config, used, gapMs) => {
          let state: TokenBucketState = fullTokenBucket();
          for (let i = 0; i < used; i += 1) {
            const taken = take(state, T0, config);
            if (taken.allowed) state = taken.state;
          }
          const now = T0 + gapMs;
          const level = bucketLevel(state, now, config);
          const headers = rateLimitHeaders(config, level);
          // Exactly `remaining` more requests are admitted now, and not one more.
          let admitted = 0;
          let probe = state;
          for (;;) {
            const taken = take(probe, now, config);
            if (!taken.allowed) break;
            probe = taken.state;
            admitted += 1;
          }
          expect(Number(headers['x-ratelimit-remaining'])).toBe(admitted);
          const resetMs = Number(headers['x-ratelimit-reset']) * 1_000;
          expect(bucketLevel(state, now + resetMs, config).remaining).toBe(config.capacity);
          expect(headers['x-ratelimit-limit']).toBe(String(config.capacity));
        },
      ),
      { numRuns: 60 },
    );
  });
});
