import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  behavioralScore,
  type ExecutionOutcome,
  outcomeValue,
  outcomeWeight,
} from '../../../functions/core/trust/behavioral.ts';
import { MS_PER_DAY } from '../../../functions/core/trust/elapsed-days.ts';
import type { Tier } from '../../../functions/core/trust/tiers.ts';

const now = Date.UTC(2026, 0, 31);

function success(ageDays = 0, extra: Partial<ExecutionOutcome> = {}): ExecutionOutcome {
  return { at: now - ageDays * MS_PER_DAY, outcome: 'success', agentTierAtTime: 3, ...extra };
}

function failure(agentTierAtTime: Tier, ageDays = 0): ExecutionOutcome {
  return { at: now - ageDays * MS_PER_DAY, outcome: 'failure', agentTierAtTime };
}

function repeat(count: number, make: () => ExecutionOutcome): ExecutionOutcome[] {
  return Array.from({ length: count }, make);
}

describe('outcomeValue', () => {
  it('values a plain success at +1.0', () => {
    expect(outcomeValue(success())).toBe(1);
  });

  it('adds 0.1 × quality and the efficiency bonus to a success', () => {
    expect(outcomeValue(success(0, { quality: 1 }))).toBeCloseTo(1.1, 12);
    expect(outcomeValue(success(0, { quality: 0.5 }))).toBeCloseTo(1.05, 12);
    expect(outcomeValue(success(0, { efficiencyBonus: 0.1 }))).toBeCloseTo(1.1, 12);
    expect(outcomeValue(success(0, { quality: 1, efficiencyBonus: 0.1 }))).toBeCloseTo(1.2, 12);
  });

  it('clips quality to [0, 1] and the efficiency bonus to [0, 0.1]', () => {
    expect(outcomeValue(success(0, { quality: 7, efficiencyBonus: 0.5 }))).toBeCloseTo(1.2, 12);
    expect(outcomeValue(success(0, { quality: -1, efficiencyBonus: -0.1 }))).toBe(1);
  });

  it.each([
    [0, -0.7],
    [1, -0.76],
    [2, -0.82],
    [3, -0.88],
    [4, -0.94],
    [5, -1],
  ] as const)('penalises a failure at tier T%d with %d', (tier, value) => {
    expect(outcomeValue(failure(tier))).toBeCloseTo(value, 12);
  });

  it('ignores quality and efficiency on failures', () => {
    expect(outcomeValue({ ...failure(2), quality: 1, efficiencyBonus: 0.1 })).toBe(outcomeValue(failure(2)));
  });
});

describe('outcomeWeight', () => {
  it('weighs an outcome 0.95^ageDays, fractional days included', () => {
    expect(outcomeWeight(success(0), now)).toBe(1);
    expect(outcomeWeight(success(1), now)).toBeCloseTo(0.95, 12);
    expect(outcomeWeight(success(10), now)).toBeCloseTo(0.95 ** 10, 12);
    expect(outcomeWeight(success(0.5), now)).toBeCloseTo(Math.sqrt(0.95), 12);
  });

  it('gives a future-dated outcome (clock skew) the weight of a current one, not more', () => {
    expect(outcomeWeight(success(-2), now)).toBe(1);
  });
});

describe('behavioralScore', () => {
  it('maps the weighted mean m to (m + 1) / 2 once there are 10 outcomes', () => {
    const recentSuccesses = repeat(5, () => success(0));
    const oldFailures = repeat(5, () => failure(0, 10));
    const w = 0.95 ** 10;
    const mean = (5 * 1 + 5 * w * -0.7) / (5 + 5 * w);
    expect(behavioralScore([...recentSuccesses, ...oldFailures], now)).toBeCloseTo((mean + 1) / 2, 12);
  });

  it('counts old failures less than recent ones', () => {
    const successes = repeat(9, () => success(0));
    expect(behavioralScore([...successes, failure(3, 30)], now)).toBeGreaterThan(
      behavioralScore([...successes, failure(3, 0)], now),
    );
  });

  it('makes a T5 failure cost more than a T1 failure', () => {
    const successes = repeat(10, () => success());
    expect(behavioralScore([...successes, failure(5)], now)).toBeLessThan(
      behavioralScore([...successes, failure(1)], now),
    );
  });

  it('lets quality offset failures but never lifts a spotless record above 1', () => {
    const plain = [...repeat(9, () => success()), failure(3)];
    const highQuality = [...repeat(9, () => success(0, { quality: 1, efficiencyBonus: 0.1 })), failure(3)];
    expect(behavioralScore(highQuality, now)).toBeGreaterThan(behavioralScore(plain, now));
    expect(
      behavioralScore(
        repeat(20, () => success(0, { quality: 1, efficiencyBonus: 0.1 })),
        now,
      ),
    ).toBe(1);
  });

  it('is the neutral prior 0.5 without outcomes', () => {
    expect(behavioralScore([], now)).toBe(0.5);
  });

  it('blends toward 0.5 with weight n/10 under 10 outcomes', () => {
    expect(behavioralScore([success()], now)).toBeCloseTo(0.1 * 1 + 0.9 * 0.5, 12);
    expect(
      behavioralScore(
        repeat(5, () => success()),
        now,
      ),
    ).toBeCloseTo(0.5 * 1 + 0.5 * 0.5, 12);
    expect(behavioralScore([failure(0)], now)).toBeCloseTo(0.1 * 0.15 + 0.9 * 0.5, 12);
    expect(
      behavioralScore(
        repeat(9, () => failure(5)),
        now,
      ),
    ).toBeCloseTo(0.9 * 0 + 0.1 * 0.5, 12);
  });

  it('drops the prior from 10 outcomes on', () => {
    expect(
      behavioralScore(
        repeat(10, () => success()),
        now,
      ),
    ).toBe(1);
    expect(
      behavioralScore(
        repeat(10, () => failure(5)),
        now,
      ),
    ).toBe(0);
  });

  const outcomeArbitrary = fc.record({
    at: fc.integer({ min: now - 400 * MS_PER_DAY, max: now }),
    outcome: fc.constantFrom('success' as const, 'failure' as const),
    agentTierAtTime: fc.constantFrom<Tier>(0, 1, 2, 3, 4, 5),
    quality: fc.option(fc.double({ min: -1, max: 2, noNaN: true }), { nil: undefined }),
    efficiencyBonus: fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: undefined }),
  });

  it('stays within [0, 1] for any outcomes', () => {
    fc.assert(
      fc.property(fc.array(outcomeArbitrary, { maxLength: 40 }), (outcomes) => {
        const score = behavioralScore(outcomes, now);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('does not drift as time passes without new outcomes', () => {
    fc.assert(
      fc.property(
        fc.array(outcomeArbitrary, { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 60, noNaN: true }),
        (outcomes, laterDays) => {
          expect(behavioralScore(outcomes, now + laterDays * MS_PER_DAY)).toBeCloseTo(
            behavioralScore(outcomes, now),
            9,
          );
        },
      ),
    );
  });
});
