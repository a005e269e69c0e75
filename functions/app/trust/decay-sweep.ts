// The scheduled decay sweep: scans every tenant's agents and, for each whose decayed score has moved away
// from its last announcement (decay-announcement.ts), stores the new announcement under the agent's
// version lock and then publishes `trust.changed` (cause `decay`) and, on a tier crossing,
// `trust.tier_changed`. An agent whose version moved since the scan read it (a signal, the gate) is
// skipped this round: the next sweep sees the fresh item.
//
// The write comes first, so a lost race publishes nothing. The events then announce a committed fact:
// they go through an EventAnnouncer (functions/events/event-announcer.ts), which reports what neither the
// bus nor the undelivered-events queue took (logged whole, for a replay) instead of failing the sweep
// for every other agent; later sweeps do not repeat it, since the stored baseline has moved on.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgentItem } from '../../data/agent-item.ts';
import { type AgentScanKey, scanAgents, writeTrustAnnouncement } from '../../data/agents-repository.ts';
import type { EventAnnouncer } from '../../events/event-announcer.ts';
import { decayAnnouncement } from './decay-announcement.ts';
import { trustCatalogEvents } from './trust-catalog-events.ts';

export const DECAY_SWEEP_PAGE_SIZE = 100;
/** Agents of one page handled at a time: enough to keep a sweep of thousands within minutes, gentle on capacity. */
export const DECAY_SWEEP_CONCURRENCY = 10;

export interface DecaySweepDependencies {
  client: DynamoDBDocumentClient;
  agentsTable: string;
  announcer: EventAnnouncer;
  /** Epoch milliseconds; read once, so every agent of a sweep decays to the same instant. */
  clock: () => number;
  pageSize?: number;
}

export interface DecaySweepSummary {
  /** Agents examined. */
  agents: number;
  /** Agents whose decayed score was announced. */
  announced: number;
}

export async function sweepDecay(deps: DecaySweepDependencies): Promise<DecaySweepSummary> {
  const now = deps.clock();
  const summary: DecaySweepSummary = { agents: 0, announced: 0 };
  let startKey: AgentScanKey | undefined;
  do {
    const page = await scanAgents(deps.client, deps.agentsTable, {
      limit: deps.pageSize ?? DECAY_SWEEP_PAGE_SIZE,
      startKey,
    });
    for (let start = 0; start < page.agents.length; start += DECAY_SWEEP_CONCURRENCY) {
      const chunk = page.agents.slice(start, start + DECAY_SWEEP_CONCURRENCY);
      const announced = await Promise.all(chunk.map((agent) => announceDecay(deps, agent, now)));
      summary.agents += chunk.length;
      summary.announced += announced.filter(Boolean).length;
    }
    startKey = page.nextKey;
  } while (startKey);
  return summary;
}

/** True when the agent's decay was announced. */
async function announceDecay(deps: DecaySweepDependencies, agent: AgentItem, now: number): Promise<boolean> {
  const due = decayAnnouncement(agent, now);
  if (!due) return false;
  const written = await writeTrustAnnouncement(deps.client, deps.agentsTable, {
    tenantId: agent.tenantId,
    agentId: agent.agentId,
    readVersion: agent.version,
    updatedAt: due.announcement.at,
    trustAnnouncement: due.announcement,
  });
  if (!written) return false;
  await deps.announcer.announce(
    trustCatalogEvents(
      { tenantId: agent.tenantId, agentId: agent.agentId, cause: 'decay', key: due.key, occurredAt: now },
      due.events,
    ),
  );
  return true;
}
