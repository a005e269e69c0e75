// Circuit breaker transitions (SPEC §6) as pure functions of (state, nowMs, config).
//
// CLOSED ──(failures reach the count or rate threshold in the window)──▶ OPEN
// OPEN ──(canPass after the reset timeout)──▶ HALF_OPEN, that call being the first probe
// HALF_OPEN ──(successesToClose probe successes)──▶ CLOSED (doubling reset, window emptied)
// HALF_OPEN ──(a probe failure)──▶ OPEN with the reset timeout doubled, up to the cap
//
// Callers hand the `probeRound` canPass gave them back to recordSuccess / recordFailure. In HALF_OPEN only
// outcomes of the current round's probes move the breaker: a call admitted before the trip, or a probe
// already written off as lost, reports old news and must not free a probe slot or close the breaker.
// Every outcome still enters the window, which feeds the metrics and, once CLOSED, the trip rules.

import type { BreakerConfig } from './breaker-config.ts';
import type { BreakerState, CircuitStatus } from './breaker-state.ts';
import { countOutcomes, withOutcome } from './outcome-window.ts';

export type TransitionReason =
  | 'failure_count'
  | 'failure_rate'
  | 'probe_failed'
  | 'reset_timeout_elapsed'
  | 'probes_succeeded';

/** Bus events of SPEC §5 a transition maps to; OPEN → HALF_OPEN has none. */
export type BreakerEvent = 'circuit.opened' | 'circuit.closed';

export interface BreakerTransition {
  from: CircuitStatus;
  to: CircuitStatus;
  reason: TransitionReason;
  atMs: number;
  /** The event to publish for this transition, or null when there is none to publish. */
  event: BreakerEvent | null;
}

export type PassDecision =
  | {
      allowed: true;
      /** The probe round when the call is a HALF_OPEN probe, null for an ordinary call; record it back. */
      probeRound: number | null;
      state: BreakerState;
      transition: BreakerTransition | null;
    }
  | {
      allowed: false;
      reason: 'circuit_open' | 'probe_limit';
      /** circuit_open: until the first probe may pass; probe_limit: until in-flight probes count as lost. */
      retryAfterMs: number;
      state: BreakerState;
      transition: null;
    };

export interface RecordResult {
  state: BreakerState;
  transition: BreakerTransition | null;
}

/** Whether a call may go to the protected dependency now. Call it before every call; store the state. */
export function canPass(state: BreakerState, nowMs: number, config: Readonly<BreakerConfig>): PassDecision {
  switch (state.status) {
    case 'CLOSED':
      return { allowed: true, probeRound: null, state, transition: null };
    case 'OPEN': {
      if (nowMs < state.openUntilMs) {
        return {
          allowed: false,
          reason: 'circuit_open',
          retryAfterMs: state.openUntilMs - nowMs,
          state,
          transition: null,
        };
      }
      const probeRound = state.probeRound + 1;
      const halfOpen: BreakerState = {
        ...state,
        status: 'HALF_OPEN',
        openUntilMs: 0,
        probeRound,
        probesInFlight: 1,
        probeSuccesses: 0,
        lastProbeAtMs: nowMs,
      };
      return {
        allowed: true,
        probeRound,
        state: halfOpen,
        transition: transition('OPEN', 'HALF_OPEN', 'reset_timeout_elapsed', nowMs),
      };
    }
    case 'HALF_OPEN': {
      const sinceLastProbeMs = nowMs - state.lastProbeAtMs;
      if (state.probesInFlight < config.halfOpenMaxProbes) {
        return {
          allowed: true,
          probeRound: state.probeRound,
          // max(): a clock that went backwards must not make in-flight probes look older than they are.
          state: {
            ...state,
            probesInFlight: state.probesInFlight + 1,
            lastProbeAtMs: Math.max(state.lastProbeAtMs, nowMs),
          },
          transition: null,
        };
      }
      if (sinceLastProbeMs < config.probeTimeoutMs) {
        return {
          allowed: false,
          reason: 'probe_limit',
          retryAfterMs: config.probeTimeoutMs - sinceLastProbeMs,
          state,
          transition: null,
        };
      }
      // No probe has reported for probeTimeoutMs: write the round off as lost and start a new one.
      const probeRound = state.probeRound + 1;
      return {
        allowed: true,
        probeRound,
        state: { ...state, probeRound, probesInFlight: 1, lastProbeAtMs: nowMs },
        transition: null,
      };
    }
  }
}

/** Records a successful call; `probeRound` is the one canPass returned for it. */
export function recordSuccess(
  state: BreakerState,
  nowMs: number,
  config: Readonly<BreakerConfig>,
  probeRound: number | null,
): RecordResult {
  const recent = withOutcome(state.recent, nowMs, config, 'success');
  if (!isCurrentProbe(state, probeRound)) return { state: { ...state, recent }, transition: null };

  const probeSuccesses = state.probeSuccesses + 1;
  // Floor at 0: a record delivered twice must not leave a negative count in the stored state.
  const probesInFlight = Math.max(0, state.probesInFlight - 1);
  if (probeSuccesses < config.successesToClose) {
    return { state: { ...state, recent, probeSuccesses, probesInFlight }, transition: null };
  }
  // The failures that tripped the breaker may still be inside the window; keeping them would re-trip
  // it on the first failure after recovery, so the closed breaker starts from an empty window.
  const closed: BreakerState = {
    ...state,
    status: 'CLOSED',
    recent: [],
    consecutiveTrips: 0,
    probesInFlight: 0,
    probeSuccesses: 0,
    lastProbeAtMs: 0,
  };
  return { state: closed, transition: transition('HALF_OPEN', 'CLOSED', 'probes_succeeded', nowMs) };
}

/** Records a failed call; `probeRound` is the one canPass returned for it. */
export function recordFailure(
  state: BreakerState,
  nowMs: number,
  config: Readonly<BreakerConfig>,
  probeRound: number | null,
): RecordResult {
  const recent = withOutcome(state.recent, nowMs, config, 'failure');
  const lastFailureAtMs = state.lastFailureAtMs === null ? nowMs : Math.max(state.lastFailureAtMs, nowMs);
  const recorded: BreakerState = { ...state, recent, lastFailureAtMs };
  switch (state.status) {
    case 'OPEN':
      // A call admitted before the trip: the breaker is open already and its timeout stays as it is.
      return { state: recorded, transition: null };
    case 'HALF_OPEN':
      return isCurrentProbe(state, probeRound)
        ? trip(recorded, nowMs, config, 'probe_failed')
        : { state: recorded, transition: null };
    case 'CLOSED': {
      const reason = tripReason(recent, nowMs, config);
      return reason === null ? { state: recorded, transition: null } : trip(recorded, nowMs, config, reason);
    }
  }
}

function isCurrentProbe(state: BreakerState, probeRound: number | null): boolean {
  return state.status === 'HALF_OPEN' && probeRound === state.probeRound;
}

function tripReason(
  recent: BreakerState['recent'],
  nowMs: number,
  config: Readonly<BreakerConfig>,
): 'failure_count' | 'failure_rate' | null {
  const { successes, failures } = countOutcomes(recent, nowMs, config);
  if (failures >= config.failureThreshold) return 'failure_count';
  const requests = successes + failures;
  if (requests >= config.minimumRequests && failures >= config.failureRateThreshold * requests) {
    return 'failure_rate';
  }
  return null;
}

function trip(
  state: BreakerState,
  nowMs: number,
  config: Readonly<BreakerConfig>,
  reason: 'failure_count' | 'failure_rate' | 'probe_failed',
): RecordResult {
  const consecutiveTrips = state.consecutiveTrips + 1;
  const opened: BreakerState = {
    ...state,
    status: 'OPEN',
    consecutiveTrips,
    openUntilMs: nowMs + resetTimeoutForTrip(consecutiveTrips, config),
    probesInFlight: 0,
    probeSuccesses: 0,
    lastProbeAtMs: 0,
  };
  return { state: opened, transition: transition(state.status, 'OPEN', reason, nowMs) };
}

/** OPEN duration for the n-th consecutive trip: resetTimeoutMs · 2^(n−1), capped. */
function resetTimeoutForTrip(consecutiveTrips: number, config: Readonly<BreakerConfig>): number {
  return Math.min(config.resetTimeoutMs * 2 ** (consecutiveTrips - 1), config.maxResetTimeoutMs);
}

function transition(
  from: CircuitStatus,
  to: CircuitStatus,
  reason: TransitionReason,
  atMs: number,
): BreakerTransition {
  const event: BreakerEvent | null =
    to === 'OPEN' ? 'circuit.opened' : to === 'CLOSED' ? 'circuit.closed' : null;
  return { from, to, reason, atMs, event };
}
