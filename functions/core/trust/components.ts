// The four trust components of SPEC §2 and the composite score they add up to:
//   score = 1000 × (0.40·behavioral + 0.25·compliance + 0.20·identity + 0.15·context)
// Every component is in [0, 1]; the score is in [0, 1000] whatever the inputs.

import { MAX_SCORE, MIN_SCORE } from './tiers.ts';

export interface TrustComponents {
  /** Weighted track record of execution outcomes (behavioral.ts). */
  behavioral: number;
  /** Ledger of violations, audits and remediations (compliance.ts). */
  compliance: number;
  /** Strength of the agent's verified identity (identity.ts). */
  identity: number;
  /** Safety of the environment the agent runs in (context.ts). */
  context: number;
}

export const COMPONENT_WEIGHTS: Readonly<TrustComponents> = {
  behavioral: 0.4,
  compliance: 0.25,
  identity: 0.2,
  context: 0.15,
};

/** Clips a component to [0, 1]. NaN becomes 0: a component nobody could measure must not earn trust. */
export function clampComponent(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

// Finer digits than a millionth of a point are binary rounding noise, and noise must not decide a tier:
// an admin's 700 coming back as 699.9999999999999 would be T3 instead of T4.
const SCORE_RESOLUTION = 1e6;

/**
 * Clips a score to [0, 1000] and rounds it to a millionth of a point. NaN becomes 0 for the same
 * reason as in `clampComponent`.
 */
export function normalizeScore(score: number): number {
  if (Number.isNaN(score)) return MIN_SCORE;
  const clipped = Math.min(MAX_SCORE, Math.max(MIN_SCORE, score));
  return Math.round(clipped * SCORE_RESOLUTION) / SCORE_RESOLUTION;
}

export function compositeScore(components: TrustComponents): number {
  const weightedSum =
    COMPONENT_WEIGHTS.behavioral * clampComponent(components.behavioral) +
    COMPONENT_WEIGHTS.compliance * clampComponent(components.compliance) +
    COMPONENT_WEIGHTS.identity * clampComponent(components.identity) +
    COMPONENT_WEIGHTS.context * clampComponent(components.context);
  return normalizeScore(MAX_SCORE * weightedSum);
}
