// Behavioral component (SPEC §2): the agent's track record of execution outcomes.
//
// Value of one outcome:
//   success: +1.0 + 0.1·quality + efficiencyBonus      quality ∈ [0, 1], efficiencyBonus ∈ [0, 0.1]
//            (both optional, absent = 0, out-of-range inputs clipped), so a success is worth 1.0 … 1.2
//   failure: −(0.7 + 0.3·tier/5) for the agent's tier when it failed:
//            T0 −0.70, T1 −0.76, T2 −0.82, T3 −0.88, T4 −0.94, T5 −1.00
//            (more autonomy means a failure does more harm); quality and efficiency are ignored.
// Weight of one outcome: 0.95^ageDays, ageDays = fractional days from the outcome to `now` (≥ 0).
// Evidence: e = clip((m + 1) / 2, 0, 1), m = Σ weight·value / Σ weight (the weighted mean).
//   A mean of −1 maps to 0, 0 to 0.5, +1 or more to 1: the quality and efficiency credit can offset
//   failures but cannot lift a spotless record beyond 1.
// Small samples: with n < 10 outcomes, behavioral = (n/10)·e + (1 − n/10)·0.5 (the neutral prior);
//   from 10 outcomes on, behavioral = e. No outcomes → 0.5.
//
// Because the weights are exponential, moving `now` multiplies every weight by the same factor and
// leaves the mean unchanged: a stored behavioral component does not go stale between outcomes. Only
// inactivity decay (decay.ts) changes a score while nothing happens.

import { clampComponent } from './components.ts';
import { daysSince, type EpochMillis } from './elapsed-days.ts';
import type { Tier } from './tiers.ts';

export const EXECUTION_RESULTS = ['success', 'failure'] as const;
export type ExecutionResult = (typeof EXECUTION_RESULTS)[number];

export interface ExecutionOutcome {
  at: EpochMillis;
  outcome: ExecutionResult;
  /** The tier the gate acted on when the agent ran; the failure penalty scales with it. */
  agentTierAtTime: Tier;
  /** 0 … 1; credited on successes only. */
  quality?: number;
  /** 0 … 0.1; credited on successes only. */
  efficiencyBonus?: number;
}

export const NEUTRAL_BEHAVIORAL_PRIOR = 0.5;
/** Outcomes needed before the record speaks for itself without the prior. */
export const FULL_CONFIDENCE_SAMPLES = 10;
export const DAILY_WEIGHT_RETENTION = 0.95;

const SUCCESS_VALUE = 1;
const QUALITY_CREDIT = 0.1;
const MAX_EFFICIENCY_BONUS = 0.1;
const LOWEST_TIER_FAILURE_PENALTY = 0.7;
const HIGHEST_TIER_FAILURE_PENALTY = 1;
const HIGHEST_TIER = 5;

/** The value one outcome contributes to the weighted mean (formula in the file header). */
export function outcomeValue(outcome: ExecutionOutcome): number {
  if (outcome.outcome === 'failure') {
    const penaltyRange = HIGHEST_TIER_FAILURE_PENALTY - LOWEST_TIER_FAILURE_PENALTY;
    return -(LOWEST_TIER_FAILURE_PENALTY + (penaltyRange * outcome.agentTierAtTime) / HIGHEST_TIER);
  }
  const qualityCredit = QUALITY_CREDIT * clampComponent(outcome.quality ?? 0);
  const efficiencyCredit =
    MAX_EFFICIENCY_BONUS * clampComponent((outcome.efficiencyBonus ?? 0) / MAX_EFFICIENCY_BONUS);
  return SUCCESS_VALUE + qualityCredit + efficiencyCredit;
}

export function outcomeWeight(outcome: ExecutionOutcome, now: EpochMillis): number {
  return DAILY_WEIGHT_RETENTION ** daysSince(outcome.at, now);
}

export function behavioralScore(outcomes: readonly ExecutionOutcome[], now: EpochMillis): number {
  let weightedValueSum = 0;
  let weightSum = 0;
  for (const outcome of outcomes) {
    const weight = outcomeWeight(outcome, now);
    weightedValueSum += weight * outcomeValue(outcome);
    weightSum += weight;
  }
  // Weights underflow to 0 only for outcomes decades old: such a record carries no evidence.
  const evidence =
    weightSum > 0 ? clampComponent((weightedValueSum / weightSum + 1) / 2) : NEUTRAL_BEHAVIORAL_PRIOR;
  const confidence = Math.min(outcomes.length, FULL_CONFIDENCE_SAMPLES) / FULL_CONFIDENCE_SAMPLES;
  return clampComponent(confidence * evidence + (1 - confidence) * NEUTRAL_BEHAVIORAL_PRIOR);
}
