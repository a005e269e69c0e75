// AnalyticsTable items (PK `metric`, SK `series`; docs/backend.md "Analytics"):
//
//   counter     { metric, series, labels: {name: value}, value: N }
//   histogram   { metric, series, labels, count: N, sum: N, "le:0.05": N, …, "le:+Inf": N }  (per bucket,
//               not cumulative: histogram-buckets.ts)
//   marker      { metric: "#applied", series: <eventId>, eventType, appliedAt (ISO), expiresAt }  one per applied event, written
//               in the same transaction as its updates, so a redelivered event never counts twice; TTL 15 days
//               (the idempotency window), `expiresAt` in epoch seconds.
//
// `series` is the canonical label string (metric-labels.ts); `labels` carries the same labels as a map, which
// is what GET /metrics reads back and filters on (`labels.tenant`).

export const APPLIED_MARKER_METRIC = '#applied';
export const APPLIED_MARKER_TTL_SECONDS = 15 * 24 * 3600;

export interface StoredSeries {
  metric: string;
  series: string;
  labels: Record<string, string>;
  /** Counters. */
  value?: number;
  /** Histograms: `count`, `sum` and the per-bucket `le:<bound>` counts. */
  count?: number;
  sum?: number;
  [bucket: `le:${string}`]: number | undefined;
}
