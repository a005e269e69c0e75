// Trust-based routing (SPEC §4.3): a workflow step names a role and a required tier instead of an agent,
// and this picks the agent.
//
// Eligible = same role (exact match: a role is a capability contract, never a hint), tier ≥ required,
// breaker not OPEN. HALF_OPEN agents stay eligible because probes are how a breaker recovers, but they
// rank after every CLOSED agent whatever the preference: a probe is a risk worth taking only when no
// healthy agent qualifies. Eligibility uses the candidate's tier as given (the ledger's, decay applied);
// the score only ranks.
//
// Ranking is total and deterministic, so the same fleet always routes the same way:
//   cost    → lowest costPerCall, then higher score, then agentId
//   quality → higher score, then lower costPerCall, then agentId
//
// Nobody eligible is an ordinary outcome (the workflow queues the step), never an exception.

import type { CircuitStatus } from '../breaker/breaker-state.ts';
import { type Tier, tierCode } from '../trust/tiers.ts';

export interface RoutingCandidate {
  agentId: string;
  role: string;
  tier: Tier;
  /** Trust score 0–1000. */
  score: number;
  /** Price of one call in USD. */
  costPerCall: number;
  breakerState: CircuitStatus;
}

export type RoutingPreference = 'cost' | 'quality';

export interface RoutingRequest {
  role: string;
  requiredTier: Tier;
  preference: RoutingPreference;
}

/** Checked in this order; a candidate is reported with the first check it fails. */
export type RejectionReason = 'role_mismatch' | 'tier_below_required' | 'breaker_open';

export interface RejectedCandidate {
  agentId: string;
  rejectedBecause: RejectionReason;
}

export type RoutingDecision =
  | {
      outcome: 'selected';
      agent: RoutingCandidate;
      reason: string;
      /** The other eligible agents, best first: fallbacks when the selected one cannot serve. */
      alternatives: RoutingCandidate[];
    }
  | {
      outcome: 'no_qualified_agent';
      reason: string;
      /** Every candidate with the reason it was passed over (empty when there were none). */
      considered: RejectedCandidate[];
    };

export function selectAgent(
  candidates: readonly RoutingCandidate[],
  request: RoutingRequest,
): RoutingDecision {
  const eligible: RoutingCandidate[] = [];
  const rejected: RejectedCandidate[] = [];
  for (const candidate of candidates) {
    const rejectedBecause = rejectionReason(candidate, request);
    if (rejectedBecause === null) eligible.push(candidate);
    else rejected.push({ agentId: candidate.agentId, rejectedBecause });
  }

  const wanted = `role '${request.role}' at ${tierCode(request.requiredTier)} or above`;
  if (eligible.length === 0) {
    return {
      outcome: 'no_qualified_agent',
      reason: `no agent with ${wanted} and a breaker that is not OPEN (${summarise(rejected)})`,
      considered: rejected,
    };
  }

  eligible.sort(request.preference === 'cost' ? byCost : byQuality);
  const [agent, ...alternatives] = eligible as [RoutingCandidate, ...RoutingCandidate[]];
  const criterion = request.preference === 'cost' ? 'lowest cost per call' : 'highest trust score';
  const probing =
    agent.breakerState === 'HALF_OPEN'
      ? '; its breaker is HALF_OPEN, none with a CLOSED breaker qualifies'
      : '';
  return {
    outcome: 'selected',
    agent,
    reason: `${criterion} among ${eligible.length} eligible agent(s) with ${wanted}${probing}`,
    alternatives,
  };
}

function rejectionReason(candidate: RoutingCandidate, request: RoutingRequest): RejectionReason | null {
  if (candidate.role !== request.role) return 'role_mismatch';
  if (candidate.tier < request.requiredTier) return 'tier_below_required';
  if (candidate.breakerState === 'OPEN') return 'breaker_open';
  return null;
}

function byCost(a: RoutingCandidate, b: RoutingCandidate): number {
  return byBreakerHealth(a, b) || a.costPerCall - b.costPerCall || b.score - a.score || byAgentId(a, b);
}

function byQuality(a: RoutingCandidate, b: RoutingCandidate): number {
  return byBreakerHealth(a, b) || b.score - a.score || a.costPerCall - b.costPerCall || byAgentId(a, b);
}

function byBreakerHealth(a: RoutingCandidate, b: RoutingCandidate): number {
  return Number(a.breakerState === 'HALF_OPEN') - Number(b.breakerState === 'HALF_OPEN');
}

// Code-unit order, not localeCompare: routing must not depend on the runtime's locale.
function byAgentId(a: RoutingCandidate, b: RoutingCandidate): number {
  return a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0;
}

function summarise(rejected: readonly RejectedCandidate[]): string {
  if (rejected.length === 0) return 'no candidates';
  const counts = new Map<RejectionReason, number>();
  for (const { rejectedBecause } of rejected) {
    counts.set(rejectedBecause, (counts.get(rejectedBecause) ?? 0) + 1);
  }
  const parts = [...counts].map(([reason, count]) => `${count} ${reason}`);
  return `${rejected.length} considered: ${parts.join(', ')}`;
}
