import { describe, expect, it } from 'vitest';
import { isLastRoutingAttempt, retryInSeconds } from '../../../functions/app/workflows/queue-backoff.ts';

// The built-in defaults of docs/backend.md: 5 attempts, 5 s, ×2, at most 300 s.
const DEFAULT_QUEUE = { maxAttempts: 5, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 300 };

describe('retryInSeconds', () => {
  it('waits delaySeconds after the first attempt and multiplies by backoffRate after each next one', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryInSeconds(DEFAULT_QUEUE, attempt))).toEqual([
      5, 10, 20, 40, 80,
    ]);
  });

  it('never waits longer than maxDelaySeconds', () => {
    const queue = { ...DEFAULT_QUEUE, maxAttempts: 20, maxDelaySeconds: 60 };
    expect([4, 5, 6, 20].map((attempt) => retryInSeconds(queue, attempt))).toEqual([40, 60, 60, 60]);
  });

  it('holds at the bound when the power overflows to Infinity', () => {
    const queue = { maxAttempts: 20, delaySeconds: 3600, backoffRate: 5, maxDelaySeconds: 3600 };
    expect(retryInSeconds(queue, 10_000)).toBe(3600);
  });

  it('rounds a fractional backoff up to whole seconds for the Wait state', () => {
    const queue = { maxAttempts: 5, delaySeconds: 3, backoffRate: 1.5, maxDelaySeconds: 300 };
    // 3, 4.5, 6.75, 10.125
    expect([1, 2, 3, 4].map((attempt) => retryInSeconds(queue, attempt))).toEqual([3, 5, 7, 11]);
  });

  it('does not add a second for floating-point noise (10 × 1.1 is 11, not 11.000000000000002)', () => {
    const queue = { maxAttempts: 5, delaySeconds: 10, backoffRate: 1.1, maxDelaySeconds: 300 };
    expect(retryInSeconds(queue, 2)).toBe(11);
  });

  it('keeps a constant delay with backoffRate 1', () => {
    const queue = { ...DEFAULT_QUEUE, backoffRate: 1 };
    expect([1, 2, 5].map((attempt) => retryInSeconds(queue, attempt))).toEqual([5, 5, 5]);
  });

  it('refuses an attempt that is not a positive integer', () => {
    expect(() => retryInSeconds(DEFAULT_QUEUE, 0)).toThrow(RangeError);
    expect(() => retryInSeconds(DEFAULT_QUEUE, 1.5)).toThrow(RangeError);
  });
});

describe('isLastRoutingAttempt', () => {
  it('is the attempt that reaches maxAttempts, or any beyond it', () => {
    expect([1, 4, 5, 6].map((attempt) => isLastRoutingAttempt(DEFAULT_QUEUE, attempt))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});
