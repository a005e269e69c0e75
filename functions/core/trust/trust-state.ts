// An agent's trust state as the ledger stores it, and the scores it implies.
//
// base score      = clip(composite(components) + adminAdjustment × (1 − min(n, 10)/10), 0, 1000)
// effective score = base score × inactivity retention (decay.ts), the score the gate acts on
// where n is the number of recorded execution outcomes.
//
// adminAdjustment is how far an admin-supplied initial score sat above (or below) the composite at
// registration (initial-score.ts). It fades out over the first 10 outcomes, on the same schedule as
// the behavioral prior, so a migrated agent starts exactly at the score its old system gave it and
// then earns its place by evidence; from the 10th outcome on the score is the plain composite.

import { type ExecutionOutcome, FULL_CONFIDENCE_SAMPLES } from './behavioral.ts';
import { compositeScore, normalizeScore, type TrustComponents } from './components.ts';
import { decayedScore } from './decay.ts';
import type { EpochMillis } from './elapsed-days.ts';

/**
 * Outcomes kept for the behavioral component. At 0.95^days weighting a month-old outcome still counts
 * about 0.2, so the bound is by count, not age: it keeps the item small for busy agents, and it is
 * well above the 10 samples the prior blend and the admin adjustment count to.
 */
export const OUTCOME_HISTORY_LIMIT = 200;

export interface TrustState {
  components: TrustComponents;
  /** Execution outcomes, oldest first, at most OUTCOME_HISTORY_LIMIT. */
  recentOutcomes: readonly ExecutionOutcome[];
  /** Registration or the latest execution outcome, whichever is later; inactivity decay counts from it. */
  lastActivityAt: EpochMillis;
  /** Score points an admin's initial score added to the composite at registration; 0 without one. */
  adminAdjustment: number;
}

export function baseScore(state: TrustState): number {
  const outcomesSeen = Math.min(state.recentOutcomes.length, FULL_CONFIDENCE_SAMPLES);
  const remainingAdjustment = state.adminAdjustment * (1 - outcomesSeen / FULL_CONFIDENCE_SAMPLES);
  return normalizeScore(compositeScore(state.components) + remainingAdjustment);
}

export function effectiveScore(state: TrustState, now: EpochMillis): number {
  return decayedScore(baseScore(state), state.lastActivityAt, now);
}
