import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { StoredSeries } from '../../../functions/app/analytics/analytics-items.ts';
import { prometheusExposition } from '../../../functions/app/analytics/prometheus-exposition.ts';
import { METRIC_DEFINITIONS, METRICS } from '../../../functions/core/analytics/metric-catalog.ts';

const histogramItem: StoredSeries = {
  metric: METRICS.executionDuration.name,
  series: 'agent="writer",intent="summarize",tenant="acme"',
  labels: { tenant: 'acme', agent: 'writer', intent: 'summarize' },
  count: 5,
  sum: 3.3,
  'le:0.05': 1,
  'le:1': 2,
  'le:+Inf': 2,
};
const counterItem: StoredSeries = {
  metric: METRICS.decisions.name,
  series: 'x',
  labels: { tenant: 'acme', agent: 'a"b\\c\nd', intent: 'summarize', decision: 'ALLOW' },
  value: 7,
};

describe('GET /metrics text', () => {
  it('lists every metric of the catalog with HELP and TYPE, even with no samples yet', async () => {
    const text = await prometheusExposition(new Map());
    const families = parsePrometheusTextFormat(text);
    expect(families.map((family) => family.name).sort()).toEqual(
      METRIC_DEFINITIONS.map((definition) => definition.name).sort(),
    );
    for (const definition of METRIC_DEFINITIONS) {
      expect(text).toContain(`# HELP ${definition.name} ${definition.help}`);
      expect(text).toContain(`# TYPE ${definition.name} ${definition.kind}`);
    }
  });

  it('renders stored per-bucket counts as cumulative buckets, +Inf equal to the count, with sum and count', async () => {
    const text = await prometheusExposition(new Map([[histogramItem.metric, [histogramItem]]]));
    const family = parsePrometheusTextFormat(text).find((f) => f.name === histogramItem.metric);
    expect(family?.type).toBe('HISTOGRAM');
    const [metric] = family!.metrics as { buckets: Record<string, string> }[];
    // The parser keeps no labels for histogram series; the text carries them on every line.
    expect(text).toContain(
      'trustgate_execution_duration_seconds_bucket{tenant="acme",agent="writer",intent="summarize",le="1"} 3',
    );
    expect(text).toContain(
      'trustgate_execution_duration_seconds_count{tenant="acme",agent="writer",intent="summarize"} 5',
    );
    expect(metric!.buckets).toMatchObject({
      '0.05': '1',
      '0.1': '1',
      '0.5': '1',
      '1': '3',
      '300': '3',
      '+Inf': '5',
    });
    expect(text).toContain(
      'trustgate_execution_duration_seconds_sum{tenant="acme",agent="writer",intent="summarize"} 3.3',
    );
  });

  it('escapes quotes, backslashes and newlines in label values so the text still parses', async () => {
    const text = await prometheusExposition(new Map([[counterItem.metric, [counterItem]]]));
    expect(text).toContain('agent="a\\"b\\\\c\\nd"');
    const family = parsePrometheusTextFormat(text).find((f) => f.name === counterItem.metric);
    expect(family?.metrics).toEqual([
      { labels: { tenant: 'acme', agent: 'a"b\\c\nd', intent: 'summarize', decision: 'ALLOW' }, value: '7' },
    ]);
  });

  it('fills a missing label with unknown and ignores attributes that are no label of the metric', async () => {
    const item: StoredSeries = {
      metric: METRICS.events.name,
      series: 's',
      labels: { tenant: 'acme', extra: 'x' },
      value: 2,
    };
    const family = parsePrometheusTextFormat(
      await prometheusExposition(new Map([[item.metric, [item]]])),
    ).find((f) => f.name === item.metric);
    expect(family?.metrics).toEqual([{ labels: { tenant: 'acme', type: 'unknown' }, value: '2' }]);
  });
});
