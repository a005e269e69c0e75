// The breaker's sliding window of call outcomes, kept as fixed-width time buckets.
//
// Why buckets rather than a list of individual outcomes: the state is stored in a DynamoDB item and
// rewritten on every outcome, so it must stay small however busy the agent is. Buckets bound it to
// `windowBuckets` records of three numbers. The price is granularity: a bucket counts while its start
// lies within the last `windowMs`, so an outcome is forgotten between windowMs − bucketMs and windowMs
// after it happened — never later than windowMs.

import type { BreakerConfig } from './breaker-config.ts';

export interface OutcomeBucket {
  /** Start of the bucket: a multiple of windowMs / windowBuckets (epoch ms). */
  startMs: number;
  successes: number;
  failures: number;
}

export type CallOutcome = 'success' | 'failure';

type WindowConfig = Pick<BreakerConfig, 'windowMs' | 'windowBuckets'>;

/**
 * The window with one more outcome at `nowMs`, buckets that slid out dropped. Buckets stay ordered
 * oldest first; an outcome stamped before the newest bucket (a clock that went backwards) is credited to
 * the newest bucket so the order holds and nothing is counted twice.
 */
export function withOutcome(
  recent: readonly OutcomeBucket[],
  nowMs: number,
  config: WindowConfig,
  outcome: CallOutcome,
): OutcomeBucket[] {
  const bucketMs = config.windowMs / config.windowBuckets;
  const bucketStartMs = Math.floor(nowMs / bucketMs) * bucketMs;
  const newest = recent[recent.length - 1];
  const addsToNewest = newest !== undefined && newest.startMs >= bucketStartMs;
  const target = addsToNewest ? newest : { startMs: bucketStartMs, successes: 0, failures: 0 };
  const updated: OutcomeBucket =
    outcome === 'success'
      ? { startMs: target.startMs, successes: target.successes + 1, failures: target.failures }
      : { startMs: target.startMs, successes: target.successes, failures: target.failures + 1 };

  const kept = recent.slice(firstInWindow(recent, nowMs - config.windowMs), addsToNewest ? -1 : undefined);
  kept.push(updated);
  return kept;
}

export interface OutcomeCounts {
  successes: number;
  failures: number;
}

/** Outcomes whose bucket still lies within the window ending at `nowMs`. */
export function countOutcomes(
  recent: readonly OutcomeBucket[],
  nowMs: number,
  config: WindowConfig,
): OutcomeCounts {
  let successes = 0;
  let failures = 0;
  for (let i = firstInWindow(recent, nowMs - config.windowMs); i < recent.length; i++) {
    const bucket = recent[i]!;
    successes += bucket.successes;
    failures += bucket.failures;
  }
  return { successes, failures };
}

function firstInWindow(recent: readonly OutcomeBucket[], windowStartMs: number): number {
  let index = 0;
  while (index < recent.length && recent[index]!.startMs <= windowStartMs) index++;
  return index;
}
