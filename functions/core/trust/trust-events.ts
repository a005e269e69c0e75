// The events the trust ledger emits (SPEC §5): `trust.changed` whenever the score moves,
// `trust.tier_changed` when it crosses a tier boundary, `trust.violation` for every violation.
// Payloads carry what subscribers need to act without reading the ledger; the handler adds the agent
// id, event id and timestamp of the envelope. Scores are effective scores (after inactivity decay).

import type { ViolationSeverity } from './compliance.ts';
import type { TrustSignalKind } from './signals.ts';
import { type TierChange, tierChangeBetween } from './tier-change.ts';
import { type Tier, tierForScore } from './tiers.ts';

/** What moved a score: a signal, or (for the scheduled sweep's announcements) inactivity decay. */
export type TrustChangeCause = TrustSignalKind | 'decay';

export interface TrustChangedEvent {
  type: 'trust.changed';
  cause: TrustChangeCause;
  previousScore: number;
  score: number;
  previousTier: Tier;
  tier: Tier;
}

export interface TrustTierChangedEvent extends TierChange {
  type: 'trust.tier_changed';
  score: number;
}

export interface TrustViolationEvent {
  type: 'trust.violation';
  severity: ViolationSeverity;
  previousCompliance: number;
  compliance: number;
}

export type TrustEvent = TrustChangedEvent | TrustTierChangedEvent | TrustViolationEvent;

/** `trust.changed` when the score moved, followed by `trust.tier_changed` when it also crossed a tier. */
export function scoreChangeEvents(
  previousScore: number,
  score: number,
  cause: TrustChangeCause,
): TrustEvent[] {
  if (score === previousScore) return [];
  const changed: TrustChangedEvent = {
    type: 'trust.changed',
    cause,
    previousScore,
    score,
    previousTier: tierForScore(previousScore),
    tier: tierForScore(score),
  };
  const tierChange = tierChangeBetween(previousScore, score);
  if (tierChange === undefined) return [changed];
  return [changed, { type: 'trust.tier_changed', ...tierChange, score }];
}
