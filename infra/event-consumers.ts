// The five consumers of SPEC §5 and the events each one's rule sends to its queue. One table for the
// stateful stack (queues and rules) and the stateless stack (functions reading those queues), so a consumer
// is declared once; docs/backend.md "Events" lists the same.
import { type EventPattern, Match } from 'aws-cdk-lib/aws-events';
import { EVENT_SOURCES } from '../functions/core/events/event-catalog.ts';

interface EventConsumerDefinition {
  /** The consumer's name in idempotency keys, logs and metrics (functions/consumers). */
  consumer: string;
  pattern: EventPattern;
}

const EVERY_TRUSTGATE_EVENT: EventPattern = { source: Match.prefix('trustgate.') };

export const EVENT_CONSUMERS = {
  /** Behavioral and compliance signals → the agent's trust (trust.changed / tier_changed / violation). */
  TrustCalculator: {
    consumer: 'trust-calculator',
    pattern: {
      source: [EVENT_SOURCES.intents, EVENT_SOURCES.ingest],
      detailType: [
        'execution.succeeded',
        'execution.failed',
        'compliance.violation',
        'compliance.audit_passed',
        'compliance.remediation',
      ],
    },
  },
  /** Every event, matched against the tenant's webhook filters. */
  WebhookDispatcher: { consumer: 'webhook-dispatcher', pattern: EVERY_TRUSTGATE_EVENT },
  /** Every event, counted for GET /metrics. */
  Analytics: { consumer: 'analytics', pattern: EVERY_TRUSTGATE_EVENT },
  /** Every event, appended to the tenant's hash-chained audit log. */
  AuditLogger: { consumer: 'audit-logger', pattern: EVERY_TRUSTGATE_EVENT },
  /** What deserves a human's attention → a stored alert + alert.*. */
  AlertService: {
    consumer: 'alert-service',
    pattern: {
      detailType: [
        'circuit.opened',
        'trust.tier_changed',
        'escalation.timed_out',
        'dlq.not_empty',
        'budget.exceeded',
        'webhook.disabled',
      ],
    },
  },
} satisfies Record<string, EventConsumerDefinition>;

export type EventConsumerId = keyof typeof EVENT_CONSUMERS;

export const EVENT_CONSUMER_IDS = Object.keys(EVENT_CONSUMERS) as EventConsumerId[];

/** Receives before a consumer's event goes to its DLQ: the first try and four backed-off retries. */
export const CONSUMER_MAX_RECEIVE_COUNT = 5;
