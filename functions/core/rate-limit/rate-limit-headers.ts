// The rate-limit headers of an API response (SPEC §6), from the bucket's own arithmetic:
//   X-RateLimit-Limit      the bucket's capacity: the largest burst the tenant may send
//   X-RateLimit-Remaining  whole tokens left after this request
//   X-RateLimit-Reset      seconds until the bucket is full again (delta seconds, as the IETF RateLimit
//                          header draft and Retry-After use, so a client needs no synchronized clock)
//   Retry-After            on a 429 only: seconds until this same request would be admitted
// Seconds are rounded up: a client that waits what it was told is never refused again for waiting a
// fraction of a second too little.
import type { BucketLevel, TokenBucketConfig } from './token-bucket.ts';

export type RateLimitHeaders = Record<string, string>;

export function rateLimitHeaders(
  config: Readonly<TokenBucketConfig>,
  level: BucketLevel,
  retryAfterMs?: number,
): RateLimitHeaders {
  return {
    'x-ratelimit-limit': String(config.capacity),
    'x-ratelimit-remaining': String(level.remaining),
    'x-ratelimit-reset': String(wholeSecondsUp(level.resetMs)),
    ...(retryAfterMs === undefined ? {} : { 'retry-after': String(wholeSecondsUp(retryAfterMs)) }),
  };
}

function wholeSecondsUp(ms: number): number {
  return Math.ceil(ms / 1_000);
}
