// The serialisable state of one circuit breaker (one DynamoDB item per agent or provider).
// Flat on purpose: every field is always present, so an item update never has to add or remove
// attributes when the status changes; fields that only matter in one status say so.

import type { OutcomeBucket } from './outcome-window.ts';

export type CircuitStatus = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface BreakerState {
  status: CircuitStatus;
  /** Outcomes of the sliding window, oldest bucket first. Emptied when the breaker closes after a trip. */
  recent: readonly OutcomeBucket[];
  /** Trips since the last successful close; drives the doubling of the reset timeout. */
  consecutiveTrips: number;
  /** OPEN only: when the first probe may pass (epoch ms). */
  openUntilMs: number;
  /**
   * Counter of probe rounds, never reset. A round starts when the breaker goes HALF_OPEN and again when
   * lost probes are written off; each probe carries its round so late outcomes of older rounds cannot
   * free a slot twice.
   */
  probeRound: number;
  /** HALF_OPEN only: probes of the current round whose outcome has not been recorded yet. */
  probesInFlight: number;
  /** HALF_OPEN only: probe successes so far. */
  probeSuccesses: number;
  /** HALF_OPEN only: when the latest probe was admitted; frees lost probes after probeTimeoutMs. */
  lastProbeAtMs: number;
  /** Time of the latest recorded failure, kept across closes for operators. */
  lastFailureAtMs: number | null;
}

export function initialBreakerState(): BreakerState {
  return {
    status: 'CLOSED',
    recent: [],
    consecutiveTrips: 0,
    openUntilMs: 0,
    probeRound: 0,
    probesInFlight: 0,
    probeSuccesses: 0,
    lastProbeAtMs: 0,
    lastFailureAtMs: null,
  };
}
