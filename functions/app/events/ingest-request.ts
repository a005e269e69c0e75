// The body of POST /v1/events (SPEC §9, docs/backend.md "Events"): a client's execution and compliance
// events, checked one by one so that a bad entry is rejected on its own, naming its index and field:
//
//   { "events": [ { "type": "execution.succeeded", "id"?: "client-key", "occurredAt"?: ISO 8601,
//                   "data": { "agentId": "research-agent", "durationMs": 1200, "quality": 0.9 } } ] }
//
// `id` is the client's idempotency key: the same id (for the same type) always becomes the same event id,
// so a client that retries a batch after a timeout is counted once by every consumer. Without it the
// event's id comes from the batch id and its index, which is unique per request.
import { z } from 'zod';
import {
  EVENT_CATALOG,
  INGESTIBLE_EVENT_TYPES,
  type IngestibleEventType,
} from '../../core/events/event-catalog.ts';
import type { FieldError } from '../../http/api-error.ts';
import { zodIssuesAsFieldErrors } from '../../http/validate-input.ts';

/** At most 100 events per request; PutEvents takes them 10 at a time. */
export const MAX_EVENTS_PER_REQUEST = 100;
/** Clocks disagree: an event a little ahead of ours is accepted, one far ahead is a mistake. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Trust weighs old outcomes less every day; one older than this is almost surely a replayed log. */
export const MAX_EVENT_AGE_MS = 30 * 24 * 3600 * 1000;

export const IngestBodySchema = z.strictObject({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_REQUEST),
});

const EntrySchema = z.strictObject({
  type: z.enum(INGESTIBLE_EVENT_TYPES, {
    error: `one of ${INGESTIBLE_EVENT_TYPES.join(', ')} (the platform's own events cannot be sent)`,
  }),
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'letters, digits and . _ : - only, at most 128')
    .optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  data: z.unknown(),
});

export interface IngestEntry {
  index: number;
  type: IngestibleEventType;
  clientId?: string;
  /** Epoch ms. */
  occurredAt: number;
  data: { agentId: string } & Record<string, unknown>;
}

export type EntryCheck = { ok: true; entry: IngestEntry } | { ok: false; rejection: FieldError };

/** One entry checked against the envelope, its type's schema and the time window; the first problem named. */
export function checkEntry(raw: unknown, index: number, now: number): EntryCheck {
  const prefix = `events.${index}`;
  const envelope = EntrySchema.safeParse(raw);
  if (!envelope.success) return rejected(zodIssuesAsFieldErrors(envelope.error.issues, prefix));
  const { type, id, occurredAt, data } = envelope.data;
  // Strict here, unlike on the bus: a key a client misspelt would otherwise be dropped without a word.
  const parsedData = EVENT_CATALOG[type].data.strict().safeParse(data);
  if (!parsedData.success) return rejected(zodIssuesAsFieldErrors(parsedData.error.issues, `${prefix}.data`));
  const at = occurredAt === undefined ? now : Date.parse(occurredAt);
  if (at > now + MAX_CLOCK_SKEW_MS) {
    return rejected([{ field: `${prefix}.occurredAt`, message: 'more than 5 minutes in the future' }]);
  }
  if (at < now - MAX_EVENT_AGE_MS) {
    return rejected([{ field: `${prefix}.occurredAt`, message: 'more than 30 days in the past' }]);
  }
  return {
    ok: true,
    entry: {
      index,
      type,
      ...(id === undefined ? {} : { clientId: id }),
      occurredAt: at,
      data: parsedData.data as IngestEntry['data'],
    },
  };
}

function rejected(errors: FieldError[]): EntryCheck {
  return { ok: false, rejection: errors[0] ?? { field: 'events', message: 'invalid event' } };
}
