// The alert service's effect (SPEC §5): an event that raises an alert (core/alerts/alert-rules.ts) becomes
// an AlertsTable item and an `alert.<kind>` event on the bus.
//
// Order: put first (conditional on the alert's deterministic id), publish second. A redelivery finds the
// item there, so the put is a no-op, and publishes again — the same event (same id, same data, since both
// follow from the cause alone), which consumers dedupe. If publishing throws, the message is retried and
// the publish repeated, so an alert is never stored without its event, nor announced twice under two ids.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { alertEventType } from '../../core/alerts/alert-kinds.ts';
import { alertFor } from '../../core/alerts/alert-rules.ts';
import { newEvent, type TrustgateEvent } from '../../core/events/event-envelope.ts';
import type { EventPublisher } from '../../events/event-publisher.ts';
import { type AlertItem, alertItemFor } from './alert-item.ts';
import { putAlertIfAbsent } from './alerts-repository.ts';

export interface AlertServiceDependencies {
  client: DynamoDBDocumentClient;
  alertsTable: string;
  publisher: EventPublisher;
  /** Unix epoch milliseconds: the alert's raisedAt. */
  clock: () => number;
}

export type RaiseOutcome = { raised: false } | { raised: true; alert: AlertItem; stored: 'new' | 'existing' };

export async function raiseAlertFor(
  deps: AlertServiceDependencies,
  cause: TrustgateEvent,
): Promise<RaiseOutcome> {
  const draft = alertFor(cause);
  if (!draft) return { raised: false };
  const alert = alertItemFor(draft, cause, deps.clock());
  const stored = (await putAlertIfAbsent(deps.client, deps.alertsTable, alert)) ? 'new' : 'existing';
  await deps.publisher.publish([alertEvent(alert)]);
  return { raised: true, alert, stored };
}

/** The `alert.<kind>` event of a stored alert, keyed by its id: the same alert always gives the same event. */
export function alertEvent(alert: AlertItem): TrustgateEvent {
  return newEvent(alertEventType(alert.kind), {
    tenantId: alert.tenantId,
    key: alert.alertId,
    occurredAt: alert.createdAt,
    data: {
      alertId: alert.alertId,
      kind: alert.kind,
      severity: alert.severity,
      message: alert.message,
      causeEventId: alert.causeEventId,
      ...(alert.agentId === undefined ? {} : { agentId: alert.agentId }),
      ...(alert.workflowId === undefined ? {} : { workflowId: alert.workflowId }),
    },
  });
}
