// Token bucket rate limiter (SPEC §6), stored in its GCRA form: the whole state is the instant the bucket
// will be full again. Tokens available at time t are capacity − (fullAtMs − t) / msPerToken, so refill
// is lazy and implied by elapsed time, can never exceed capacity (fullAtMs ≤ t means exactly full), and a
// clock that goes backwards only sees fewer tokens: nothing is minted because no "last refill" timestamp
// is ever moved back.
//
// Every token takes a whole number of milliseconds to refill (validated in tokenBucketConfig), so with
// epoch-millisecond clocks all arithmetic is on integers and exact: retryAfterMs is the smallest wait after
// which the same request is admitted, and no float drift can admit a request early.

export interface TokenBucketConfig {
  /** Most tokens the bucket holds: the largest burst. */
  capacity: number;
  /** Tokens added per refillIntervalMs… */
  refillTokens: number;
  /** …milliseconds (10 per 1 000 ms is 10/s; 100 per 60 000 ms is 100/min). */
  refillIntervalMs: number;
}

export interface TokenBucketState {
  /** When the bucket is full again (epoch ms); any time not after now means full. */
  fullAtMs: number;
}

/** A bucket that has never been used: full at any non-negative clock reading. */
export function fullTokenBucket(): TokenBucketState {
  return { fullAtMs: 0 };
}

export type TakeResult =
  | {
      allowed: true;
      /** Whole tokens left after this request (X-RateLimit-Remaining). */
      remaining: number;
      /** Time until the bucket is full again (X-RateLimit-Reset). */
      resetMs: number;
      state: TokenBucketState;
    }
  | {
      allowed: false;
      reason: 'insufficient_tokens';
      /** Exact wait until this request would be admitted (Retry-After). */
      retryAfterMs: number;
      remaining: number;
      resetMs: number;
      /** Unchanged: a refused request consumes nothing. */
      state: TokenBucketState;
    }
  | {
      /** The request costs more than the bucket can ever hold: no wait would help. */
      allowed: false;
      reason: 'cost_exceeds_capacity';
      remaining: number;
      resetMs: number;
      state: TokenBucketState;
    };

/** Validated, frozen configuration; plain objects of the same shape are accepted by take as well. */
export function tokenBucketConfig(config: TokenBucketConfig): Readonly<TokenBucketConfig> {
  for (const field of ['capacity', 'refillTokens', 'refillIntervalMs'] as const) {
    const value = config[field];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`token bucket ${field} must be a positive integer, got ${value}`);
    }
  }
  if (config.refillIntervalMs % config.refillTokens !== 0) {
    throw new RangeError(
      `token bucket refillIntervalMs (${config.refillIntervalMs}) must be a multiple of refillTokens ` +
        `(${config.refillTokens}) so that each token refills in a whole number of milliseconds`,
    );
  }
  return Object.freeze({ ...config });
}

/** Takes `cost` tokens at `nowMs` (epoch ms) if the bucket holds them. */
export function take(
  state: TokenBucketState,
  nowMs: number,
  config: Readonly<TokenBucketConfig>,
  cost = 1,
): TakeResult {
  if (!Number.isSafeInteger(cost) || cost < 1) {
    throw new RangeError(`token bucket cost must be a positive integer, got ${cost}`);
  }
  const msPerToken = tokenRefillMs(config);
  const burstMs = config.capacity * msPerToken;
  const filledFromMs = Math.max(state.fullAtMs, nowMs);
  const untilFullMs = filledFromMs - nowMs;
  if (cost > config.capacity) {
    return {
      allowed: false,
      reason: 'cost_exceeds_capacity',
      remaining: wholeTokens(burstMs - untilFullMs, msPerToken),
      resetMs: untilFullMs,
      state,
    };
  }
  const untilFullAfterMs = untilFullMs + cost * msPerToken;
  if (untilFullAfterMs > burstMs) {
    return {
      allowed: false,
      reason: 'insufficient_tokens',
      retryAfterMs: untilFullAfterMs - burstMs,
      remaining: wholeTokens(burstMs - untilFullMs, msPerToken),
      resetMs: untilFullMs,
      state,
    };
  }
  return {
    allowed: true,
    remaining: wholeTokens(burstMs - untilFullAfterMs, msPerToken),
    resetMs: untilFullAfterMs,
    state: { fullAtMs: nowMs + untilFullAfterMs },
  };
}

export interface BucketLevel {
  /** Whole tokens available now (X-RateLimit-Remaining). */
  remaining: number;
  /** Time until the bucket is full again (X-RateLimit-Reset). */
  resetMs: number;
}

/** What the bucket holds at `nowMs`, without taking anything. */
export function bucketLevel(
  state: TokenBucketState,
  nowMs: number,
  config: Readonly<TokenBucketConfig>,
): BucketLevel {
  const msPerToken = tokenRefillMs(config);
  const untilFullMs = Math.max(state.fullAtMs, nowMs) - nowMs;
  return {
    remaining: wholeTokens(config.capacity * msPerToken - untilFullMs, msPerToken),
    resetMs: untilFullMs,
  };
}

/** Milliseconds one token takes to refill: a whole number, by tokenBucketConfig's validation. */
export function tokenRefillMs(config: Readonly<TokenBucketConfig>): number {
  return config.refillIntervalMs / config.refillTokens;
}

function wholeTokens(refilledMs: number, msPerToken: number): number {
  // Negative after a clock jumped back past the last admission: the bucket is empty, not in debt.
  return Math.max(0, Math.floor(refilledMs / msPerToken));
}
