// Whether moving from one score to another crosses a tier boundary (SPEC §2 → `trust.tier_changed`).

import { type Tier, tierForScore } from './tiers.ts';

export interface TierChange {
  from: Tier;
  to: Tier;
  direction: 'promotion' | 'demotion';
}

export function tierChangeBetween(previousScore: number, nextScore: number): TierChange | undefined {
  const from = tierForScore(previousScore);
  const to = tierForScore(nextScore);
  if (from === to) return undefined;
  return { from, to, direction: to > from ? 'promotion' : 'demotion' };
}
