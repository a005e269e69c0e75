import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decayedScore, inactivityRetention } from '../../../functions/core/trust/decay.ts';
import { MS_PER_DAY } from '../../../functions/core/trust/elapsed-days.ts';

const milestones = [
  [0, 1],
  [6, 1],
  [7, 0.95],
  [14, 0.88],
  [28, 0.75],
  [56, 0.62],
  [112, 0.55],
  [182, 0.5],
  [365, 0.25],
] as const;

describe('inactivityRetention', () => {
  it.each(milestones)('keeps exactly the SPEC share at day %d (%d)', (days, retention) => {
    expect(inactivityRetention(days)).toBe(retention);
  });

  it('keeps the whole score during the first week', () => {
    expect(inactivityRetention(3)).toBe(1);
    expect(inactivityRetention(5.9)).toBe(1);
  });

  it('interpolates linearly between milestones (day 21 → 0.815)', () => {
    expect(inactivityRetention(21)).toBeCloseTo(0.815, 12);
    expect(inactivityRetention(273.5)).toBeCloseTo(0.375, 12);
  });

  it('slides linearly from 1.00 at day 6 to 0.95 at day 7', () => {
    expect(inactivityRetention(6.5)).toBeCloseTo(0.975, 12);
  });

  it('holds at 0.25 beyond a year', () => {
    expect(inactivityRetention(400)).toBe(0.25);
    expect(inactivityRetention(10_000)).toBe(0.25);
  });

  it('treats negative inactivity as none and rejects NaN', () => {
    expect(inactivityRetention(-1)).toBe(1);
    expect(() => inactivityRetention(Number.NaN)).toThrow(RangeError);
  });

  it('never increases with more days of inactivity', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (a, b) => {
          const [fewer, more] = a <= b ? [a, b] : [b, a];
          expect(inactivityRetention(more)).toBeLessThanOrEqual(inactivityRetention(fewer));
        },
      ),
    );
  });
});

describe('decayedScore', () => {
  const now = Date.UTC(2026, 5, 1);
  const daysAgo = (days: number) => now - days * MS_PER_DAY;

  it('multiplies the base score by the retention for the days since last activity', () => {
    expect(decayedScore(800, daysAgo(3), now)).toBe(800);
    expect(decayedScore(800, daysAgo(14), now)).toBe(704);
    expect(decayedScore(1000, daysAgo(21), now)).toBe(815);
    expect(decayedScore(800, daysAgo(400), now)).toBe(200);
  });

  it('does not decay an agent whose last activity is in the future (clock skew)', () => {
    expect(decayedScore(640, now + MS_PER_DAY, now)).toBe(640);
  });

  it('stays within [0, 1000]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 2000, noNaN: true }),
        fc.integer({ min: 0, max: 2000 }),
        (base, days) => {
          const score = decayedScore(base, daysAgo(days), now);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1000);
        },
      ),
    );
  });
});
