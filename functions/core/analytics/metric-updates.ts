// What one event adds to the metrics (metric-catalog.ts): every event counts once in
// trustgate_events_total{tenant,type}; some also count in their own counter and observe a duration or
// token counts. Pure: the analytics consumer writes the result in one transaction (app/analytics).
//
//   intent.decided                  decisions_total{agent,intent,decision}
//   execution.succeeded / .failed   executions_total{agent,intent,outcome} + execution_duration_seconds
//                                   (when durationMs is set) + tokens_total{direction} (succeeded, with tokens)
//   workflow.completed / .failed    workflows_total{type,status} + workflow_duration_seconds (with durationMs)
//   escalation.approved / .rejected / .timed_out   escalations_total{outcome}
//   circuit.opened / .closed        circuit_transitions_total{agent,state = OPEN | CLOSED}
//
// `intent` is the intent's action (`summarize`), never its id: ids would make a series per intent.
import type { TrustgateEvent } from '../events/event-envelope.ts';
import { isEventOf } from '../events/event-envelope.ts';
import { bucketAttributeFor } from './histogram-buckets.ts';
import { METRICS, type MetricDefinition } from './metric-catalog.ts';
import { boundLabels, type MetricLabels, seriesKey } from './metric-labels.ts';

export interface CounterUpdate {
  kind: 'counter';
  metric: string;
  series: string;
  labels: MetricLabels;
  amount: number;
}

export interface HistogramUpdate {
  kind: 'histogram';
  metric: string;
  series: string;
  labels: MetricLabels;
  /** The observation, in the metric's unit (seconds). */
  value: number;
  /** The stored bucket attribute it adds 1 to. */
  bucket: string;
}

export type MetricUpdate = CounterUpdate | HistogramUpdate;

export function metricUpdatesFor(event: TrustgateEvent): MetricUpdate[] {
  const tenant = event.tenantId;
  const updates: MetricUpdate[] = [counter(METRICS.events, { tenant, type: event.type }, 1)];

  if (isEventOf(event, 'intent.decided')) {
    const { agentId: agent, action: intent, decision } = event.data;
    updates.push(counter(METRICS.decisions, { tenant, agent, intent, decision }, 1));
  } else if (isEventOf(event, 'execution.succeeded') || isEventOf(event, 'execution.failed')) {
    const { agentId: agent, action: intent, durationMs } = event.data;
    const outcome = event.type === 'execution.succeeded' ? 'succeeded' : 'failed';
    updates.push(counter(METRICS.executions, { tenant, agent, intent, outcome }, 1));
    if (durationMs !== undefined) {
      updates.push(histogram(METRICS.executionDuration, { tenant, agent, intent }, durationMs / 1000));
    }
    if (isEventOf(event, 'execution.succeeded') && event.data.tokens) {
      const { input, output } = event.data.tokens;
      updates.push(counter(METRICS.tokens, { tenant, agent, direction: 'input' }, input));
      updates.push(counter(METRICS.tokens, { tenant, agent, direction: 'output' }, output));
    }
  } else if (isEventOf(event, 'workflow.completed') || isEventOf(event, 'workflow.failed')) {
    const { type, status, durationMs } = event.data;
    updates.push(counter(METRICS.workflows, { tenant, type, status }, 1));
    if (durationMs !== undefined) {
      updates.push(histogram(METRICS.workflowDuration, { tenant, type }, durationMs / 1000));
    }
  } else if (
    event.type === 'escalation.approved' ||
    event.type === 'escalation.rejected' ||
    event.type === 'escalation.timed_out'
  ) {
    const outcome = event.type.slice('escalation.'.length);
    updates.push(counter(METRICS.escalations, { tenant, outcome }, 1));
  } else if (isEventOf(event, 'circuit.opened') || isEventOf(event, 'circuit.closed')) {
    const state = event.type === 'circuit.opened' ? 'OPEN' : 'CLOSED';
    updates.push(counter(METRICS.circuitTransitions, { tenant, agent: event.data.agentId, state }, 1));
  }
  return updates;
}

function counter(
  definition: MetricDefinition,
  labels: Record<string, string | undefined>,
  amount: number,
): CounterUpdate {
  const bounded = boundLabels(labels);
  return { kind: 'counter', metric: definition.name, series: seriesKey(bounded), labels: bounded, amount };
}

function histogram(
  definition: MetricDefinition,
  labels: Record<string, string | undefined>,
  value: number,
): HistogramUpdate {
  const bounded = boundLabels(labels);
  return {
    kind: 'histogram',
    metric: definition.name,
    series: seriesKey(bounded),
    labels: bounded,
    value,
    bucket: bucketAttributeFor(definition.buckets ?? [], value),
  };
}
