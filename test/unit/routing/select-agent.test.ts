import { describe, expect, it } from 'vitest';
import {
  type RoutingCandidate,
  type RoutingDecision,
  selectAgent,
} from '../../../functions/core/routing/select-agent.ts';

// The seed's cost-routing fleet (SPEC §2), all offering the same role.
const premium: RoutingCandidate = {
  agentId: 'premium-agent',
  role: 'analysis',
  tier: 5,
  score: 950,
  costPerCall: 0.05,
  breakerState: 'CLOSED',
};
const standard: RoutingCandidate = {
  agentId: 'standard-agent',
  role: 'analysis',
  tier: 3,
  score: 580,
  costPerCall: 0.02,
  breakerState: 'CLOSED',
};
const basic: RoutingCandidate = {
  agentId: 'basic-agent',
  role: 'analysis',
  tier: 1,
  score: 180,
  costPerCall: 0.01,
  breakerState: 'CLOSED',
};
const seedFleet = [basic, standard, premium];

function selected(decision: RoutingDecision) {
  if (decision.outcome !== 'selected') throw new Error(`expected a selection, got: ${decision.reason}`);
  return decision;
}

function noneQualified(decision: RoutingDecision) {
  if (decision.outcome !== 'no_qualified_agent')
    throw new Error(`expected no agent, got ${decision.agent.agentId}`);
  return decision;
}

describe('selectAgent — seed example (required T3)', () => {
  it('quality picks Premium and keeps Standard as the fallback', () => {
    const decision = selected(
      selectAgent(seedFleet, { role: 'analysis', requiredTier: 3, preference: 'quality' }),
    );
    expect(decision.agent).toBe(premium);
    expect(decision.alternatives).toEqual([standard]);
    expect(decision.reason).toBe(
      "highest trust score among 2 eligible agent(s) with role 'analysis' at T3 or above",
    );
  });

  it('cost picks Standard, never the cheaper but under-trusted Basic', () => {
    const decision = selected(
      selectAgent(seedFleet, { role: 'analysis', requiredTier: 3, preference: 'cost' }),
    );
    expect(decision.agent).toBe(standard);
    expect(decision.alternatives).toEqual([premium]);
    expect(decision.reason).toBe(
      "lowest cost per call among 2 eligible agent(s) with role 'analysis' at T3 or above",
    );
  });

  it('takes Basic on cost once the required tier allows it', () => {
    const decision = selected(
      selectAgent(seedFleet, { role: 'analysis', requiredTier: 1, preference: 'cost' }),
    );
    expect(decision.agent).toBe(basic);
  });
});

describe('selectAgent — ties are broken deterministically', () => {
  const a = { ...standard, agentId: 'agent-a' };
  const b = { ...standard, agentId: 'agent-b' };

  it('cost ties go to the higher score, then to the smaller agentId', () => {
    const better = { ...standard, agentId: 'agent-z', score: 600 };
    const request = { role: 'analysis', requiredTier: 3, preference: 'cost' } as const;
    expect(selected(selectAgent([a, b, better], request)).agent).toBe(better);
    expect(selected(selectAgent([b, a], request)).agent).toBe(a);
  });

  it('quality ties go to the lower cost, then to the smaller agentId', () => {
    const cheaper = { ...standard, agentId: 'agent-z', costPerCall: 0.015 };
    const request = { role: 'analysis', requiredTier: 3, preference: 'quality' } as const;
    expect(selected(selectAgent([a, b, cheaper], request)).agent).toBe(cheaper);
    expect(selected(selectAgent([b, a], request)).agent).toBe(a);
  });
});

describe('selectAgent — breakers', () => {
  it('excludes agents whose breaker is OPEN', () => {
    const openPremium = { ...premium, breakerState: 'OPEN' as const };
    const decision = selected(
      selectAgent([openPremium, standard], { role: 'analysis', requiredTier: 3, preference: 'quality' }),
    );
    expect(decision.agent).toBe(standard);
    expect(decision.alternatives).toEqual([]);
  });

  it('ranks HALF_OPEN agents after every CLOSED one, whatever the preference', () => {
    const probingPremium = { ...premium, breakerState: 'HALF_OPEN' as const };
    const quality = selected(
      selectAgent([probingPremium, standard], { role: 'analysis', requiredTier: 3, preference: 'quality' }),
    );
    expect(quality.agent).toBe(standard);
    expect(quality.alternatives).toEqual([probingPremium]);
  });

  it('uses a HALF_OPEN agent when no CLOSED one qualifies, and says so', () => {
    const probingPremium = { ...premium, breakerState: 'HALF_OPEN' as const };
    const decision = selected(
      selectAgent([probingPremium, basic], { role: 'analysis', requiredTier: 3, preference: 'cost' }),
    );
    expect(decision.agent).toBe(probingPremium);
    expect(decision.reason).toMatch(/its breaker is HALF_OPEN, none with a CLOSED breaker qualifies$/);
  });
});

describe('selectAgent — nobody qualifies', () => {
  it('lists every candidate with the first check it failed', () => {
    const writer = { ...premium, agentId: 'writer', role: 'writing' };
    const openStandard = { ...standard, breakerState: 'OPEN' as const };
    const decision = noneQualified(
      selectAgent([writer, basic, openStandard], {
        role: 'analysis',
        requiredTier: 3,
        preference: 'quality',
      }),
    );
    expect(decision.considered).toEqual([
      { agentId: 'writer', rejectedBecause: 'role_mismatch' },
      { agentId: 'basic-agent', rejectedBecause: 'tier_below_required' },
      { agentId: 'standard-agent', rejectedBecause: 'breaker_open' },
    ]);
    expect(decision.reason).toBe(
      "no agent with role 'analysis' at T3 or above and a breaker that is not OPEN " +
        '(3 considered: 1 role_mismatch, 1 tier_below_required, 1 breaker_open)',
    );
  });

  it('reports a role mismatch before a low tier', () => {
    const lowWriter = { ...basic, role: 'writing' };
    const decision = noneQualified(
      selectAgent([lowWriter], { role: 'analysis', requiredTier: 3, preference: 'cost' }),
    );
    expect(decision.considered).toEqual([{ agentId: 'basic-agent', rejectedBecause: 'role_mismatch' }]);
  });

  it('answers an empty fleet with an explicit outcome, not an exception', () => {
    const decision = noneQualified(
      selectAgent([], { role: 'analysis', requiredTier: 0, preference: 'cost' }),
    );
    expect(decision.considered).toEqual([]);
    expect(decision.reason).toMatch(/\(no candidates\)$/);
  });

  it('requires an exact role match', () => {
    const decision = noneQualified(
      selectAgent([premium], { role: 'Analysis', requiredTier: 0, preference: 'cost' }),
    );
    expect(decision.considered).toEqual([{ agentId: 'premium-agent', rejectedBecause: 'role_mismatch' }]);
  });
});
