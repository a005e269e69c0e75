import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type RoutingCandidate,
  type RoutingRequest,
  selectAgent,
} from '../../../functions/core/routing/select-agent.ts';
import type { Tier } from '../../../functions/core/trust/tiers.ts';

const tierArbitrary = fc.constantFrom<Tier>(0, 1, 2, 3, 4, 5);
const roleArbitrary = fc.constantFrom('research', 'analysis', 'writing');

// Few distinct scores and costs so that ties are common.
const fleetArbitrary = fc.uniqueArray(
  fc.record<RoutingCandidate>({
    agentId: fc.string({ minLength: 1, maxLength: 4 }),
    role: roleArbitrary,
    tier: tierArbitrary,
    score: fc.constantFrom(180, 420, 580, 580, 720, 950),
    costPerCall: fc.constantFrom(0.01, 0.02, 0.02, 0.05),
    breakerState: fc.constantFrom('CLOSED', 'OPEN', 'HALF_OPEN'),
  }),
  { selector: (candidate) => candidate.agentId, maxLength: 12 },
);

const requestArbitrary = fc.record<RoutingRequest>({
  role: roleArbitrary,
  requiredTier: tierArbitrary,
  preference: fc.constantFrom('cost', 'quality'),
});

function isEligible(candidate: RoutingCandidate, request: RoutingRequest): boolean {
  return (
    candidate.role === request.role &&
    candidate.tier >= request.requiredTier &&
    candidate.breakerState !== 'OPEN'
  );
}

describe('selectAgent properties', () => {
  it('never returns an agent of another role, below the required tier or with an open breaker', () => {
    fc.assert(
      fc.property(fleetArbitrary, requestArbitrary, (fleet, request) => {
        const decision = selectAgent(fleet, request);
        if (decision.outcome === 'selected') {
          for (const agent of [decision.agent, ...decision.alternatives]) {
            expect(agent.role).toBe(request.role);
            expect(agent.tier).toBeGreaterThanOrEqual(request.requiredTier);
            expect(agent.breakerState).not.toBe('OPEN');
          }
        }
      }),
    );
  });

  it('selects exactly when an eligible agent exists, accounting for every candidate', () => {
    fc.assert(
      fc.property(fleetArbitrary, requestArbitrary, (fleet, request) => {
        const decision = selectAgent(fleet, request);
        const eligible = fleet.filter((candidate) => isEligible(candidate, request));
        if (eligible.length === 0) {
          expect(decision.outcome).toBe('no_qualified_agent');
          if (decision.outcome === 'no_qualified_agent')
            expect(decision.considered).toHaveLength(fleet.length);
        } else {
          expect(decision.outcome).toBe('selected');
          if (decision.outcome === 'selected') {
            expect(new Set([decision.agent, ...decision.alternatives])).toEqual(new Set(eligible));
          }
        }
      }),
    );
  });

  it('picks the best eligible agent for the preference, CLOSED breakers first', () => {
    fc.assert(
      fc.property(fleetArbitrary, requestArbitrary, (fleet, request) => {
        const decision = selectAgent(fleet, request);
        if (decision.outcome !== 'selected') return;
        const chosen = decision.agent;
        for (const other of decision.alternatives) {
          if (chosen.breakerState === 'HALF_OPEN') expect(other.breakerState).toBe('HALF_OPEN');
          if (other.breakerState !== chosen.breakerState) continue;
          if (request.preference === 'cost') {
            expect(chosen.costPerCall).toBeLessThanOrEqual(other.costPerCall);
            if (chosen.costPerCall === other.costPerCall)
              expect(chosen.score).toBeGreaterThanOrEqual(other.score);
          } else {
            expect(chosen.score).toBeGreaterThanOrEqual(other.score);
            if (chosen.score === other.score)
              expect(chosen.costPerCall).toBeLessThanOrEqual(other.costPerCall);
          }
        }
      }),
    );
  });

  it('does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(fleetArbitrary, requestArbitrary, fc.nat(), (fleet, request, rotation) => {
        const shift = fleet.length === 0 ? 0 : rotation % fleet.length;
        const reordered = [...fleet.slice(shift), ...fleet.slice(0, shift)].reverse();
        const original = selectAgent(fleet, request);
        const shuffled = selectAgent(reordered, request);
        expect(shuffled.outcome).toBe(original.outcome);
        if (original.outcome === 'selected' && shuffled.outcome === 'selected') {
          expect(shuffled.agent).toBe(original.agent);
          expect(shuffled.alternatives).toEqual(original.alternatives);
        }
      }),
    );
  });
});
