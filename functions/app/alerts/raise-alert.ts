// The alert service's effect (SPEC §5): an event that raises an alert (core/alerts/alert-rules.ts) becomes
// an AlertsTable item and an `alert.<kind>` event on the bus, each exactly once per cause.
//
// Order: put (conditional on the alert's deterministic id), publish, then mark the item published. A
// redelivery of the cause finds the item: if it is marked, nothing more happens (no second event); if not —
// the first attempt stopped between put and mark — the stored alert's event is published now. Its id and
// data follow from the stored item alone, so even the narrow window of a crash after publishing but before
// marking puts the very same event (same eventId) again, which consumers dedupe. An alert is never stored
// without its event going out.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { alertEventType } from '../../core/alerts/alert-kinds.ts';
import { alertFor } from '../../core/alerts/alert-rules.ts';
import { newEvent, type TrustgateEvent } from '../../core/events/event-envelope.ts';
import type { EventPublisher } from '../../events/event-publisher.ts';
import { type AlertItem, alertItemFor } from './alert-item.ts';
import { markAlertPublished, putAlertIfAbsent } from './alerts-repository.ts';

export interface AlertServiceDependencies {
  client: DynamoDBDocumentClient;
  alertsTable: string;
  publisher: EventPublisher;
  /** Unix epoch milliseconds: the alert's raisedAt and publishedAt. */
  clock: () => number;
}

export type RaiseOutcome =
  | { raised: false }
  | { raised: true; alert: AlertItem; stored: 'new' | 'existing'; published: boolean };

export async function raiseAlertFor(
  deps: AlertServiceDependencies,
  cause: TrustgateEvent,
): Promise<RaiseOutcome> {
  const draft = alertFor(cause);
  if (!draft) return { raised: false };
  const candidate = alertItemFor(draft, cause, deps.clock());
  const result = await putAlertIfAbsent(deps.client, deps.alertsTable, candidate);
  // A redelivery goes on with the stored alert (its raisedAt, its published mark), not the rebuilt one.
  const alert = result.stored === 'new' ? candidate : result.existing;
  if (alert.publishedAt !== undefined)
    return { raised: true, alert, stored: result.stored, published: false };
  await deps.publisher.publish([alertEvent(alert)]);
  await markAlertPublished(deps.client, deps.alertsTable, alert, deps.clock());
  return { raised: true, alert, stored: result.stored, published: true };
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
