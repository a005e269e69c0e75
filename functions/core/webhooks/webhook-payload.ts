// The body a webhook delivery POSTs, in the Standard Webhooks payload shape:
//   { "type": "intent.decided", "timestamp": "<the event's occurredAt>", "data": <the whole TrustgateEvent> }
// `data` is the bus event's detail as is (schemaVersion, eventId, type, tenantId, occurredAt, data), so a
// receiver reads the same fields a bus consumer does. The text is fixed once, by the dispatcher: every
// retry POSTs (and signs) exactly the same bytes.
import type { TrustgateEvent } from '../events/event-envelope.ts';

export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: TrustgateEvent;
}

export function webhookPayloadText(event: TrustgateEvent): string {
  const payload: WebhookPayload = { type: event.type, timestamp: event.occurredAt, data: event };
  return JSON.stringify(payload);
}
