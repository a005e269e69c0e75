import { describe, expect, it } from 'vitest';
import { trustCatalogEvents } from '../../../functions/app/trust/trust-catalog-events.ts';
import { EVENT_CATALOG } from '../../../functions/core/events/event-catalog.ts';
import { eventIdFor } from '../../../functions/core/events/event-envelope.ts';
import type { TrustEvent } from '../../../functions/core/trust/trust-events.ts';

const subject = {
  tenantId: 'acme',
  agentId: 'research',
  cause: 'violation' as const,
  key: 'evt_0123456789abcdef0123456789abcdef',
  occurredAt: '2026-12-01T10:00:00.000Z',
};

const events: TrustEvent[] = [
  { type: 'trust.violation', severity: 'high', previousCompliance: 1, compliance: 0.5 },
  { type: 'trust.changed', cause: 'violation', previousScore: 520, score: 445, previousTier: 3, tier: 2 },
  { type: 'trust.tier_changed', from: 3, to: 2, direction: 'demotion', score: 445 },
];

describe('trust events on the bus', () => {
  it('adds the agent, spells tiers as codes and carries the cause on both score events', () => {
    const catalog = trustCatalogEvents(subject, events);
    expect(catalog.map((event) => [event.type, event.data])).toEqual([
      ['trust.violation', { agentId: 'research', severity: 'high', previousCompliance: 1, compliance: 0.5 }],
      [
        'trust.changed',
        {
          agentId: 'research',
          cause: 'violation',
          previousScore: 520,
          score: 445,
          previousTier: 'T3',
          tier: 'T2',
        },
      ],
      [
        'trust.tier_changed',
        { agentId: 'research', from: 'T3', to: 'T2', direction: 'demotion', score: 445, cause: 'violation' },
      ],
    ]);
    for (const event of catalog) {
      expect(EVENT_CATALOG[event.type].data.safeParse(event.data).success).toBe(true);
      expect(event).toMatchObject({ tenantId: 'acme', occurredAt: subject.occurredAt, schemaVersion: 1 });
    }
  });

  it('derives every id from the key, so emitting the same change twice puts the same ids', () => {
    const first = trustCatalogEvents(subject, events);
    expect(trustCatalogEvents(subject, events)).toEqual(first);
    expect(first.map((event) => event.eventId)).toEqual(
      first.map((event) => eventIdFor('acme', event.type, subject.key)),
    );
    expect(new Set(first.map((event) => event.eventId)).size).toBe(3);
    const other = trustCatalogEvents({ ...subject, key: 'evt_ffffffffffffffffffffffffffffffff' }, events);
    expect(other.map((event) => event.eventId)).not.toEqual(first.map((event) => event.eventId));
  });
});
