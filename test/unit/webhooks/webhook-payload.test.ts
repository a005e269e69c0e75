// What a delivery POSTs (the Standard Webhooks payload shape) and which bus events a filter selects.
import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../../functions/app/webhooks/dispatch-event.ts';
import { type BusEvent, newEvent } from '../../../functions/core/events/event-envelope.ts';
import { webhookPayloadText } from '../../../functions/core/webhooks/webhook-payload.ts';

const detail = newEvent('intent.decided', {
  tenantId: 'acme',
  key: 'int-1',
  occurredAt: '2026-12-05T10:00:00.000Z',
  data: {
    intentId: 'int-1',
    agentId: 'research-1',
    action: 'read',
    decision: 'DENY',
    reasons: ['tier_below_required'],
    agentTier: 'T1',
    score: 210,
  },
});
const event: BusEvent = {
  id: 'eb-1',
  source: 'trustgate.intents',
  'detail-type': 'intent.decided',
  time: detail.occurredAt,
  detail,
};

describe('webhookPayloadText', () => {
  it('is { type, timestamp, data: the whole event detail } as JSON', () => {
    expect(JSON.parse(webhookPayloadText(detail))).toEqual({
      type: 'intent.decided',
      timestamp: '2026-12-05T10:00:00.000Z',
      data: detail,
    });
  });
});

describe('matchesFilter', () => {
  const filter = (pattern: unknown) => ({ filterPattern: pattern === null ? null : JSON.stringify(pattern) });

  it('matches every event without a filter', () => {
    expect(matchesFilter(filter(null), event)).toBe(true);
  });

  it('matches on the detail-type, the source and the event data', () => {
    expect(matchesFilter(filter({ 'detail-type': ['intent.decided'] }), event)).toBe(true);
    expect(matchesFilter(filter({ source: ['trustgate.intents'] }), event)).toBe(true);
    expect(matchesFilter(filter({ detail: { data: { decision: ['DENY'] } } }), event)).toBe(true);
    expect(matchesFilter(filter({ detail: { data: { score: [{ numeric: ['<', 300] }] } } }), event)).toBe(
      true,
    );
  });

  it('does not match other types or values', () => {
    expect(matchesFilter(filter({ 'detail-type': ['workflow.failed'] }), event)).toBe(false);
    expect(matchesFilter(filter({ detail: { data: { decision: ['ALLOW'] } } }), event)).toBe(false);
    expect(matchesFilter(filter({ 'detail-type': [{ prefix: 'trust.' }] }), event)).toBe(false);
  });
});
