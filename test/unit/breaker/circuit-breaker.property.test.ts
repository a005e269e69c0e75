import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakerConfig } from '../../../functions/core/breaker/breaker-config.ts';
import { type BreakerState, initialBreakerState } from '../../../functions/core/breaker/breaker-state.ts';
import { canPass, recordFailure, recordSuccess } from '../../../functions/core/breaker/circuit-breaker.ts';

const configArbitrary = fc
  .record({
    failureThreshold: fc.integer({ min: 1, max: 5 }),
    failureRateThreshold: fc.double({ min: 0.1, max: 1, noNaN: true }),
    minimumRequests: fc.integer({ min: 1, max: 8 }),
    windowBuckets: fc.integer({ min: 1, max: 6 }),
    bucketMs: fc.integer({ min: 100, max: 10_000 }),
    resetTimeoutMs: fc.integer({ min: 1, max: 20_000 }),
    extraResetCapMs: fc.integer({ min: 0, max: 100_000 }),
    halfOpenMaxProbes: fc.integer({ min: 1, max: 4 }),
    successesToClose: fc.integer({ min: 1, max: 3 }),
    probeTimeoutMs: fc.integer({ min: 1, max: 30_000 }),
  })
  .map(({ bucketMs, extraResetCapMs, ...rest }) =>
    breakerConfig({
      ...rest,
      windowMs: bucketMs * rest.windowBuckets,
      maxResetTimeoutMs: rest.resetTimeoutMs + extraResetCapMs,
    }),
  );

// A caller either asks to send a call, or one of its in-flight calls (picked by index) comes back.
// Clock steps may be negative: the invariants must survive a clock that goes backwards.
const stepArbitrary = fc.record({
  advanceMs: fc.integer({ min: -2_000, max: 40_000 }),
  action: fc.oneof(
    fc.constant({ kind: 'request' as const }),
    fc.record({ kind: fc.constant('complete' as const), pick: fc.nat(), succeeded: fc.boolean() }),
  ),
});

describe('circuit breaker properties', () => {
  it('never has more than halfOpenMaxProbes probes of the current round in flight while HALF_OPEN', () => {
    fc.assert(
      fc.property(configArbitrary, fc.array(stepArbitrary, { maxLength: 200 }), (config, steps) => {
        let state: BreakerState = initialBreakerState();
        let nowMs = 1_000_000;
        const inFlight: { probeRound: number | null }[] = [];
        for (const { advanceMs, action } of steps) {
          nowMs += advanceMs;
          if (action.kind === 'request') {
            const decision = canPass(state, nowMs, config);
            state = decision.state;
            if (decision.allowed) inFlight.push({ probeRound: decision.probeRound });
          } else if (inFlight.length > 0) {
            const [call] = inFlight.splice(action.pick % inFlight.length, 1);
            const record = action.succeeded ? recordSuccess : recordFailure;
            state = record(state, nowMs, config, call!.probeRound).state;
          }

          if (state.status === 'HALF_OPEN') {
            const probes = inFlight.filter((call) => call.probeRound === state.probeRound).length;
            expect(probes).toBeLessThanOrEqual(config.halfOpenMaxProbes);
            expect(state.probesInFlight).toBe(probes);
          }
          expect(state.recent.length).toBeLessThanOrEqual(config.windowBuckets);
        }
      }),
    );
  });

  it('refuses every call while OPEN until the reset timeout, then lets exactly one probe start the round', () => {
    fc.assert(
      fc.property(configArbitrary, fc.nat({ max: 50_000 }), (config, waitMs) => {
        let state = initialBreakerState();
        while (state.status !== 'OPEN') state = recordFailure(state, 0, config, null).state;
        const decision = canPass(state, waitMs, config);
        expect(decision.allowed).toBe(waitMs >= state.openUntilMs);
        if (decision.allowed) expect(decision.state.probesInFlight).toBe(1);
        else expect(decision.retryAfterMs).toBe(state.openUntilMs - waitMs);
      }),
    );
  });
});
