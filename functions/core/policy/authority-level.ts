// Authority levels of human reviewers (SPEC §4 escalation: a reviewer's level must be ≥ the escalation's
// level; an expired SLA moves to level + 1 up to the maximum, then fails closed).
import type { Tier } from '../trust/tiers.ts';

export const MIN_AUTHORITY_LEVEL = 1;
export const MAX_AUTHORITY_LEVEL = 3;

/**
 * The level that may vouch for an agent whose tier is short of the required one: one level per missing
 * tier, capped at the highest authority, so a T3 agent asked for T4 work goes to level 1 and a T0 agent
 * asked for T5 work goes straight to level 3.
 */
export function authorityLevelForTierGap(agentTier: Tier, requiredTier: Tier): number {
  const gap = requiredTier - agentTier;
  return Math.min(Math.max(gap, MIN_AUTHORITY_LEVEL), MAX_AUTHORITY_LEVEL);
}

export function isAuthorityLevel(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_AUTHORITY_LEVEL && value <= MAX_AUTHORITY_LEVEL;
}
