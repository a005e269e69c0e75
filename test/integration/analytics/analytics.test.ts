// The analytics consumer's effect (functions/app/analytics/apply-event-metrics.ts) and GET /metrics against a
// real DynamoDB Local: exactly-once counting, hot series under concurrency, the Prometheus text read back.

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLIED_MARKER_METRIC } from '../../../functions/app/analytics/analytics-items.ts';
import { applyEventMetrics } from '../../../functions/app/analytics/apply-event-metrics.ts';
import { metricsRoutes } from '../../../functions/app/analytics/metrics-route.ts';
import type { Caller } from '../../../functions/core/auth/caller.ts';
import { newEvent } from '../../../functions/core/events/event-envelope.ts';
import { routeRequest } from '../../../functions/http/http-router.ts';
import { httpApiEvent, responseError, testCaller } from '../../support/http-api-event.ts';
import { admitEveryRequest } from '../../support/request-limiters.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';

const now = Date.UTC(2026, 11, 5, 12);
let environment: ApiTestEnvironment;

beforeAll(async () => {
  environment = await startApiTestEnvironment('analytics');
});

afterAll(async () => {
  await environment?.stop();
});

const deps = () => ({
  client: environment.documents,
  analyticsTable: environment.tables.analytics,
  clock: () => now,
});

function decided(tenantId: string, key: string, decision: 'ALLOW' | 'DENY' = 'ALLOW') {
  return newEvent('intent.decided', {
    tenantId,
    key,
    occurredAt: now,
    data: {
      intentId: `int-${key}`,
      agentId: 'research-agent',
      action: 'search_web',
      decision,
      reasons: [],
      agentTier: 'T3',
      score: 580,
    },
  });
}

/** GET /metrics as a platform admin's key (every tenant, or the one named), or as `caller`. */
async function scrape(query?: Record<string, string>, caller: Caller = testCaller('platform', ['admin'])) {
  const route = routeRequest(
    metricsRoutes({ client: environment.documents, analyticsTable: environment.tables.analytics }),
    admitEveryRequest,
  );
  return route(httpApiEvent('GET /metrics', { caller, ...(query ? { queryStringParameters: query } : {}) }));
}

function sampleOf(text: string, metric: string, labels: Record<string, string>): number | undefined {
  const family = parsePrometheusTextFormat(text).find((f) => f.name === metric);
  const sample = family?.metrics.find((m) =>
    Object.entries(labels).every(([name, value]) => m.labels?.[name] === value),
  );
  return sample?.value === undefined ? undefined : Number(sample.value);
}

describe('analytics', () => {
  it('counts an event once however often it is delivered, and marks when it was applied', async () => {
    const event = decided('an-once', 'e1', 'DENY');
    expect(await applyEventMetrics(deps(), event)).toBe('applied');
    expect(await applyEventMetrics(deps(), event)).toBe('already_applied');
    const text = (await scrape({ tenant: 'an-once' })).body as string;
    expect(
      sampleOf(text, 'trustgate_decisions_total', {
        tenant: 'an-once',
        decision: 'DENY',
        agent: 'research-agent',
      }),
    ).toBe(1);
    expect(sampleOf(text, 'trustgate_events_total', { tenant: 'an-once', type: 'intent.decided' })).toBe(1);
    const { Item } = await environment.documents.send(
      new GetCommand({
        TableName: environment.tables.analytics,
        Key: { metric: APPLIED_MARKER_METRIC, series: event.eventId },
      }),
    );
    expect(Item).toMatchObject({ eventType: 'intent.decided', appliedAt: new Date(now).toISOString() });
    expect(Item?.expiresAt).toBe(Math.floor(now / 1000) + 15 * 24 * 3600);
  });

  it('counts 30 concurrent events on one hot series, each once', async () => {
    const events = Array.from({ length: 30 }, (_, index) => decided('an-hot', `hot-${index}`));
    const outcomes = await Promise.all(events.map((event) => applyEventMetrics(deps(), event)));
    expect(outcomes.every((outcome) => outcome === 'applied')).toBe(true);
    // Some delivered twice, concurrently with the rest: still counted once each.
    await Promise.all(events.slice(0, 10).map((event) => applyEventMetrics(deps(), event)));
    const text = (await scrape({ tenant: 'an-hot' })).body as string;
    expect(sampleOf(text, 'trustgate_decisions_total', { tenant: 'an-hot', decision: 'ALLOW' })).toBe(30);
  });

  it('serves the stored durations as a histogram, and filters by tenant', async () => {
    for (const [index, durationMs] of [40, 700, 900, 400_000].entries()) {
      await applyEventMetrics(
        deps(),
        newEvent('execution.succeeded', {
          tenantId: 'an-hist',
          key: `x-${index}`,
          occurredAt: now,
          data: { agentId: 'writer', action: 'summarize', durationMs, tokens: { input: 10, output: 5 } },
        }),
      );
    }
    const response = await scrape({ tenant: 'an-hist' });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body as string;
    const prefix = 'trustgate_execution_duration_seconds';
    const labels = 'tenant="an-hist",agent="writer",intent="summarize"';
    expect(text).toContain(`${prefix}_bucket{${labels},le="0.05"} 1`);
    expect(text).toContain(`${prefix}_bucket{${labels},le="1"} 3`);
    expect(text).toContain(`${prefix}_bucket{${labels},le="300"} 3`);
    expect(text).toContain(`${prefix}_bucket{${labels},le="+Inf"} 4`);
    expect(text).toContain(`${prefix}_count{${labels}} 4`);
    expect(sampleOf(text, 'trustgate_tokens_total', { tenant: 'an-hist', direction: 'input' })).toBe(40);
    // Other tenants' series are not in this tenant's scrape.
    expect(text).not.toContain('tenant="an-hot"');
    expect((await scrape()).body as string).toContain('tenant="an-hot"');
  });

  it("shows a tenant's key its own series only, and refuses it another tenant's", async () => {
    const own = (await scrape(undefined, testCaller('an-hist', ['operator']))).body as string;
    expect(own).toContain('tenant="an-hist"');
    expect(own).not.toContain('tenant="an-hot"');
    const foreign = await scrape({ tenant: 'an-hot' }, testCaller('an-hist', ['admin']));
    expect(foreign.statusCode).toBe(403);
    expect(responseError(foreign).code).toBe('forbidden');
  });

  it('answers a bad tenant filter with 400 naming it, as JSON', async () => {
    const response = await scrape({ tenant: 'no spaces!' });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details).toEqual([
      expect.objectContaining({ field: 'queryStringParameters.tenant' }),
    ]);
  });
});
