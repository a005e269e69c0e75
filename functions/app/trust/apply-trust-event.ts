// The trust calculator (SPEC §2, §5): applies one trust-signal event (trust-signal-from-event.ts) to its
// agent and publishes the trust events the change causes.
//
// Exactly once per event id: the agent item keeps the last APPLIED_TRUST_SIGNALS_LIMIT applied event ids
// (`appliedTrustSignals`), and the new trust state, the appended id and the new announcement are one
// conditional update on the item's `version`. The id check is made on the same read the condition
// guards, so two deliveries of one event cannot both apply. Losing the lock (another signal, the decay
// sweep, the gate's breaker write) re-reads and retries with jittered backoff.
//
// Events are published after the write, with ids derived from the causing event id. A redelivery that
// finds its id already applied (the consumer crashed between write and publish, or the idempotency record
// was lost) publishes the stored events of that application again — identical ids, data and timestamps,
// which subscribers deduplicate — so a crash loses no announcement and applies nothing twice.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TrustgateEvent } from '../../core/events/event-envelope.ts';
import { applyTrustSignal } from '../../core/trust/ledger.ts';
import { tierCode, tierForScore } from '../../core/trust/tiers.ts';
import { effectiveScore } from '../../core/trust/trust-state.ts';
import {
  type AgentItem,
  APPLIED_TRUST_SIGNALS_LIMIT,
  type AppliedTrustSignal,
  type TrustAnnouncement,
} from '../../data/agent-item.ts';
import { getAgent, writeAgentTrust } from '../../data/agents-repository.ts';
import type { EventPublisher } from '../../events/event-publisher.ts';
import { agentLockBackoffMs, sleep } from './agent-lock-backoff.ts';
import { trustCatalogEvents } from './trust-catalog-events.ts';
import {
  isTrustSignalEvent,
  TRUST_SIGNAL_KINDS,
  type TrustSignalEvent,
  trustSignalFromEvent,
} from './trust-signal-from-event.ts';
import { UnknownAgentError } from './unknown-agent-error.ts';

/**
 * Lock attempts per event. Each lost race means another writer succeeded, so N writers contending for
 * one agent all get through within N attempts; 100 covers a full SQS batch per concurrent Lambda and
 * the gate with room to spare. Beyond it the message fails and SQS retries it later.
 */
export const TRUST_WRITE_MAX_ATTEMPTS = 100;

export interface TrustCalculatorDependencies {
  client: DynamoDBDocumentClient;
  agentsTable: string;
  publisher: EventPublisher;
  /** Epoch milliseconds. */
  clock: () => number;
  /** Waits before lock attempt `attempt + 1`; jittered exponential backoff unless a test says otherwise. */
  backoff?: (attempt: number) => Promise<void>;
}

export type TrustEventResult =
  | { status: 'ignored' }
  | { status: 'applied' | 'already_applied'; published: TrustgateEvent[] };

export class AgentLockContendedError extends Error {
  override readonly name = 'Trustgate.AgentLockContended';
}

export async function applyTrustEvent(
  deps: TrustCalculatorDependencies,
  event: TrustgateEvent,
): Promise<TrustEventResult> {
  // The rule delivers only signal types; anything else is not the calculator's to apply.
  if (!isTrustSignalEvent(event)) return { status: 'ignored' };
  const backoff = deps.backoff ?? ((attempt: number) => sleep(agentLockBackoffMs(attempt)));
  const { agentId } = event.data;
  for (let attempt = 1; attempt <= TRUST_WRITE_MAX_ATTEMPTS; attempt++) {
    const agent = await getAgent(deps.client, deps.agentsTable, event.tenantId, agentId);
    if (!agent) throw new UnknownAgentError(event.tenantId, agentId, event.eventId);
    const earlier = agent.appliedTrustSignals?.find((applied) => applied.eventId === event.eventId);
    if (earlier) {
      const published = catalogEventsOf(event, earlier);
      await deps.publisher.publish(published);
      return { status: 'already_applied', published };
    }
    const application = applicationOf(agent, event, deps.clock());
    const written = await writeAgentTrust(deps.client, deps.agentsTable, {
      tenantId: agent.tenantId,
      agentId: agent.agentId,
      readVersion: agent.version,
      updatedAt: application.record.appliedAt,
      trust: application.trust,
      appliedTrustSignals: [...(agent.appliedTrustSignals ?? []), application.record].slice(
        -APPLIED_TRUST_SIGNALS_LIMIT,
      ),
      trustAnnouncement: application.announcement,
    });
    if (written) {
      const published = catalogEventsOf(event, application.record);
      await deps.publisher.publish(published);
      return { status: 'applied', published };
    }
    if (attempt < TRUST_WRITE_MAX_ATTEMPTS) await backoff(attempt);
  }
  throw new AgentLockContendedError(
    `agent "${agentId}" of tenant "${event.tenantId}" changed on each of ${TRUST_WRITE_MAX_ATTEMPTS} ` +
      `attempts to apply event ${event.eventId}; the message is retried later`,
  );
}

interface Application {
  trust: AgentItem['trust'];
  record: AppliedTrustSignal;
  /** Undefined when the score did not move: the last announcement still stands. */
  announcement?: TrustAnnouncement;
}

function applicationOf(agent: AgentItem, event: TrustSignalEvent, now: number): Application {
  const currentTier = tierForScore(effectiveScore(agent.trust, now));
  const signal = trustSignalFromEvent(event, currentTier);
  const { state, events } = applyTrustSignal(agent.trust, signal, now);
  const appliedAt = new Date(now).toISOString();
  const changed = events.find((trustEvent) => trustEvent.type === 'trust.changed');
  return {
    trust: state,
    record: { eventId: event.eventId, appliedAt, events },
    announcement: changed && { score: changed.score, tier: tierCode(changed.tier), at: appliedAt },
  };
}

function catalogEventsOf(event: TrustSignalEvent, applied: AppliedTrustSignal): TrustgateEvent[] {
  return trustCatalogEvents(
    {
      tenantId: event.tenantId,
      agentId: event.data.agentId,
      cause: TRUST_SIGNAL_KINDS[event.type],
      key: event.eventId,
      occurredAt: applied.appliedAt,
    },
    applied.events,
  );
}
