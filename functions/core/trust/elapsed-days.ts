// Time in the trust model. Domain functions never read the clock: callers pass instants in as epoch
// milliseconds, which store as plain numbers and compare without parsing.

export type EpochMillis = number;

export const MS_PER_DAY = 86_400_000;

/**
 * Fractional days from `then` to `now`, never negative: an instant slightly in the future (clock skew
 * between producers) counts as "just now" rather than earning extra weight or negative inactivity.
 */
export function daysSince(then: EpochMillis, now: EpochMillis): number {
  if (!Number.isFinite(then) || !Number.isFinite(now)) {
    throw new RangeError(`instants must be finite epoch milliseconds, got ${then} and ${now}`);
  }
  return Math.max(0, (now - then) / MS_PER_DAY);
}
