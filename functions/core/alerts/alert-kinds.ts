// The alerts the alert service raises (docs/backend.md "Alerts"): each kind is published as the catalog
// event `alert.<kind>` and stored with a severity. Alerts about the platform itself (a dead-letter queue
// filling up) belong to no tenant and are stored under PLATFORM_TENANT.
import type { EventType } from '../events/event-catalog.ts';

export const ALERT_KINDS = [
  'circuit_opened',
  'tier_dropped',
  'escalation_timed_out',
  'dlq_not_empty',
  'budget_exceeded',
  'webhook_disabled',
] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;

export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

// Platform-wide alerts are stored and published under the platform tenant (core/auth/caller.ts), so its
// keys list them with GET /v1/alerts; no customer tenant may be called `platform`.
export { PLATFORM_TENANT } from '../auth/caller.ts';

export type AlertEventType = `alert.${AlertKind}` & EventType;

export function alertEventType(kind: AlertKind): AlertEventType {
  return `alert.${kind}`;
}
