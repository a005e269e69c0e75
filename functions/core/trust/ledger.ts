// The trust ledger's one write operation: apply a signal to an agent's trust state, returning the new
// state and the events the change causes. Pure: the caller persists the state (conditionally, on a
// version) and publishes the events; duplicate deliveries must be filtered before this point.
//
// - execution_outcome: joins the outcome history (kept sorted by time, bounded to
//   OUTCOME_HISTORY_LIMIT) and recomputes the behavioral component; it is the agent's activity, so it
//   moves lastActivityAt forward (never back, since queues may deliver out of order).
// - violation, audit_passed, remediation: update the compliance ledger. They may be recorded about a
//   dormant agent (e.g. from a log review), so they do not count as activity and do not stop decay.
// Events compare the effective score at `now` before and after the signal; a violation also emits
// `trust.violation`, even when compliance was already at 0.

import { behavioralScore } from './behavioral.ts';
import { applyComplianceSignal, type ComplianceSignal } from './compliance.ts';
import type { EpochMillis } from './elapsed-days.ts';
import type { ExecutionOutcomeSignal, TrustSignal } from './signals.ts';
import { scoreChangeEvents, type TrustEvent } from './trust-events.ts';
import { effectiveScore, OUTCOME_HISTORY_LIMIT, type TrustState } from './trust-state.ts';

export interface SignalApplication {
  state: TrustState;
  events: TrustEvent[];
}

function withOutcome(state: TrustState, signal: ExecutionOutcomeSignal, now: EpochMillis): TrustState {
  const { kind: _kind, ...outcome } = signal;
  const recentOutcomes = [...state.recentOutcomes, outcome]
    .sort((a, b) => a.at - b.at)
    .slice(-OUTCOME_HISTORY_LIMIT);
  return {
    ...state,
    components: { ...state.components, behavioral: behavioralScore(recentOutcomes, now) },
    recentOutcomes,
    lastActivityAt: Math.max(state.lastActivityAt, outcome.at),
  };
}

function withComplianceSignal(state: TrustState, signal: ComplianceSignal): TrustState {
  return {
    ...state,
    components: {
      ...state.components,
      compliance: applyComplianceSignal(state.components.compliance, signal),
    },
  };
}

export function applyTrustSignal(
  state: TrustState,
  signal: TrustSignal,
  now: EpochMillis,
): SignalApplication {
  const next =
    signal.kind === 'execution_outcome'
      ? withOutcome(state, signal, now)
      : withComplianceSignal(state, signal);
  const events: TrustEvent[] = [];
  if (signal.kind === 'violation') {
    events.push({
      type: 'trust.violation',
      severity: signal.severity,
      previousCompliance: state.components.compliance,
      compliance: next.components.compliance,
    });
  }
  events.push(...scoreChangeEvents(effectiveScore(state, now), effectiveScore(next, now), signal.kind));
  return { state: next, events };
}
