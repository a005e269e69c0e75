// A prom-client Histogram whose series are set from stored totals instead of observed one value at a time:
// the analytics table already holds each series' per-bucket counts, sum and count, and prom-client's public
// API can only `observe`. Everything else — name and label validation, HELP/TYPE lines, label escaping,
// the text format — stays prom-client's; only the values it exports come from `setSeries`.
import { Histogram, type LabelValues } from 'prom-client';

export interface HistogramTotals {
  /** Per-bucket (not cumulative) counts, aligned with the histogram's finite bounds. */
  buckets: readonly number[];
  sum: number;
  /** Every observation, the `+Inf` bucket included. */
  count: number;
}

type MetricValueWithName<T extends string> = Awaited<ReturnType<Histogram<T>['get']>>['values'][number];

interface PromStringSource<T extends string> {
  getForPromString(this: Histogram<T>): ReturnType<Histogram<T>['get']>;
}

function withBound<T extends string>(labels: LabelValues<T>, le: number | string): LabelValues<T> {
  return { ...labels, le } as LabelValues<T>;
}

export class StoredHistogram<T extends string> extends Histogram<T> {
  private readonly stored: { labels: LabelValues<T>; totals: HistogramTotals }[] = [];

  constructor(
    private readonly definition: {
      name: string;
      help: string;
      labelNames: readonly T[];
      buckets: readonly number[];
    },
  ) {
    super({
      name: definition.name,
      help: definition.help,
      labelNames: definition.labelNames,
      buckets: [...definition.buckets],
      registers: [],
    });
  }

  setSeries(labels: LabelValues<T>, totals: HistogramTotals): void {
    this.stored.push({ labels, totals });
  }

  // prom-client's registry renders a histogram from getForPromString (undeclared in its types), and its get()
  // reads getForPromString too, so shadowing this one method makes both show the stored totals. Overriding
  // get() instead recurses: get → getForPromString → get. test/unit/analytics pins the rendered text.
  async getForPromString(): ReturnType<Histogram<T>['get']> {
    // name, help, type, aggregator as prom-client reports them; it has no observed values of its own.
    const base = await (Histogram.prototype as unknown as PromStringSource<T>).getForPromString.call(this);
    const values: MetricValueWithName<T>[] = [];
    const { name } = this.definition;
    for (const { labels, totals } of this.stored) {
      let cumulative = 0;
      this.definition.buckets.forEach((bound, index) => {
        cumulative += totals.buckets[index] ?? 0;
        values.push({ value: cumulative, labels: withBound(labels, bound), metricName: `${name}_bucket` });
      });
      values.push({ value: totals.count, labels: withBound(labels, '+Inf'), metricName: `${name}_bucket` });
      values.push({ value: totals.sum, labels, metricName: `${name}_sum` });
      values.push({ value: totals.count, labels, metricName: `${name}_count` });
    }
    return { ...base, values };
  }
}
