import { describe, expect, it } from 'vitest';
import {
  MAX_DELIVERY_ATTEMPTS,
  nextRetryDelaySeconds,
  parseRetryDelays,
  RETRY_DELAYS_SECONDS,
  scheduledRetryDelay,
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

describe('configured retry schedules', () => {
  it('parse WEBHOOK_RETRY_DELAYS_SECONDS, defaulting to the SPEC schedule', () => {
    expect(parseRetryDelays(undefined)).toEqual([5, 15, 45, 135, 405]);
    expect(parseRetryDelays('')).toEqual([5, 15, 45, 135, 405]);
    expect(parseRetryDelays('1, 2,3')).toEqual([1, 2, 3]);
  });

  it('refuse entries that are not whole seconds within SQS visibility limits', () => {
    for (const text of ['1,,2', '0', '-1', '1.5', 'x', '43201']) {
      expect(() => parseRetryDelays(text)).toThrow(RangeError);
    }
  });

  it('wait the schedule, then 0 once spent so the redrive policy dead-letters at once', () => {
    const delays = parseRetryDelays('5,15,45,135,405');
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => scheduledRetryDelay(delays, attempt))).toEqual([
      5, 15, 45, 135, 405, 0, 0,
    ]);
    expect(() => scheduledRetryDelay(delays, 0)).toThrow(RangeError);
  });
});
