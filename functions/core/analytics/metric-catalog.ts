// The metrics the analytics consumer keeps and GET /metrics exposes (docs/backend.md "Analytics"): name,
// help text, kind and label names, and for histograms their fixed bucket boundaries (seconds). The
// boundaries are part of the stored format — each bucket is an attribute of its own (histogram-buckets.ts) —
// so changing one means a new metric name, never an edit in place.

export type MetricKind = 'counter' | 'histogram';

export interface MetricDefinition {
  name: string;
  help: string;
  kind: MetricKind;
  labelNames: readonly string[];
  /** Upper bounds (inclusive, ascending) of a histogram's finite buckets; `+Inf` is implied. */
  buckets?: readonly number[];
}

/** Gated executions: from a fast tool call (tens of ms) to a long model generation (minutes). */
export const EXECUTION_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] as const;

/** Whole workflows: seconds for a short pipeline, hours to a day when a step waits for a reviewer. */
export const WORKFLOW_DURATION_BUCKETS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 14_400, 86_400] as const;

export const METRICS = {
  events: {
    name: 'trustgate_events_total',
    help: 'Events on the bus, by tenant and event type.',
    kind: 'counter',
    labelNames: ['tenant', 'type'],
  },
  decisions: {
    name: 'trustgate_decisions_total',
    help: 'Gate decisions (intent.decided), by agent, intent action and decision.',
    kind: 'counter',
    labelNames: ['tenant', 'agent', 'intent', 'decision'],
  },
  executions: {
    name: 'trustgate_executions_total',
    help: 'Gated executions, by agent, intent action and outcome (succeeded, failed).',
    kind: 'counter',
    labelNames: ['tenant', 'agent', 'intent', 'outcome'],
  },
  workflows: {
    name: 'trustgate_workflows_total',
    help: 'Finished workflows, by type and final status.',
    kind: 'counter',
    labelNames: ['tenant', 'type', 'status'],
  },
  escalations: {
    name: 'trustgate_escalations_total',
    help: 'Escalations by how they ended (approved, rejected, timed_out).',
    kind: 'counter',
    labelNames: ['tenant', 'outcome'],
  },
  circuitTransitions: {
    name: 'trustgate_circuit_transitions_total',
    help: 'Circuit breaker transitions, by agent and the state entered (OPEN, CLOSED).',
    kind: 'counter',
    labelNames: ['tenant', 'agent', 'state'],
  },
  tokens: {
    name: 'trustgate_tokens_total',
    help: 'Model tokens of successful executions, by agent and direction (input, output).',
    kind: 'counter',
    labelNames: ['tenant', 'agent', 'direction'],
  },
  executionDuration: {
    name: 'trustgate_execution_duration_seconds',
    help: 'Duration of gated executions that reported one.',
    kind: 'histogram',
    labelNames: ['tenant', 'agent', 'intent'],
    buckets: EXECUTION_DURATION_BUCKETS,
  },
  workflowDuration: {
    name: 'trustgate_workflow_duration_seconds',
    help: 'Duration of finished workflows that reported one.',
    kind: 'histogram',
    labelNames: ['tenant', 'type'],
    buckets: WORKFLOW_DURATION_BUCKETS,
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricId = keyof typeof METRICS;

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = Object.values(METRICS);

export function metricByName(name: string): MetricDefinition | undefined {
  return METRIC_DEFINITIONS.find((definition) => definition.name === name);
}
