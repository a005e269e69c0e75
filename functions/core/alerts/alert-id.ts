// An alert's id: `<occurredAt of its cause, ISO 8601 UTC>#<first 12 hex of sha256(cause eventId)>`.
// Time-sortable (a tenant's alerts list newest first by their sort key alone, and `since` is a key range)
// and deterministic from the cause event, so a redelivered event puts the same id and the conditional put
// makes it a no-op.
import { createHash } from 'node:crypto';

export const ALERT_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-f]{12}$/;

export function alertIdFor(cause: { eventId: string; occurredAt: string }): string {
  const digest = createHash('sha256').update(cause.eventId).digest('hex');
  return `${new Date(cause.occurredAt).toISOString()}#${digest.slice(0, 12)}`;
}
