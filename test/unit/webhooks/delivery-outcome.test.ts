import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISABLE_AFTER_SECONDS,
  isDelivered,
  lastDeliveryOf,
  shouldDisable,
} from '../../../functions/core/webhooks/delivery-outcome.ts';

const at = Date.parse('2026-12-05T10:00:00.000Z');

describe('delivery outcomes', () => {
  it('count 2xx answers, and only those, as delivered', () => {
    expect([200, 204, 299].map((status) => isDelivered({ kind: 'answered', status }))).toEqual([
      true,
      true,
      true,
    ]);
    expect([199, 301, 400, 500].map((status) => isDelivered({ kind: 'answered', status }))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(isDelivered({ kind: 'no_answer', error: 'ECONNREFUSED' })).toBe(false);
  });

  it('describe the last delivery with its status and error', () => {
    expect(lastDeliveryOf({ kind: 'answered', status: 204 }, at)).toEqual({
      at: '2026-12-05T10:00:00.000Z',
      status: 204,
      error: null,
    });
    expect(lastDeliveryOf({ kind: 'answered', status: 503 }, at)).toMatchObject({
      status: 503,
      error: 'HTTP 503',
    });
    expect(lastDeliveryOf({ kind: 'no_answer', error: 'timeout' }, at)).toMatchObject({
      status: null,
      error: 'timeout',
    });
  });

  it('disable a webhook only once it has failed for longer than the threshold (5 days by default)', () => {
    expect(DEFAULT_DISABLE_AFTER_SECONDS).toBe(432_000);
    const since = new Date(at).toISOString();
    expect(shouldDisable(since, at + 432_000_000, DEFAULT_DISABLE_AFTER_SECONDS)).toBe(false);
    expect(shouldDisable(since, at + 432_000_001, DEFAULT_DISABLE_AFTER_SECONDS)).toBe(true);
    expect(shouldDisable(since, at + 61_000, 60)).toBe(true);
  });
});
