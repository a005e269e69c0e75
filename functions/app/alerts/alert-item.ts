// AlertsTable items (PK tenantId, SK alertId; docs/backend.md "Alerts"). One per cause event, written once:
//
//   { tenantId, alertId: "<occurredAt ISO>#<12 hex>", kind, severity, message, causeEventId,
//     agentId?, workflowId?, createdAt, raisedAt, status: "OPEN", publishedAt? }
//
// `createdAt` is the cause's occurredAt, so the id and the alert.* event follow from the cause event alone
// and a retry builds the identical event. `raisedAt` is when the alert service stored it (the events
// benchmark's consumer time); `publishedAt` is set once its alert.* event is on the bus, so a redelivery of
// the cause publishes only an alert that is not out yet. Platform alerts (dlq_not_empty) live under tenant
// `platform` (core/alerts/alert-kinds.ts).
import { alertIdFor } from '../../core/alerts/alert-id.ts';
import type { AlertKind, AlertSeverity } from '../../core/alerts/alert-kinds.ts';
import type { AlertDraft } from '../../core/alerts/alert-rules.ts';
import type { TrustgateEvent } from '../../core/events/event-envelope.ts';

export const ALERT_STATUSES = ['OPEN'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface AlertItem {
  tenantId: string;
  alertId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  message: string;
  causeEventId: string;
  agentId?: string;
  workflowId?: string;
  /** ISO 8601: when the cause happened (its occurredAt); the alert's id sorts by it. */
  createdAt: string;
  /** ISO 8601: when the alert service stored the alert (a redelivery keeps the first). */
  raisedAt: string;
  status: AlertStatus;
  /** ISO 8601: when its alert.* event was put on the bus; absent until then. */
  publishedAt?: string;
}

export function alertItemFor(draft: AlertDraft, cause: TrustgateEvent, raisedAtMs: number): AlertItem {
  return {
    tenantId: draft.tenantId,
    alertId: alertIdFor(cause),
    kind: draft.kind,
    severity: draft.severity,
    message: draft.message,
    causeEventId: cause.eventId,
    ...(draft.agentId === undefined ? {} : { agentId: draft.agentId }),
    ...(draft.workflowId === undefined ? {} : { workflowId: draft.workflowId }),
    createdAt: new Date(cause.occurredAt).toISOString(),
    raisedAt: new Date(raisedAtMs).toISOString(),
    status: 'OPEN',
  };
}
