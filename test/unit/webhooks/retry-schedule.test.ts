import { describe, expect, it } from 'vitest';
import {
  MAX_DELIVERY_ATTEMPTS,
  nextRetryDelaySeconds,
  RETRY_DELAYS_SECONDS,
} from '../../../functions/core/webhooks/retry-schedule.ts';

describe('webhook retry schedule', () => {
  it('backs off 5, 15, 45, 135, 405 seconds, then dead-letters', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(nextRetryDelaySeconds)).toEqual([
      5,
      15,
      45,
      135,
      405,
      'dead_letter',
      'dead_letter',
    ]);
    expect(RETRY_DELAYS_SECONDS).toEqual([5, 15, 45, 135, 405]);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(6);
  });

  it('refuses attempts that are not positive integers', () => {
    expect(() => nextRetryDelaySeconds(0)).toThrow(RangeError);
    expect(() => nextRetryDelaySeconds(1.5)).toThrow(RangeError);
  });
});
