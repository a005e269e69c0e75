// Where an observation goes in a histogram. Buckets are stored per bucket (not cumulatively): each
// observation adds 1 to exactly one attribute, `le:<bound>` for the smallest bound ≥ the value or `le:+Inf`
// above the last, so an update is one ADD whatever the value; GET /metrics sums them into Prometheus'
// cumulative `_bucket{le=…}` lines.

export const INFINITE_BUCKET = '+Inf';

export type BucketAttribute = `le:${string}`;

/** The stored attribute of the bucket with upper bound `bound` (a number, or `+Inf`). */
export function bucketAttribute(bound: number | typeof INFINITE_BUCKET): BucketAttribute {
  return `le:${bound === INFINITE_BUCKET ? INFINITE_BUCKET : String(bound)}`;
}

/** The attribute of the bucket `value` falls in: bounds are inclusive upper limits, as `le` says. */
export function bucketAttributeFor(bounds: readonly number[], value: number): BucketAttribute {
  const bound = bounds.find((upper) => value <= upper);
  return bucketAttribute(bound ?? INFINITE_BUCKET);
}

/** Every bucket attribute of a histogram, finite bounds first, `le:+Inf` last. */
export function bucketAttributes(bounds: readonly number[]): BucketAttribute[] {
  return [...bounds.map((bound) => bucketAttribute(bound)), bucketAttribute(INFINITE_BUCKET)];
}
