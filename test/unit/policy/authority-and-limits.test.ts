import { describe, expect, it } from 'vitest';
import { authorityLevelForTierGap } from '../../../functions/core/policy/authority-level.ts';
import { executionLimits, TIER_BUDGETS } from '../../../functions/core/policy/execution-limits.ts';
import type { Tier } from '../../../functions/core/trust/tiers.ts';
import { manifestFor } from './seed-agents.ts';

describe('authorityLevelForTierGap', () => {
  it.each([
    [3, 4, 1],
    [2, 4, 2],
    [1, 4, 3],
    [0, 5, 3],
  ] as const)('a T%i agent asked for T%i work goes to level %i', (agentTier, requiredTier, level) => {
    expect(authorityLevelForTierGap(agentTier, requiredTier)).toBe(level);
  });
});

describe('executionLimits', () => {
  it('grows with every tier', () => {
    const tiers: Tier[] = [0, 1, 2, 3, 4, 5];
    for (const [lower, higher] of tiers.slice(1).map((tier) => [tier - 1, tier] as const)) {
      expect(TIER_BUDGETS[higher].maxTokens).toBeGreaterThan(TIER_BUDGETS[lower as Tier].maxTokens);
      expect(TIER_BUDGETS[higher].timeoutMs).toBeGreaterThan(TIER_BUDGETS[lower as Tier].timeoutMs);
    }
  });

  it('lets the manifest narrow but never widen the tier budget', () => {
    const generous = manifestFor('a', 'r', ['search_web'], {
      maxTokensPerCall: 1_000_000,
      maxTimeoutMs: 1_000,
    });
    expect(executionLimits(2, generous)).toEqual({
      maxTokens: 4_000,
      timeoutMs: 1_000,
      allowedCapabilities: ['search_web'],
    });
  });
});
