// GET /metrics' body: the stored series (read-metric-series.ts) as a prom-client Registry, rendered in the
// Prometheus text exposition format 0.0.4 (HELP and TYPE per metric; histograms as cumulative
// `_bucket{le=…}`, `_sum` and `_count`). Every metric of the catalog is listed, with no samples when none
// was recorded yet, so a scraper sees the full schema from the first scrape.
import { Counter, Registry } from 'prom-client';
import { bucketAttribute } from '../../core/analytics/histogram-buckets.ts';
import { METRIC_DEFINITIONS, type MetricDefinition } from '../../core/analytics/metric-catalog.ts';
import type { StoredSeries } from './analytics-items.ts';
import { StoredHistogram } from './stored-histogram.ts';

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

export async function prometheusExposition(
  stored: ReadonlyMap<string, readonly StoredSeries[]>,
): Promise<string> {
  const registry = new Registry();
  for (const definition of METRIC_DEFINITIONS) {
    const series = stored.get(definition.name) ?? [];
    if (definition.kind === 'counter') registry.registerMetric(counterOf(definition, series));
    else registry.registerMetric(histogramOf(definition, series));
  }
  return registry.metrics();
}

function counterOf(definition: MetricDefinition, series: readonly StoredSeries[]): Counter<string> {
  const counter = new Counter({
    name: definition.name,
    help: definition.help,
    labelNames: [...definition.labelNames],
    registers: [],
  });
  for (const item of series) {
    // A counter created by an ADD of 0 (an execution that used no tokens) is still a series of its own.
    counter.inc(labelsOf(definition, item), item.value ?? 0);
  }
  return counter;
}

function histogramOf(definition: MetricDefinition, series: readonly StoredSeries[]): StoredHistogram<string> {
  const bounds = definition.buckets ?? [];
  const histogram = new StoredHistogram({
    ...definition,
    labelNames: [...definition.labelNames],
    buckets: bounds,
  });
  for (const item of series) {
    histogram.setSeries(labelsOf(definition, item), {
      buckets: bounds.map((bound) => item[bucketAttribute(bound)] ?? 0),
      count: item.count ?? 0,
      sum: item.sum ?? 0,
    });
  }
  return histogram;
}

/** The item's labels restricted to the metric's label names: an unexpected attribute never breaks a scrape. */
function labelsOf(definition: MetricDefinition, item: StoredSeries): Record<string, string> {
  return Object.fromEntries(definition.labelNames.map((name) => [name, item.labels?.[name] ?? 'unknown']));
}
