import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTierCode, tierCode, tierForScore, tierName } from '../../../functions/core/trust/tiers.ts';

describe('tierForScore', () => {
  it.each([
    [0, 0],
    [99, 0],
    [99.999, 0],
    [100, 1],
    [299, 1],
    [300, 2],
    [499, 2],
    [500, 3],
    [699, 3],
    [700, 4],
    [899, 4],
    [900, 5],
    [1000, 5],
  ])('puts score %d in tier %d (SPEC §2 boundaries)', (score, tier) => {
    expect(tierForScore(score)).toBe(tier);
  });

  it('rejects scores outside [0, 1000] and NaN', () => {
    expect(() => tierForScore(-0.001)).toThrow(RangeError);
    expect(() => tierForScore(1000.001)).toThrow(RangeError);
    expect(() => tierForScore(Number.NaN)).toThrow(RangeError);
  });

  it('is non-decreasing in the score', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(tierForScore(low)).toBeLessThanOrEqual(tierForScore(high));
        },
      ),
    );
  });
});

describe('tier names and codes', () => {
  it('names the six tiers as SPEC §2 does', () => {
    expect([0, 1, 2, 3, 4, 5].map((tier) => tierName(tier as 0 | 1 | 2 | 3 | 4 | 5))).toEqual([
      'Sandbox',
      'Provisional',
      'Standard',
      'Trusted',
      'Certified',
      'Autonomous',
    ]);
  });

  it('round-trips T0 … T5 and rejects anything else', () => {
    for (const tier of [0, 1, 2, 3, 4, 5] as const) expect(parseTierCode(tierCode(tier))).toBe(tier);
    expect(parseTierCode('T6')).toBeUndefined();
    expect(parseTierCode('t1')).toBeUndefined();
    expect(parseTierCode(3)).toBeUndefined();
  });
});
