// Puts trustgate events (functions/core/events) on the EventBridge bus.
//
// - Batched: one PutEvents per 10 entries (AWS's limit) and per 256 KB, so a gated step's handful of events
//   costs one request.
// - Partial failures are retried: PutEvents answers 200 with FailedEntryCount > 0 when some entries were not
//   accepted (throttling, an internal error); those entries, and only those, are put again with backoff.
// - Never dropped: entries still refused after the last attempt go to the undelivered-events queue (an SQS
//   queue with a DLQ of its own, watched by the DLQ monitor and replayed by `npm run events -- redrive`);
//   only when that fails too does publish throw, so the caller's own retry (Step Functions, SQS, the
//   client) repeats the whole thing, with the same event ids.
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EVENT_CATALOG } from '../core/events/event-catalog.ts';
import type { TrustgateEvent } from '../core/events/event-envelope.ts';

export interface EventPublisher {
  /** `source` overrides the catalog's source (POST /v1/events puts with `trustgate.ingest`). */
  publish(events: readonly TrustgateEvent[], options?: { source?: string }): Promise<void>;
}

export interface EventBridgePublisherOptions {
  eventBridge: Pick<EventBridgeClient, 'send'>;
  busName: string;
  /** Where entries go that the bus keeps refusing; without it publish throws instead. */
  undelivered?: { sqs: Pick<SQSClient, 'send'>; queueUrl: string };
  /** PutEvents attempts per entry, the first included. */
  maxAttempts?: number;
  /** Backoff before retry n (1-based): baseDelayMs × 2^(n−1). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string, details: Record<string, unknown>) => void;
}

/** AWS's limits on one PutEvents request. */
export const MAX_ENTRIES_PER_PUT = 10;
export const MAX_PUT_BYTES = 256 * 1024;
/** A Time parameter counts as 14 bytes in the request size. */
const TIME_BYTES = 14;
/** SendMessageBatch takes 10 messages of at most 256 KB together, like PutEvents. */
const MAX_MESSAGES_PER_SEND = 10;

export class EventPublishError extends Error {
  override readonly name = 'Trustgate.EventsUndelivered';

  constructor(
    readonly eventIds: string[],
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function eventBridgePublisher(options: EventBridgePublisherOptions): EventPublisher {
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));

  async function putWithRetries(entries: PutEventsRequestEntry[]): Promise<FailedEntry[]> {
    let pending = entries;
    let failures: FailedEntry[] = [];
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await sleep(baseDelayMs * 2 ** (attempt - 2));
      failures = await putOnce(pending);
      pending = failures.map((failure) => failure.entry);
    }
    return failures;
  }

  async function putOnce(entries: PutEventsRequestEntry[]): Promise<FailedEntry[]> {
    try {
      const output = await options.eventBridge.send(new PutEventsCommand({ Entries: entries }));
      if (!output.FailedEntryCount) return [];
      // Result entries are in request order; the failed ones carry an ErrorCode.
      return entries.flatMap((entry, index) => {
        const result = output.Entries?.[index];
        return result?.ErrorCode
          ? [{ entry, error: `${result.ErrorCode}: ${result.ErrorMessage ?? ''}`.trim() }]
          : [];
      });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return entries.map((entry) => ({ entry, error: message }));
    }
  }

  async function sendUndelivered(failures: FailedEntry[]): Promise<void> {
    const ids = failures.map((failure) => eventIdOf(failure.entry));
    if (!options.undelivered) {
      throw new EventPublishError(ids, `the bus refused ${describe(failures)}`);
    }
    const { sqs, queueUrl } = options.undelivered;
    for (const chunk of chunked(failures, MAX_MESSAGES_PER_SEND)) {
      try {
        const output = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((failure, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(failure.entry),
              MessageAttributes: { ERROR: { DataType: 'String', StringValue: failure.error.slice(0, 1024) } },
            })),
          }),
        );
        if (output.Failed?.length) throw new Error(`${output.Failed.length} messages refused`);
      } catch (error) {
        throw new EventPublishError(
          ids,
          `the bus refused ${describe(failures)}, and so did the undelivered-events queue`,
          { cause: error },
        );
      }
    }
    options.log?.('events parked on the undelivered-events queue', {
      eventIds: ids,
      error: failures[0]?.error,
    });
  }

  return {
    async publish(events, publishOptions) {
      if (events.length === 0) return;
      const entries = events.map((event) => busEntry(event, options.busName, publishOptions?.source));
      const failures: FailedEntry[] = [];
      for (const batch of putBatches(entries)) failures.push(...(await putWithRetries(batch)));
      if (failures.length > 0) await sendUndelivered(failures);
    },
  };
}

interface FailedEntry {
  entry: PutEventsRequestEntry;
  error: string;
}

export function busEntry(event: TrustgateEvent, busName: string, source?: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: source ?? EVENT_CATALOG[event.type].source,
    DetailType: event.type,
    Detail: JSON.stringify(event),
    Time: new Date(event.occurredAt),
  };
}

/** Entries grouped into requests within both limits, in order. */
export function putBatches(entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const batches: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (size > MAX_PUT_BYTES) {
      throw new RangeError(`event ${eventIdOf(entry)} is ${size} bytes, over PutEvents' 256 KB`);
    }
    if (current.length === MAX_ENTRIES_PER_PUT || bytes + size > MAX_PUT_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** As AWS counts it (eb-putevent-size): UTF-8 bytes of Source, DetailType, Detail and Resources, 14 for Time. */
export function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (value: string | undefined) => (value === undefined ? 0 : Buffer.byteLength(value, 'utf8'));
  return (
    (entry.Time === undefined ? 0 : TIME_BYTES) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((total, resource) => total + bytes(resource), 0)
  );
}

function eventIdOf(entry: PutEventsRequestEntry): string {
  try {
    return String((JSON.parse(entry.Detail ?? '{}') as { eventId?: unknown }).eventId ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

function describe(failures: FailedEntry[]): string {
  const ids = failures.map((failure) => eventIdOf(failure.entry)).join(', ');
  return `${failures.length} event(s) (${ids}); first error ${failures[0]?.error ?? 'unknown'}`;
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
