// trustgate agents ls           GET /v1/agents (every page), each with its trend
// trustgate agents show <id>    GET /v1/agents/{id}, with its trend and recent score changes
//
// The trend. The agent view has the score (decay applied), tier, components and breaker, but nothing that
// says where the score is heading, and no route stores a past score. What does is the audit trail: the trust
// calculator and the decay sweep emit `trust.changed { previousScore, score, cause }` every time an agent's
// score moves, and the audit logger records each (GET /v1/audit?type=trust.changed). So the trend is the
// agent's latest recorded move: ↑ / ↓, how far, its cause (execution_outcome, violation, audit_passed,
// remediation, decay) and when; `—` when none is recorded yet (a new agent, or the audit logger has not caught up:
// it applies events off the bus, seconds after the step). `agents show` also lists the last few moves.
import type { AgentDetailView, AgentSummaryView } from '../../functions/app/agents/agent-view.ts';
import type { AuditRecordView } from '../../functions/app/audit/audit-record-view.ts';
import type { ApiClient } from '../api-client.ts';
import type { CommandContext } from '../command-context.ts';
import { score, signed, table } from '../format.ts';

export interface ScoreChange {
  previousScore: number;
  score: number;
  delta: number;
  previousTier: string;
  tier: string;
  cause: string;
  at: string;
}

export interface Trend {
  direction: 'up' | 'down' | 'none';
  /** The latest recorded move; null when none is recorded. */
  last: ScoreChange | null;
}

/** Audit pages read at most for one listing's trends (100 records each; the API reads ≤ 2 000 per page). */
const MAX_AUDIT_PAGES = 5;
/** The moves `agents show` lists. */
export const RECENT_CHANGES = 5;
const MAX_AGENT_PAGES = 50;

function scoreChange(record: AuditRecordView): ScoreChange | undefined {
  const detail = (record.detail ?? {}) as Record<string, unknown>;
  if (typeof detail.previousScore !== 'number' || typeof detail.score !== 'number') return undefined;
  return {
    previousScore: detail.previousScore,
    score: detail.score,
    delta: detail.score - detail.previousScore,
    previousTier: String(detail.previousTier ?? ''),
    tier: String(detail.tier ?? ''),
    cause: String(detail.cause ?? 'unknown'),
    at: record.occurredAt,
  };
}

export function trendOf(changes: readonly ScoreChange[]): Trend {
  const [last] = changes;
  if (last === undefined) return { direction: 'none', last: null };
  return { direction: last.delta < 0 ? 'down' : 'up', last };
}

export function trendText(trend: Trend): string {
  if (trend.last === null) return '—';
  return `${trend.direction === 'up' ? '↑' : '↓'} ${signed(trend.last.delta)} (${trend.last.cause})`;
}

/** The newest trust.changed records, newest first, of one agent or of the whole tenant. */
async function scoreChanges(
  api: ApiClient,
  options: { agentId?: string; wanted: (changes: ReadonlyMap<string, ScoreChange[]>) => boolean },
): Promise<Map<string, ScoreChange[]>> {
  const byAgent = new Map<string, ScoreChange[]>();
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_AUDIT_PAGES; page++) {
    const answer = await api.get<{ items: AuditRecordView[]; nextToken: string | null }>('/v1/audit', {
      type: 'trust.changed',
      agentId: options.agentId,
      order: 'desc',
      limit: 100,
      nextToken,
    });
    for (const record of answer.items) {
      const agentId = record.subject.agentId;
      const change = scoreChange(record);
      if (agentId === undefined || change === undefined) continue;
      byAgent.set(agentId, [...(byAgent.get(agentId) ?? []), change]);
    }
    if (!answer.nextToken || options.wanted(byAgent)) break;
    nextToken = answer.nextToken;
  }
  return byAgent;
}

export async function listAgents(ctx: CommandContext): Promise<number> {
  const api = ctx.api();
  const agents: AgentSummaryView[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_AGENT_PAGES; page++) {
    const answer = await api.get<{ agents: AgentSummaryView[]; nextToken?: string }>('/v1/agents', {
      limit: 100,
      nextToken,
    });
    agents.push(...answer.agents);
    if (!answer.nextToken) break;
    nextToken = answer.nextToken;
  }
  const changes =
    agents.length === 0
      ? new Map<string, ScoreChange[]>()
      : await scoreChanges(api, {
          wanted: (found) => agents.every((agent) => found.has(agent.agentId)),
        });
  const items = agents.map((agent) => ({ ...agent, trend: trendOf(changes.get(agent.agentId) ?? []) }));
  ctx.result({ items }, () => {
    if (items.length === 0) return 'no agents';
    return table(
      ['AGENT', 'ROLE', 'SCORE', 'TIER', 'TREND', 'BREAKER', 'COST/CALL'],
      items.map((agent) => [
        agent.agentId,
        agent.role,
        score(agent.score),
        `${agent.tier} ${agent.tierName}`,
        trendText(agent.trend),
        agent.breaker.status,
        `$${agent.costPerCall.toFixed(2)}`,
      ]),
    );
  });
  return 0;
}

export async function showAgent(ctx: CommandContext, agentId: string): Promise<number> {
  const api = ctx.api();
  const agent = await api.get<AgentDetailView>(`/v1/agents/${encodeURIComponent(agentId)}`);
  const changes =
    (
      await scoreChanges(api, {
        agentId,
        wanted: (found) => (found.get(agentId)?.length ?? 0) >= RECENT_CHANGES,
      })
    )
      .get(agentId)
      ?.slice(0, RECENT_CHANGES) ?? [];
  const trend = trendOf(changes);
  ctx.result({ ...agent, trend, recentChanges: changes }, () => {
    const { components, breaker } = agent;
    const lines = [
      `${agent.agentId}  ${agent.name} (role ${agent.role})`,
      `score       ${score(agent.score)}  ${agent.tier} ${agent.tierName}`,
      `trend       ${
        trend.last === null
          ? '— (no score change recorded yet)'
          : `${trendText(trend)}: ${score(trend.last.previousScore)} → ${score(trend.last.score)} at ${trend.last.at}`
      }`,
      `components  behavioral ${components.behavioral.toFixed(2)}, compliance ${components.compliance.toFixed(2)}, identity ${components.identity.toFixed(2)}, context ${components.context.toFixed(2)}`,
      `breaker     ${breaker.status}, ${breaker.failureCount} failures${breaker.successRate === null ? '' : `, success rate ${(breaker.successRate * 100).toFixed(0)}%`}${breaker.lastFailureAt ? `, last failure ${breaker.lastFailureAt}` : ''}`,
      `cost        $${agent.costPerCall.toFixed(2)} per call, provider ${agent.provider.kind}`,
      `can         ${agent.manifest.capabilities.map((capability) => `${capability.name} (${capability.level})`).join(', ')}`,
      `active      last ${agent.lastActivityAt}, registered ${agent.createdAt}`,
    ];
    if (changes.length > 0) {
      lines.push('recent score changes');
      for (const change of changes) {
        lines.push(
          `  ${change.at}  ${score(change.previousScore).padStart(6)} → ${score(change.score).padStart(6)}  ${signed(change.delta).padStart(6)}  ${change.tier.padEnd(3)} ${change.cause}`,
        );
      }
    }
    return `${lines.join('\n')}\n`;
  });
  return 0;
}
