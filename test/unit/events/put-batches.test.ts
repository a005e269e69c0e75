import { describe, expect, it } from 'vitest';
import { newEvent } from '../../../functions/core/events/event-envelope.ts';
import {
  busEntry,
  entrySize,
  MAX_ENTRIES_PER_PUT,
  MAX_PUT_BYTES,
  putBatches,
} from '../../../functions/events/event-publisher.ts';

const event = (index: number, messageBytes = 10) =>
  newEvent('execution.failed', {
    tenantId: 'acme',
    key: `intent-${index}`,
    occurredAt: 0,
    data: { agentId: 'a', errorCode: 'provider_failed', message: 'x'.repeat(messageBytes) },
  });

describe('putBatches', () => {
  it('puts at most 10 entries in a request, in order', () => {
    const entries = Array.from({ length: 23 }, (_, index) => busEntry(event(index), 'bus'));
    const batches = putBatches(entries);
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(batches.flat()).toEqual(entries);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(MAX_ENTRIES_PER_PUT);
  });

  it('starts a new request before 256 KB, counted as AWS counts entries', () => {
    // Four entries of about 100 KB: two fit in a request, a third would not.
    const entries = Array.from({ length: 4 }, (_, index) => busEntry(event(index, 1_000), 'bus')).map(
      (entry) => ({
        ...entry,
        Detail: JSON.stringify({ padding: 'p'.repeat(100_000) }),
      }),
    );
    const batches = putBatches(entries);
    expect(batches.map((batch) => batch.length)).toEqual([2, 2]);
    for (const batch of batches) {
      expect(batch.reduce((sum, entry) => sum + entrySize(entry), 0)).toBeLessThanOrEqual(MAX_PUT_BYTES);
    }
  });

  it('refuses an entry that alone is over the limit, naming its event', () => {
    const entry = {
      ...busEntry(event(1), 'bus'),
      Detail: JSON.stringify({ eventId: 'evt_big', p: 'p'.repeat(MAX_PUT_BYTES) }),
    };
    expect(() => putBatches([entry])).toThrow(/evt_big/);
  });

  it('counts 14 bytes for Time and UTF-8 bytes for the strings', () => {
    expect(entrySize({ Source: 'ab', DetailType: 'é', Detail: '{}', Time: new Date() })).toBe(14 + 2 + 2 + 2);
  });
});
