import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fullTokenBucket,
  type TokenBucketConfig,
  take,
  tokenBucketConfig,
} from '../../../functions/core/rate-limit/token-bucket.ts';

const configArbitrary = fc
  .record({
    capacity: fc.integer({ min: 1, max: 30 }),
    refillTokens: fc.integer({ min: 1, max: 10 }),
    // Short refill times make arrivals land on refill boundaries often, where an off-by-one would show.
    msPerToken: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2_000 })),
  })
  .map(({ capacity, refillTokens, msPerToken }) =>
    tokenBucketConfig({ capacity, refillTokens, refillIntervalMs: refillTokens * msPerToken }),
  );

// Bursts (0), tight pacing and long pauses.
const gapArbitrary = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 }), fc.nat({ max: 3_000 }));

interface Admission {
  atMs: number;
  cost: number;
}

/** Runs requests at the given clock readings (in that order) and returns the admitted ones. */
function admissions(
  config: Readonly<TokenBucketConfig>,
  requests: readonly { atMs: number; cost: number }[],
): Admission[] {
  let state = fullTokenBucket();
  const admitted: Admission[] = [];
  for (const request of requests) {
    const result = take(state, request.atMs, config, request.cost);
    state = result.state;
    if (result.allowed) admitted.push(request);
  }
  return admitted;
}

/** Exact integer form of: admitted ≤ capacity + (refillTokens / refillIntervalMs) · spanMs. */
function withinBound(config: Readonly<TokenBucketConfig>, admitted: number, spanMs: number): boolean {
  return (
    admitted * config.refillIntervalMs <=
    config.capacity * config.refillIntervalMs + spanMs * config.refillTokens
  );
}

describe('token bucket properties', () => {
  it('never admits more than capacity + rate·t in any window of length t, for any arrival sequence', () => {
    fc.assert(
      fc.property(
        configArbitrary,
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.array(fc.record({ gapMs: gapArbitrary, cost: fc.integer({ min: 1, max: 5 }) }), {
          maxLength: 150,
        }),
        (config, startMs, arrivals) => {
          let atMs = startMs;
          const requests = arrivals.map(({ gapMs, cost }) => {
            atMs += gapMs;
            return { atMs, cost };
          });
          const admitted = admissions(config, requests);
          // The tightest windows start and end on admissions.
          for (let first = 0; first < admitted.length; first++) {
            let tokens = 0;
            for (let last = first; last < admitted.length; last++) {
              tokens += admitted[last]!.cost;
              expect(withinBound(config, tokens, admitted[last]!.atMs - admitted[first]!.atMs)).toBe(true);
            }
          }
        },
      ),
    );
  });

  it('mints nothing from a clock that jumps around: total ≤ capacity + rate·(latest − earliest reading)', () => {
    fc.assert(
      fc.property(
        configArbitrary,
        fc.array(
          fc.record({ atMs: fc.integer({ min: 0, max: 100_000 }), cost: fc.integer({ min: 1, max: 3 }) }),
          {
            minLength: 1,
            maxLength: 150,
          },
        ),
        (config, requests) => {
          const total = admissions(config, requests).reduce((sum, admission) => sum + admission.cost, 0);
          const readings = requests.map((request) => request.atMs);
          expect(withinBound(config, total, Math.max(...readings) - Math.min(...readings))).toBe(true);
        },
      ),
    );
  });

  it('retryAfterMs is exact: one millisecond earlier is refused, at retryAfterMs the request passes', () => {
    fc.assert(
      fc.property(
        configArbitrary,
        fc.array(gapArbitrary, { maxLength: 60 }),
        fc.integer({ min: 1, max: 30 }),
        (config, gaps, cost) => {
          fc.pre(cost <= config.capacity);
          let state = fullTokenBucket();
          let atMs = 0;
          for (const gapMs of gaps) {
            atMs += gapMs;
            state = take(state, atMs, config).state;
          }
          const result = take(state, atMs, config, cost);
          if (result.allowed || result.reason !== 'insufficient_tokens') return;
          expect(result.retryAfterMs).toBeGreaterThan(0);
          expect(take(state, atMs + result.retryAfterMs - 1, config, cost).allowed).toBe(false);
          expect(take(state, atMs + result.retryAfterMs, config, cost).allowed).toBe(true);
        },
      ),
    );
  });
});
