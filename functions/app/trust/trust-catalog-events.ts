// The trust model's events (functions/core/trust/trust-events.ts) as catalog events on the bus:
// `trust.changed`, `trust.tier_changed` and `trust.violation` with the agent id, tiers as "T0"…"T5", and
// the cause on both score events. Every event id derives from `key` (the causing event's id, or the
// sweep's decision key), so emitting the same change again puts the same ids. Pure.
import type { TrustgateEvent } from '../../core/events/event-envelope.ts';
import { newEvent } from '../../core/events/event-envelope.ts';
import { tierCode } from '../../core/trust/tiers.ts';
import type { TrustChangeCause, TrustEvent } from '../../core/trust/trust-events.ts';

export interface TrustEventSubject {
  tenantId: string;
  agentId: string;
  cause: TrustChangeCause;
  /** Deterministic per change: the causing event's id, or the decay sweep's decision key. */
  key: string;
  /** ISO 8601 or epoch milliseconds: when the trust changed. */
  occurredAt: string | number;
}

export function trustCatalogEvents(
  subject: TrustEventSubject,
  events: readonly TrustEvent[],
): TrustgateEvent[] {
  return events.map((event) => catalogEvent(subject, event));
}

function catalogEvent(subject: TrustEventSubject, event: TrustEvent): TrustgateEvent {
  const { tenantId, agentId, cause, key, occurredAt } = subject;
  switch (event.type) {
    case 'trust.changed':
      return newEvent('trust.changed', {
        tenantId,
        key,
        occurredAt,
        data: {
          agentId,
          cause: event.cause,
          previousScore: event.previousScore,
          score: event.score,
          previousTier: tierCode(event.previousTier),
          tier: tierCode(event.tier),
        },
      });
    case 'trust.tier_changed':
      return newEvent('trust.tier_changed', {
        tenantId,
        key,
        occurredAt,
        data: {
          agentId,
          from: tierCode(event.from),
          to: tierCode(event.to),
          direction: event.direction,
          score: event.score,
          cause,
        },
      });
    case 'trust.violation':
      return newEvent('trust.violation', {
        tenantId,
        key,
        occurredAt,
        data: {
          agentId,
          severity: event.severity,
          previousCompliance: event.previousCompliance,
          compliance: event.compliance,
        },
      });
  }
}
