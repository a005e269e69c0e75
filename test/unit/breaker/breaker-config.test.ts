import { describe, expect, it } from 'vitest';
import { breakerConfig, DEFAULT_BREAKER_CONFIG } from '../../../functions/core/breaker/breaker-config.ts';

describe('breaker configuration', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_BREAKER_CONFIG).toEqual({
      failureThreshold: 5,
      failureRateThreshold: 0.5,
      minimumRequests: 6,
      windowMs: 60_000,
      windowBuckets: 10,
      resetTimeoutMs: 30_000,
      maxResetTimeoutMs: 300_000,
      halfOpenMaxProbes: 1,
      successesToClose: 1,
      probeTimeoutMs: 60_000,
    });
    expect(Object.isFrozen(DEFAULT_BREAKER_CONFIG)).toBe(true);
  });

  it('overrides only what it is given', () => {
    const config = breakerConfig({ halfOpenMaxProbes: 3 });
    expect(config.halfOpenMaxProbes).toBe(3);
    expect(config.failureThreshold).toBe(5);
  });

  it.each([
    [{ failureThreshold: 0 }, /failureThreshold must be a positive integer/],
    [{ minimumRequests: 2.5 }, /minimumRequests must be a positive integer/],
    [{ halfOpenMaxProbes: Number.NaN }, /halfOpenMaxProbes must be a positive integer/],
    [{ failureRateThreshold: 0 }, /failureRateThreshold must be within \(0, 1\]/],
    [{ failureRateThreshold: 1.5 }, /failureRateThreshold must be within \(0, 1\]/],
    [{ windowMs: 60_000, windowBuckets: 7 }, /windowMs \(60000\) must be a multiple of windowBuckets \(7\)/],
    [
      { resetTimeoutMs: 10_000, maxResetTimeoutMs: 5_000 },
      /maxResetTimeoutMs \(5000\) must be ≥ resetTimeoutMs/,
    ],
  ])('rejects %o', (overrides, message) => {
    expect(() => breakerConfig(overrides)).toThrow(message);
  });
});
