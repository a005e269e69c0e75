import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_PLANS } from '../../../functions/core/rate-limit/rate-limit-plans.ts';
import {
  fullTokenBucket,
  type TakeResult,
  type TokenBucketConfig,
  type TokenBucketState,
  take,
  tokenBucketConfig,
} from '../../../functions/core/rate-limit/token-bucket.ts';

const config = DEFAULT_RATE_LIMIT; // 50 tokens, 10/s: one token per 100 ms.

function drained(atMs: number, cfg: Readonly<TokenBucketConfig> = config): TokenBucketState {
  let state = fullTokenBucket();
  for (let i = 0; i < cfg.capacity; i++) state = admitted(take(state, atMs, cfg)).state;
  return state;
}

function admitted(result: TakeResult) {
  if (!result.allowed) throw new Error(`expected admission, got ${result.reason}`);
  return result;
}

function outOfTokens(result: TakeResult) {
  if (result.allowed || result.reason !== 'insufficient_tokens') {
    throw new Error(`expected a refusal for lack of tokens, got ${JSON.stringify(result)}`);
  }
  return result;
}

describe('rate limit configurations', () => {
  it('defaults to 50 tokens refilled at 10/s (SPEC §6)', () => {
    expect(DEFAULT_RATE_LIMIT).toEqual({ capacity: 50, refillTokens: 10, refillIntervalMs: 1_000 });
  });

  it('gives each plan a minute of allowance as burst and refills it over a minute', () => {
    expect(RATE_LIMIT_PLANS).toEqual({
      core: { capacity: 100, refillTokens: 100, refillIntervalMs: 60_000 },
      pro: { capacity: 1_000, refillTokens: 1_000, refillIntervalMs: 60_000 },
      exec: { capacity: 10_000, refillTokens: 10_000, refillIntervalMs: 60_000 },
    });
  });

  it.each([
    [{ capacity: 0, refillTokens: 1, refillIntervalMs: 1_000 }, /capacity must be a positive integer, got 0/],
    [{ capacity: 5, refillTokens: 1.5, refillIntervalMs: 1_000 }, /refillTokens must be a positive integer/],
    [{ capacity: 5, refillTokens: 1, refillIntervalMs: -1 }, /refillIntervalMs must be a positive integer/],
    [{ capacity: 5, refillTokens: 3, refillIntervalMs: 1_000 }, /must be a multiple of refillTokens \(3\)/],
  ])('rejects %o', (bad, message) => {
    expect(() => tokenBucketConfig(bad)).toThrow(message);
  });
});

describe('token bucket', () => {
  it('starts full: a burst of exactly capacity passes, the next request does not', () => {
    const first = admitted(take(fullTokenBucket(), 0, config));
    expect(first.remaining).toBe(49);
    expect(first.resetMs).toBe(100);

    const state = drained(0);
    expect(outOfTokens(take(state, 0, config))).toEqual({
      allowed: false,
      reason: 'insufficient_tokens',
      retryAfterMs: 100,
      remaining: 0,
      resetMs: 5_000,
      state,
    });
  });

  it('refills lazily from the elapsed time and reports whole tokens', () => {
    const state = drained(0);
    const one = admitted(take(state, 250, config)); // 2.5 tokens refilled
    expect(one.remaining).toBe(1);
    const two = admitted(take(one.state, 250, config));
    expect(two.remaining).toBe(0);
    expect(two.resetMs).toBe(4_950);
    expect(outOfTokens(take(two.state, 250, config)).retryAfterMs).toBe(50);
  });

  it('gives the exact wait: refused one millisecond before retryAfterMs, admitted at it', () => {
    const state = drained(1_000);
    const refusal = outOfTokens(take(state, 1_030, config, 3));
    expect(refusal.retryAfterMs).toBe(270);
    expect(take(state, 1_030 + 269, config, 3).allowed).toBe(false);
    expect(take(state, 1_030 + 270, config, 3).allowed).toBe(true);
  });

  it('never holds more than capacity, however long it stays idle', () => {
    const state = admitted(take(drained(0), 86_400_000, config)).state;
    const afterADay = admitted(take(state, 86_400_000, config));
    expect(afterADay.remaining).toBe(48);
    expect(take(drained(0), 5_000, config, 50).allowed).toBe(true);
    expect(take(drained(0), 4_999, config, 50).allowed).toBe(false);
  });

  it('reports the time until full for X-RateLimit-Reset', () => {
    const result = admitted(take(fullTokenBucket(), 10_000, config, 20));
    expect(result.resetMs).toBe(2_000);
    expect(admitted(take(result.state, 11_000, config)).resetMs).toBe(1_100);
  });

  it('does not consume anything when it refuses', () => {
    const state = drained(0);
    const refusal = outOfTokens(take(state, 50, config));
    expect(refusal.state).toBe(state);
  });

  it('does not mint tokens when the clock goes backwards', () => {
    const state = drained(10_000);
    const earlier = outOfTokens(take(state, 9_000, config));
    expect(earlier.remaining).toBe(0);
    expect(earlier.retryAfterMs).toBe(1_100);
    // Back at the original time nothing has been refilled; 100 ms later exactly one token has.
    expect(take(earlier.state, 10_000, config).allowed).toBe(false);
    const next = admitted(take(earlier.state, 10_100, config));
    expect(next.remaining).toBe(0);
  });

  it('refuses a cost above capacity with a reason that says no wait would help', () => {
    const state = fullTokenBucket();
    const result = take(state, 0, config, 51);
    expect(result).toEqual({
      allowed: false,
      reason: 'cost_exceeds_capacity',
      remaining: 50,
      resetMs: 0,
      state,
    });
    expect(result).not.toHaveProperty('retryAfterMs');
  });

  it('takes costs above one', () => {
    const result = admitted(take(fullTokenBucket(), 0, config, 50));
    expect(result.remaining).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a cost of %d as a programming error', (cost) => {
    expect(() => take(fullTokenBucket(), 0, config, cost)).toThrow(RangeError);
  });

  it.each([
    ['core', 600],
    ['pro', 60],
    ['exec', 6],
  ] as const)('paces the %s plan at one token every %d ms once drained', (plan, msPerToken) => {
    const planConfig = RATE_LIMIT_PLANS[plan];
    const state = drained(0, planConfig);
    expect(outOfTokens(take(state, 0, planConfig)).retryAfterMs).toBe(msPerToken);
    expect(take(state, msPerToken, planConfig).allowed).toBe(true);
  });

  it('keeps its state plain data', () => {
    const state = admitted(take(fullTokenBucket(), 1_700_000_000_000, config)).state;
    expect(JSON.parse(JSON.stringify(state))).toEqual({ fullAtMs: 1_700_000_000_100 });
  });
});
