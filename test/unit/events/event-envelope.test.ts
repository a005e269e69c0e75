import { describe, expect, it } from 'vitest';
import {
  EVENT_CATALOG,
  EVENT_TYPES,
  INGESTIBLE_EVENT_TYPES,
} from '../../../functions/core/events/event-catalog.ts';
import {
  EVENT_ID_PATTERN,
  eventIdFor,
  MalformedEventError,
  newEvent,
  parseBusEvent,
  parseEventDetail,
} from '../../../functions/core/events/event-envelope.ts';

const decided = () =>
  newEvent('intent.decided', {
    tenantId: 'acme',
    key: 'intent-1',
    occurredAt: Date.UTC(2026, 11, 5),
    data: {
      intentId: 'intent-1',
      agentId: 'research-agent',
      action: 'search_web',
      decision: 'DENY',
      reasons: ['forbidden_by_policy'],
      agentTier: 'T3',
      score: 580,
    },
  });

function bodyOf(detail: unknown, detailType = 'intent.decided'): string {
  return JSON.stringify({
    id: 'eb-1',
    source: 'trustgate.intents',
    'detail-type': detailType,
    time: 't',
    detail,
  });
}

describe('event ids', () => {
  it('are the same for the same fact and differ by tenant, type or key', () => {
    const id = eventIdFor('acme', 'intent.decided', 'intent-1');
    expect(id).toMatch(EVENT_ID_PATTERN);
    expect(eventIdFor('acme', 'intent.decided', 'intent-1')).toBe(id);
    expect(eventIdFor('other', 'intent.decided', 'intent-1')).not.toBe(id);
    expect(eventIdFor('acme', 'intent.declared', 'intent-1')).not.toBe(id);
    expect(eventIdFor('acme', 'intent.decided', 'intent-2')).not.toBe(id);
  });

  it('do not depend on when the event was built', () => {
    const first = decided();
    const second = newEvent('intent.decided', { ...first, key: 'intent-1', occurredAt: Date.now() });
    expect(second.eventId).toBe(first.eventId);
  });
});

describe('parseBusEvent', () => {
  it('accepts an event of the catalog, data checked against its schema', () => {
    const event = decided();
    expect(parseBusEvent(bodyOf(event)).detail).toEqual(event);
  });

  it.each([
    ['not JSON', 'nope', 'body'],
    ['no detail-type', JSON.stringify({ id: 'x', source: 's', time: 't', detail: {} }), 'detail-type'],
    ['an unknown type', bodyOf({ ...decided(), type: 'intent.guessed' }), 'detail.type'],
    ['another schema version', bodyOf({ ...decided(), schemaVersion: 2 }), 'detail.schemaVersion'],
    ['an event id not ours', bodyOf({ ...decided(), eventId: 'random' }), 'detail.eventId'],
    [
      'data off its schema',
      bodyOf({ ...decided(), data: { ...decided().data, decision: 'MAYBE' } }),
      'detail.data.decision',
    ],
    ['a detail-type that is not the detail’s type', bodyOf(decided(), 'intent.declared'), 'detail-type'],
  ])('names the field of %s', (_, body, field) => {
    const error = (() => {
      try {
        parseBusEvent(body);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as MalformedEventError).field).toBe(field);
  });

  it('passes unknown data fields through (schemas are additive)', () => {
    const event = { ...decided(), data: { ...decided().data, addedLater: 1 } };
    expect(parseEventDetail(event).data).toMatchObject({ addedLater: 1 });
  });
});

describe('the catalog', () => {
  it('gives every type a trustgate source and a schema', () => {
    for (const type of EVENT_TYPES) {
      expect(EVENT_CATALOG[type].source).toMatch(/^trustgate\./);
      expect(typeof EVENT_CATALOG[type].data.safeParse).toBe('function');
    }
  });

  it('lets clients send only outcomes and compliance findings, never the platform’s own events', () => {
    expect([...INGESTIBLE_EVENT_TYPES].sort()).toEqual(
      EVENT_TYPES.filter((type) => type.startsWith('execution.') || type.startsWith('compliance.')).sort(),
    );
  });
});
