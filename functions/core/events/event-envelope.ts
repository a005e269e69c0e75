// The `detail` of every trustgate event on the bus (SPEC §5), schema version 1:
//
//   { "schemaVersion": 1, "eventId": "evt_…", "type": "intent.decided", "tenantId": "…",
//     "occurredAt": "2026-12-05T10:00:00.000Z", "data": { …the type's schema, event-catalog.ts… } }
//
// `eventId` is derived from what the event is about (eventIdFor), never drawn at random: a producer
// that retries after a partial failure, or a retried Lambda that emits the same fact again, puts the
// same id, and every consumer is idempotent on it. EventBridge's own `id` differs per put and is not
// used for that.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EVENT_CATALOG, type EventData, type EventType, isEventType } from './event-catalog.ts';

export const EVENT_SCHEMA_VERSION = 1;

export interface TrustgateEvent<T extends EventType = EventType> {
  schemaVersion: typeof EVENT_SCHEMA_VERSION;
  eventId: string;
  type: T;
  tenantId: string;
  /** ISO 8601, when the fact happened (not when it was put on the bus). */
  occurredAt: string;
  data: EventData<T>;
}

/** The parts of an EventBridge event (as a rule delivers it to SQS) consumers read. */
export interface BusEvent {
  /** EventBridge's id of this put; differs between retries of the same fact. */
  id: string;
  source: string;
  'detail-type': string;
  time: string;
  detail: TrustgateEvent;
}

export const EVENT_ID_PATTERN = /^evt_[0-9a-f]{32}$/;

const EnvelopeSchema = z.object({
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
  eventId: z.string().regex(EVENT_ID_PATTERN),
  type: z
    .string()
    .refine(isEventType, { message: 'an event type of the catalog (docs/backend.md "Events")' }),
  tenantId: z.string().min(1).max(128),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.unknown(),
});

const BusEventSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  'detail-type': z.string().min(1),
  time: z.string().min(1),
  detail: z.unknown(),
});

/**
 * The event id for the fact `key` (an intent id, a workflow id, `<escalationId>`, …) of `type` in a tenant.
 * Same inputs, same id: that is what makes retries harmless.
 */
export function eventIdFor(tenantId: string, type: EventType, key: string): string {
  const digest = createHash('sha256').update(`${tenantId}\n${type}\n${key}`).digest('hex');
  return `evt_${digest.slice(0, 32)}`;
}

export function newEvent<T extends EventType>(
  type: T,
  fields: { tenantId: string; key: string; occurredAt: string | number; data: EventData<T> },
): TrustgateEvent<T> {
  return {
    schemaVersion: EVENT_SCHEMA_VERSION,
    eventId: eventIdFor(fields.tenantId, type, fields.key),
    type,
    tenantId: fields.tenantId,
    occurredAt: new Date(fields.occurredAt).toISOString(),
    data: fields.data,
  };
}

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';

  constructor(
    /** Dotted path of the first offending field (`detail.data.agentId`), `body` for the whole message. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Validates a detail against the envelope and its type's data schema; throws MalformedEventError naming the field. */
export function parseEventDetail(detail: unknown, fieldPrefix = 'detail'): TrustgateEvent {
  const envelope = EnvelopeSchema.safeParse(detail);
  if (!envelope.success) throw malformed(envelope.error, fieldPrefix);
  const type = envelope.data.type as EventType;
  const data = EVENT_CATALOG[type].data.safeParse(envelope.data.data);
  if (!data.success) throw malformed(data.error, `${fieldPrefix}.data`);
  // The data as it was put, fields this version does not know included: schemas only ever add fields, and
  // whoever stores the event (the audit log) must keep what a newer producer sent.
  return { ...envelope.data, type, data: envelope.data.data } as TrustgateEvent;
}

/** An SQS message body written by an EventBridge rule target: the whole event, checked through to its data. */
export function parseBusEvent(body: string): BusEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedEventError('body', 'not JSON');
  }
  const event = BusEventSchema.safeParse(json);
  if (!event.success) throw malformed(event.error, '');
  const detail = parseEventDetail(event.data.detail);
  if (detail.type !== event.data['detail-type']) {
    throw new MalformedEventError('detail-type', `"${event.data['detail-type']}" is not the detail's type`);
  }
  return { ...event.data, detail };
}

export function isEventOf<T extends EventType>(event: TrustgateEvent, type: T): event is TrustgateEvent<T> {
  return event.type === type;
}

function malformed(error: z.ZodError, prefix: string): MalformedEventError {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
  return new MalformedEventError(path || 'body', issue.message);
}
