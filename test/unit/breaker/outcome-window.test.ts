import { describe, expect, it } from 'vitest';
import {
  type CallOutcome,
  countOutcomes,
  type OutcomeBucket,
  withOutcome,
} from '../../../functions/core/breaker/outcome-window.ts';

// 10 s window in 5 buckets of 2 s.
const config = { windowMs: 10_000, windowBuckets: 5 };

type Recorded = readonly [timeMs: number, outcome: CallOutcome];

function record(outcomes: readonly Recorded[], start: readonly OutcomeBucket[] = []): OutcomeBucket[] {
  return outcomes.reduce<OutcomeBucket[]>(
    (recent, [timeMs, outcome]) => withOutcome(recent, timeMs, config, outcome),
    [...start],
  );
}

describe('outcome window', () => {
  it('groups outcomes into aligned buckets, oldest first', () => {
    const recent = record([
      [50, 'success'],
      [100, 'failure'],
      [1_999, 'failure'],
      [2_500, 'success'],
    ]);
    expect(recent).toEqual([
      { startMs: 0, successes: 1, failures: 2 },
      { startMs: 2_000, successes: 1, failures: 0 },
    ]);
    expect(countOutcomes(recent, 2_500, config)).toEqual({ successes: 2, failures: 2 });
  });

  it('counts a bucket while its start lies within the last windowMs', () => {
    const recent = record([[1_999, 'failure']]);
    expect(countOutcomes(recent, 9_999, config).failures).toBe(1);
    expect(countOutcomes(recent, 10_000, config).failures).toBe(0);
  });

  it('drops buckets that slid out when recording and never holds more than windowBuckets', () => {
    const recent = record(Array.from({ length: 40 }, (_, i): Recorded => [i * 1_000, 'success']));
    expect(recent).toHaveLength(5);
    expect(recent.map((bucket) => bucket.startMs)).toEqual([30_000, 32_000, 34_000, 36_000, 38_000]);
  });

  it('credits an outcome stamped before the newest bucket to that bucket (clock went backwards)', () => {
    const recent = record([
      [6_000, 'success'],
      [500, 'failure'],
    ]);
    expect(recent).toEqual([{ startMs: 6_000, successes: 1, failures: 1 }]);
  });

  it('leaves the input window untouched', () => {
    const original = record([[0, 'success']]);
    const snapshot = structuredClone(original);
    withOutcome(original, 100, config, 'failure');
    withOutcome(original, 20_000, config, 'failure');
    expect(original).toEqual(snapshot);
  });
});
