// How the API shows an agent. Scores are derived when read, never stored: `score` is the effective score
// (base score × inactivity decay, functions/core/trust) at the time of the request, and the tier follows
// from it, so an idle agent's tier drops on read without any write.

import { DEFAULT_BREAKER_CONFIG } from '../../core/breaker/breaker-config.ts';
import { breakerMetrics } from '../../core/breaker/breaker-metrics.ts';
import type { TrustComponents } from '../../core/trust/components.ts';
import type { EpochMillis } from '../../core/trust/elapsed-days.ts';
import { type TierCode, tierCode, tierForScore, tierName } from '../../core/trust/tiers.ts';
import { effectiveScore } from '../../core/trust/trust-state.ts';
import type { AgentItem } from '../../data/agent-item.ts';

export interface AgentSummaryView {
  agentId: string;
  name: string;
  role: string;
  score: number;
  tier: TierCode;
  tierName: string;
  costPerCall: number;
  components: TrustComponents;
  lastActivityAt: string;
  breaker: {
    status: string;
    failureCount: number;
    /** null until the breaker's window holds an outcome. */
    successRate: number | null;
    lastFailureAt: string | null;
  };
}

export interface AgentDetailView extends AgentSummaryView {
  manifest: AgentItem['manifest'];
  provider: { kind: AgentItem['provider']['kind'] };
  identity: AgentItem['identity'];
  context: AgentItem['context'];
  createdAt: string;
  updatedAt: string;
}

export function agentSummaryView(agent: AgentItem, now: EpochMillis): AgentSummaryView {
  const score = effectiveScore(agent.trust, now);
  const tier = tierForScore(score);
  const breaker = breakerMetrics(agent.breaker, now, DEFAULT_BREAKER_CONFIG);
  return {
    agentId: agent.agentId,
    name: agent.name,
    role: agent.role,
    score,
    tier: tierCode(tier),
    tierName: tierName(tier),
    costPerCall: agent.costPerCall,
    components: agent.trust.components,
    lastActivityAt: new Date(agent.trust.lastActivityAt).toISOString(),
    breaker: {
      status: breaker.status,
      failureCount: breaker.failureCount,
      successRate: breaker.successRate,
      lastFailureAt:
        breaker.lastFailureAtMs === null ? null : new Date(breaker.lastFailureAtMs).toISOString(),
    },
  };
}

/** The summary plus the registration facts; the provider shows its kind only (URLs and key names stay private). */
export function agentDetailView(agent: AgentItem, now: EpochMillis): AgentDetailView {
  return {
    ...agentSummaryView(agent, now),
    manifest: agent.manifest,
    provider: { kind: agent.provider.kind },
    identity: agent.identity,
    context: agent.context,
    createdAt: agent.createdAt,
    updatedAt: agent.updatedAt,
  };
}
