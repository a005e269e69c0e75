import { describe, expect, it } from 'vitest';
import {
  type BreakerConfig,
  breakerConfig,
  DEFAULT_BREAKER_CONFIG,
} from '../../../functions/core/breaker/breaker-config.ts';
import { breakerMetrics } from '../../../functions/core/breaker/breaker-metrics.ts';
import { type BreakerState, initialBreakerState } from '../../../functions/core/breaker/breaker-state.ts';
import {
  canPass,
  type PassDecision,
  recordFailure,
  recordSuccess,
} from '../../../functions/core/breaker/circuit-breaker.ts';

const config = DEFAULT_BREAKER_CONFIG;

function failTimes(state: BreakerState, times: readonly number[], cfg: Readonly<BreakerConfig> = config) {
  return times.reduce((current, t) => recordFailure(current, t, cfg, null).state, state);
}

function succeedTimes(state: BreakerState, times: readonly number[], cfg: Readonly<BreakerConfig> = config) {
  return times.reduce((current, t) => recordSuccess(current, t, cfg, null).state, state);
}

/** A breaker tripped at `atMs` by five failures (first trip: open for 30 s). */
function trippedAt(atMs: number, cfg: Readonly<BreakerConfig> = config): BreakerState {
  const state = failTimes(initialBreakerState(), [atMs, atMs, atMs, atMs], cfg);
  const tripped = recordFailure(state, atMs, cfg, null).state;
  expect(tripped.status).toBe('OPEN');
  return tripped;
}

function admitted(decision: PassDecision) {
  if (!decision.allowed) throw new Error(`expected the call to pass, got ${decision.reason}`);
  return decision;
}

function refused(decision: PassDecision) {
  if (decision.allowed) throw new Error('expected the call to be refused');
  return decision;
}

describe('circuit breaker — CLOSED', () => {
  it('lets every call through and leaves the state as it is', () => {
    const state = initialBreakerState();
    const decision = admitted(canPass(state, 1_000, config));
    expect(decision).toEqual({ allowed: true, probeRound: null, state, transition: null });
    expect(decision.state).toBe(state);
  });

  it('trips on the failure count within the window', () => {
    const fourFailures = failTimes(initialBreakerState(), [0, 1_000, 2_000, 3_000]);
    expect(fourFailures.status).toBe('CLOSED');

    const fifth = recordFailure(fourFailures, 4_000, config, null);
    expect(fifth.state.status).toBe('OPEN');
    expect(fifth.state.openUntilMs).toBe(34_000);
    expect(fifth.state.consecutiveTrips).toBe(1);
    expect(fifth.transition).toEqual({
      from: 'CLOSED',
      to: 'OPEN',
      reason: 'failure_count',
      atMs: 4_000,
      event: 'circuit.opened',
    });
  });

  it('trips on the failure rate once minimumRequests outcomes are in the window', () => {
    const cfg = breakerConfig({ failureThreshold: 100, failureRateThreshold: 0.5, minimumRequests: 10 });
    const nineRequests = failTimes(
      succeedTimes(initialBreakerState(), [0, 1, 2, 3, 4], cfg),
      [5, 6, 7, 8],
      cfg,
    );
    expect(nineRequests.status).toBe('CLOSED');

    const tenth = recordFailure(nineRequests, 9, cfg, null);
    expect(tenth.state.status).toBe('OPEN');
    expect(tenth.transition?.reason).toBe('failure_rate');
  });

  it('does not trip on the rate below minimumRequests, however bad the rate', () => {
    const cfg = breakerConfig({ failureThreshold: 100, minimumRequests: 10 });
    const state = failTimes(initialBreakerState(), [0, 1, 2, 3, 4, 5, 6, 7, 8], cfg);
    expect(state.status).toBe('CLOSED');
    expect(breakerMetrics(state, 8, cfg).successRate).toBe(0);
  });

  it('with the defaults trips on three failures out of six requests', () => {
    const state = failTimes(succeedTimes(initialBreakerState(), [0, 1, 2]), [3, 4]);
    expect(state.status).toBe('CLOSED');
    expect(recordFailure(state, 5, config, null).transition?.reason).toBe('failure_rate');
  });

  it('does not trip when successes keep the rate below the threshold', () => {
    const state = failTimes(succeedTimes(initialBreakerState(), [0, 1, 2, 3, 4]), [5, 6, 7, 8]);
    expect(state.status).toBe('CLOSED');
  });

  it('forgets failures that slid out of the window', () => {
    const fourOld = failTimes(initialBreakerState(), [0, 1_000, 2_000, 5_999]);
    expect(recordFailure(fourOld, 60_000, config, null).state.status).toBe('CLOSED');
    expect(recordFailure(fourOld, 59_999, config, null).state.status).toBe('OPEN');
  });

  it('never mutates the state it is given', () => {
    const state = failTimes(initialBreakerState(), [0, 1, 2, 3]);
    const snapshot = structuredClone(state);
    recordFailure(state, 4, config, null);
    recordSuccess(state, 4, config, null);
    canPass(state, 4, config);
    expect(state).toEqual(snapshot);
  });
});

describe('circuit breaker — OPEN', () => {
  it('refuses calls until the reset timeout, saying how long to wait', () => {
    const state = trippedAt(10_000);
    expect(refused(canPass(state, 10_000, config))).toEqual({
      allowed: false,
      reason: 'circuit_open',
      retryAfterMs: 30_000,
      state,
      transition: null,
    });
    expect(refused(canPass(state, 39_999, config)).retryAfterMs).toBe(1);
  });

  it('turns HALF_OPEN when the timeout has elapsed, admitting that call as the first probe', () => {
    const state = trippedAt(10_000);
    const decision = admitted(canPass(state, 40_000, config));
    expect(decision.probeRound).toBe(1);
    expect(decision.state.status).toBe('HALF_OPEN');
    expect(decision.state.probesInFlight).toBe(1);
    expect(decision.transition).toEqual({
      from: 'OPEN',
      to: 'HALF_OPEN',
      reason: 'reset_timeout_elapsed',
      atMs: 40_000,
      event: null,
    });
  });

  it('records late outcomes of calls admitted before the trip without moving the timeout', () => {
    const state = trippedAt(10_000);
    const failed = recordFailure(state, 12_000, config, null);
    expect(failed.transition).toBeNull();
    expect(failed.state.openUntilMs).toBe(40_000);
    expect(failed.state.lastFailureAtMs).toBe(12_000);

    const succeeded = recordSuccess(failed.state, 13_000, config, null);
    expect(succeeded.transition).toBeNull();
    expect(succeeded.state.status).toBe('OPEN');
  });
});

describe('circuit breaker — HALF_OPEN', () => {
  const twoProbes = breakerConfig({ halfOpenMaxProbes: 2, successesToClose: 2, probeTimeoutMs: 20_000 });

  function halfOpenAt(atMs: number, cfg: Readonly<BreakerConfig>) {
    const decision = admitted(canPass(trippedAt(0, cfg), atMs, cfg));
    expect(decision.state.status).toBe('HALF_OPEN');
    return decision;
  }

  it('admits at most halfOpenMaxProbes probes at once', () => {
    const first = halfOpenAt(30_000, twoProbes);
    const second = admitted(canPass(first.state, 31_000, twoProbes));
    expect(second.probeRound).toBe(first.probeRound);
    expect(second.state.probesInFlight).toBe(2);

    const third = refused(canPass(second.state, 32_000, twoProbes));
    expect(third.reason).toBe('probe_limit');
    expect(third.retryAfterMs).toBe(19_000);
  });

  it('frees a probe slot when a probe reports', () => {
    const first = halfOpenAt(30_000, twoProbes);
    const second = admitted(canPass(first.state, 31_000, twoProbes));
    const reported = recordSuccess(second.state, 32_000, twoProbes, first.probeRound);
    expect(reported.transition).toBeNull();
    expect(reported.state.probesInFlight).toBe(1);
    expect(admitted(canPass(reported.state, 32_000, twoProbes)).state.probesInFlight).toBe(2);
  });

  it('closes after successesToClose probe successes and resets the doubling and the window', () => {
    const first = halfOpenAt(30_000, twoProbes);
    const second = admitted(canPass(first.state, 30_000, twoProbes));
    const one = recordSuccess(second.state, 31_000, twoProbes, first.probeRound);
    expect(one.state.status).toBe('HALF_OPEN');

    const two = recordSuccess(one.state, 32_000, twoProbes, second.probeRound);
    expect(two.transition).toEqual({
      from: 'HALF_OPEN',
      to: 'CLOSED',
      reason: 'probes_succeeded',
      atMs: 32_000,
      event: 'circuit.closed',
    });
    expect(two.state).toMatchObject({ status: 'CLOSED', recent: [], consecutiveTrips: 0, probesInFlight: 0 });
    // The five failures that tripped it are forgotten: one more failure does not re-open it.
    expect(recordFailure(two.state, 33_000, twoProbes, null).state.status).toBe('CLOSED');
  });

  it('closes on the first probe success with the defaults', () => {
    const probe = admitted(canPass(trippedAt(0), 30_000, config));
    const closed = recordSuccess(probe.state, 30_500, config, probe.probeRound);
    expect(closed.state.status).toBe('CLOSED');
    expect(closed.transition?.event).toBe('circuit.closed');
  });

  it('re-opens on a probe failure with the reset timeout doubled, up to the cap', () => {
    let state = trippedAt(0);
    const openDurations: number[] = [];
    let now = 0;
    for (let trip = 0; trip < 6; trip++) {
      openDurations.push(state.openUntilMs - now);
      now = state.openUntilMs;
      const probe = admitted(canPass(state, now, config));
      const failed = recordFailure(probe.state, now, config, probe.probeRound);
      expect(failed.transition).toEqual({
        from: 'HALF_OPEN',
        to: 'OPEN',
        reason: 'probe_failed',
        atMs: now,
        event: 'circuit.opened',
      });
      state = failed.state;
    }
    expect(openDurations).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    expect(state.consecutiveTrips).toBe(7);
  });

  it('starts the doubling again after a clean close', () => {
    const firstProbe = admitted(canPass(trippedAt(0), 30_000, config));
    const reopened = recordFailure(firstProbe.state, 30_000, config, firstProbe.probeRound).state;
    expect(reopened.openUntilMs).toBe(90_000);

    const secondProbe = admitted(canPass(reopened, 90_000, config));
    const closed = recordSuccess(secondProbe.state, 90_000, config, secondProbe.probeRound).state;
    const trippedAgain = failTimes(closed, [100_000, 100_000, 100_000, 100_000, 100_000]);
    expect(trippedAgain.status).toBe('OPEN');
    expect(trippedAgain.openUntilMs).toBe(130_000);
  });

  it('ignores outcomes of calls that were not probes of the current round', () => {
    const probe = halfOpenAt(30_000, twoProbes);
    const lateFailure = recordFailure(probe.state, 30_100, twoProbes, null);
    expect(lateFailure.transition).toBeNull();
    expect(lateFailure.state.status).toBe('HALF_OPEN');
    expect(lateFailure.state.lastFailureAtMs).toBe(30_100);

    const lateSuccess = recordSuccess(lateFailure.state, 30_200, twoProbes, null);
    expect(lateSuccess.state.probesInFlight).toBe(1);
    expect(lateSuccess.state.probeSuccesses).toBe(0);
  });

  it('writes probes off as lost after probeTimeoutMs and starts a new round', () => {
    const first = halfOpenAt(30_000, twoProbes);
    const second = admitted(canPass(first.state, 35_000, twoProbes));
    expect(refused(canPass(second.state, 54_999, twoProbes)).retryAfterMs).toBe(1);

    const fresh = admitted(canPass(second.state, 55_000, twoProbes));
    expect(fresh.probeRound).toBe(first.probeRound! + 1);
    expect(fresh.state.probesInFlight).toBe(1);

    // The written-off probe reporting late frees nothing and proves nothing.
    const late = recordSuccess(fresh.state, 56_000, twoProbes, first.probeRound);
    expect(late.state.probesInFlight).toBe(1);
    expect(late.state.probeSuccesses).toBe(0);
    const lateFailure = recordFailure(late.state, 56_000, twoProbes, second.probeRound);
    expect(lateFailure.state.status).toBe('HALF_OPEN');
  });

  it('does not write probes off early when the clock goes backwards', () => {
    const first = halfOpenAt(30_000, twoProbes);
    const second = admitted(canPass(first.state, 25_000, twoProbes));
    expect(second.state.lastProbeAtMs).toBe(30_000);
    expect(refused(canPass(second.state, 45_000, twoProbes)).retryAfterMs).toBe(5_000);
  });
});

describe('breaker metrics', () => {
  it('exposes failure count, success rate and last failure over the window', () => {
    const state = failTimes(succeedTimes(initialBreakerState(), [1_000, 2_000, 3_000]), [4_000]);
    expect(breakerMetrics(state, 5_000, config)).toEqual({
      status: 'CLOSED',
      failureCount: 1,
      successCount: 3,
      successRate: 0.75,
      lastFailureAtMs: 4_000,
      consecutiveTrips: 0,
      retryAfterMs: 0,
    });
    const later = breakerMetrics(state, 70_000, config);
    expect(later).toMatchObject({
      failureCount: 0,
      successCount: 0,
      successRate: null,
      lastFailureAtMs: 4_000,
    });
  });

  it('reports the remaining OPEN time', () => {
    const metrics = breakerMetrics(trippedAt(0), 12_000, config);
    expect(metrics).toMatchObject({
      status: 'OPEN',
      failureCount: 5,
      consecutiveTrips: 1,
      retryAfterMs: 18_000,
    });
  });

  it('keeps the state plain data that survives a JSON round trip', () => {
    const probe = admitted(canPass(trippedAt(0), 30_000, config));
    expect(JSON.parse(JSON.stringify(probe.state))).toEqual(probe.state);
  });
});
