import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tierChangeBetween } from '../../../functions/core/trust/tier-change.ts';
import { tierForScore } from '../../../functions/core/trust/tiers.ts';

describe('tierChangeBetween', () => {
  it.each([
    [99, 100, 0, 1],
    [299, 300, 1, 2],
    [499, 500, 2, 3],
    [699, 700, 3, 4],
    [899, 900, 4, 5],
  ] as const)('reports a promotion from %d to %d (T%d → T%d)', (previous, next, from, to) => {
    expect(tierChangeBetween(previous, next)).toEqual({ from, to, direction: 'promotion' });
    expect(tierChangeBetween(next, previous)).toEqual({ from: to, to: from, direction: 'demotion' });
  });

  it('reports a jump over several tiers as one change', () => {
    expect(tierChangeBetween(950, 50)).toEqual({ from: 5, to: 0, direction: 'demotion' });
  });

  it('reports nothing for a move within a tier', () => {
    expect(tierChangeBetween(500, 699)).toBeUndefined();
    expect(tierChangeBetween(1000, 900)).toBeUndefined();
    expect(tierChangeBetween(0, 99)).toBeUndefined();
  });

  it('reports a change exactly when the tiers differ', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (a, b) => {
          expect(tierChangeBetween(a, b) !== undefined).toBe(tierForScore(a) !== tierForScore(b));
        },
      ),
    );
  });
});
