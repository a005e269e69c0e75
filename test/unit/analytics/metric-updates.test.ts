import { describe, expect, it } from 'vitest';
import { bucketAttributeFor } from '../../../functions/core/analytics/histogram-buckets.ts';
import { EXECUTION_DURATION_BUCKETS } from '../../../functions/core/analytics/metric-catalog.ts';
import { boundLabelValue, seriesKey } from '../../../functions/core/analytics/metric-labels.ts';
import { metricUpdatesFor } from '../../../functions/core/analytics/metric-updates.ts';
import { newEvent } from '../../../functions/core/events/event-envelope.ts';

const at = '2026-12-05T10:00:00.000Z';
const base = { tenantId: 'acme', key: 'k1', occurredAt: at };

/** The updates as `<metric>{<series>} <amount or bucket>`, easy to read and compare. */
function summary(event: Parameters<typeof metricUpdatesFor>[0]): string[] {
  return metricUpdatesFor(event).map((update) =>
    update.kind === 'counter'
      ? `${update.metric}{${update.series}} +${update.amount}`
      : `${update.metric}{${update.series}} ${update.value} → ${update.bucket}`,
  );
}

describe('metric updates of an event', () => {
  it('counts every event once by tenant and type, and nothing else for a type with no metric of its own', () => {
    const event = newEvent('proof.batched', {
      ...base,
      data: { workflowId: 'wf-1', batchId: 'b-1', merkleRoot: 'a'.repeat(64), leaves: 3 },
    });
    expect(summary(event)).toEqual(['trustgate_events_total{tenant="acme",type="proof.batched"} +1']);
  });

  it('counts a decision by agent, intent action and decision, never by intent id', () => {
    const event = newEvent('intent.decided', {
      ...base,
      data: {
        intentId: 'int-123',
        agentId: 'research-agent',
        action: 'search_web',
        decision: 'DENY',
        reasons: ['tier_below_required'],
        agentTier: 'T2',
        score: 420,
      },
    });
    expect(summary(event)).toEqual([
      'trustgate_events_total{tenant="acme",type="intent.decided"} +1',
      'trustgate_decisions_total{agent="research-agent",decision="DENY",intent="search_web",tenant="acme"} +1',
    ]);
  });

  it('counts a succeeded execution, observes its duration in seconds and adds its tokens by direction', () => {
    const event = newEvent('execution.succeeded', {
      ...base,
      data: { agentId: 'writer', action: 'summarize', durationMs: 250, tokens: { input: 1200, output: 300 } },
    });
    expect(summary(event)).toEqual([
      'trustgate_events_total{tenant="acme",type="execution.succeeded"} +1',
      'trustgate_executions_total{agent="writer",intent="summarize",outcome="succeeded",tenant="acme"} +1',
      // 0.25 s is the bucket's inclusive upper bound, as Prometheus' `le` means.
      'trustgate_execution_duration_seconds{agent="writer",intent="summarize",tenant="acme"} 0.25 → le:0.25',
      'trustgate_tokens_total{agent="writer",direction="input",tenant="acme"} +1200',
      'trustgate_tokens_total{agent="writer",direction="output",tenant="acme"} +300',
    ]);
  });

  it('counts a failed execution without tokens, and an execution with no duration without observing one', () => {
    const event = newEvent('execution.failed', {
      ...base,
      data: { agentId: 'writer', errorCode: 'provider_failed' },
    });
    expect(summary(event)).toEqual([
      'trustgate_events_total{tenant="acme",type="execution.failed"} +1',
      'trustgate_executions_total{agent="writer",intent="unknown",outcome="failed",tenant="acme"} +1',
    ]);
  });

  it('counts finished workflows by type and status with their duration, escalations by outcome, breaker transitions by state', () => {
    const workflow = newEvent('workflow.failed', {
      ...base,
      data: { workflowId: 'wf-1', type: 'saga', status: 'COMPENSATED', durationMs: 90_000 },
    });
    expect(summary(workflow).slice(1)).toEqual([
      'trustgate_workflows_total{status="COMPENSATED",tenant="acme",type="saga"} +1',
      'trustgate_workflow_duration_seconds{tenant="acme",type="saga"} 90 → le:300',
    ]);
    const escalation = newEvent('escalation.timed_out', {
      ...base,
      data: {
        escalationId: 'esc-1',
        workflowId: 'wf-1',
        step: 'draft',
        stepIndex: 0,
        agentId: 'writer',
        level: 1,
        deadline: at,
      },
    });
    expect(summary(escalation).slice(1)).toEqual([
      'trustgate_escalations_total{outcome="timed_out",tenant="acme"} +1',
    ]);
    const opened = newEvent('circuit.opened', {
      ...base,
      data: { agentId: 'writer', reason: 'failure_threshold', failureCount: 5 },
    });
    expect(summary(opened).slice(1)).toEqual([
      'trustgate_circuit_transitions_total{agent="writer",state="OPEN",tenant="acme"} +1',
    ]);
  });
});

describe('histogram buckets', () => {
  it('puts a value in the smallest bound at or above it, and above the last bound in +Inf', () => {
    expect(bucketAttributeFor(EXECUTION_DURATION_BUCKETS, 0)).toBe('le:0.05');
    expect(bucketAttributeFor(EXECUTION_DURATION_BUCKETS, 0.05)).toBe('le:0.05');
    expect(bucketAttributeFor(EXECUTION_DURATION_BUCKETS, 0.050001)).toBe('le:0.1');
    expect(bucketAttributeFor(EXECUTION_DURATION_BUCKETS, 300)).toBe('le:300');
    expect(bucketAttributeFor(EXECUTION_DURATION_BUCKETS, 300.5)).toBe('le:+Inf');
  });
});

describe('metric labels', () => {
  it('writes the same series key whatever order the labels were built in, escaped as Prometheus does', () => {
    expect(seriesKey({ tenant: 'acme', agent: 'a"1\\x\ny' })).toBe('agent="a\\"1\\\\x\\ny",tenant="acme"');
    expect(seriesKey({ b: '2', a: '1' })).toBe(seriesKey({ a: '1', b: '2' }));
  });

  it('bounds a value to 128 bytes of UTF-8 at a character boundary, replaces control characters, names absence', () => {
    expect(boundLabelValue(undefined)).toBe('unknown');
    expect(boundLabelValue('')).toBe('unknown');
    expect(boundLabelValue('a\u0000b\tc')).toBe('a?b?c');
    const long = 'é'.repeat(100); // 2 bytes each
    const bounded = boundLabelValue(long);
    expect(Buffer.byteLength(bounded, 'utf8')).toBe(128);
    expect(bounded).toBe('é'.repeat(64));
  });
});
