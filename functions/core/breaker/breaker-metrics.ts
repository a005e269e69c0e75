// What a breaker exposes to operators (SPEC §6: failure count, success rate, last failure), computed
// from the stored state on read so nothing extra is written on the hot path.

import type { BreakerConfig } from './breaker-config.ts';
import type { BreakerState, CircuitStatus } from './breaker-state.ts';
import { countOutcomes } from './outcome-window.ts';

export interface BreakerMetrics {
  status: CircuitStatus;
  /** Failures within the sliding window. */
  failureCount: number;
  /** Successes within the sliding window. */
  successCount: number;
  /** successCount / (successCount + failureCount); null when the window holds no outcome. */
  successRate: number | null;
  lastFailureAtMs: number | null;
  consecutiveTrips: number;
  /** When OPEN: time until the first probe may pass; otherwise 0. */
  retryAfterMs: number;
}

export function breakerMetrics(
  state: BreakerState,
  nowMs: number,
  config: Readonly<Pick<BreakerConfig, 'windowMs' | 'windowBuckets'>>,
): BreakerMetrics {
  const { successes, failures } = countOutcomes(state.recent, nowMs, config);
  const requests = successes + failures;
  return {
    status: state.status,
    failureCount: failures,
    successCount: successes,
    successRate: requests === 0 ? null : successes / requests,
    lastFailureAtMs: state.lastFailureAtMs,
    consecutiveTrips: state.consecutiveTrips,
    retryAfterMs: state.status === 'OPEN' ? Math.max(0, state.openUntilMs - nowMs) : 0,
  };
}
