// The events of SPEC §5: every type, the EventBridge `source` its producer puts it with, and the zod schema
// of its `data` (schema version 1). docs/backend.md "Events" lists the same table for subscribers.
//
// `detail-type` is the event type itself (`intent.decided`), so a rule or a webhook filter can match on
// either. Fields are additive: a consumer ignores what it does not know, and a new field never changes
// the meaning of an old one; a change that would is a new schema version.
import { z } from 'zod';

export const EVENT_SOURCES = {
  intents: 'trustgate.intents',
  trust: 'trustgate.trust',
  workflows: 'trustgate.workflows',
  escalations: 'trustgate.escalations',
  breaker: 'trustgate.breaker',
  alerts: 'trustgate.alerts',
  operations: 'trustgate.operations',
  /** Events a client sends through POST /v1/events. */
  ingest: 'trustgate.ingest',
} as const;

export type EventSource = (typeof EVENT_SOURCES)[keyof typeof EVENT_SOURCES];

const id = z.string().min(1).max(256);
const tier = z.enum(['T0', 'T1', 'T2', 'T3', 'T4', 'T5']);
const score = z.number().min(0).max(1000);
const iso = z.iso.datetime({ offset: true });
const count = z.int().min(0);
const tokens = z.strictObject({ input: count, output: count });
/** Where a step's event happened, when it happened inside a workflow. */
const stepRef = {
  workflowId: id.optional(),
  step: z.string().max(128).optional(),
  stepIndex: count.optional(),
};

const IntentDeclared = z.object({
  intentId: id,
  agentId: id,
  action: z.string().min(1).max(128),
  resource: z.object({ id: z.string().max(512), type: z.string().max(128) }),
  sequence: z.int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  ...stepRef,
});

const IntentDecided = z.object({
  intentId: id,
  agentId: id,
  action: z.string().min(1).max(128),
  decision: z.enum(['ALLOW', 'DENY', 'ESCALATE']),
  /** Reason codes (policy ids, `tier_below_required`, `approved_by_reviewer`, …). */
  reasons: z.array(z.string().max(256)).max(50),
  agentTier: tier,
  score,
  escalationLevel: z.int().min(1).max(3).optional(),
  ...stepRef,
});

const ExecutionSucceeded = z.object({
  agentId: id,
  intentId: id.optional(),
  action: z.string().min(1).max(128).optional(),
  /** The tier the gate acted on; the trust calculator scales failure penalties with it. */
  agentTier: tier.optional(),
  durationMs: count.optional(),
  tokens: tokens.optional(),
  costUsd: z.number().min(0).optional(),
  proofHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** 0 … 1, credited by the behavioral component (SPEC §2). */
  quality: z.number().min(0).max(1).optional(),
  /** 0 … 0.1. */
  efficiencyBonus: z.number().min(0).max(0.1).optional(),
  ...stepRef,
});

const ExecutionFailed = z.object({
  agentId: id,
  intentId: id.optional(),
  action: z.string().min(1).max(128).optional(),
  agentTier: tier.optional(),
  durationMs: count.optional(),
  /** snake_case error code, e.g. `provider_failed`, `injected_failure`. */
  errorCode: z.string().min(1).max(128),
  message: z.string().max(2048).optional(),
  ...stepRef,
});

const ProofBatched = z.object({
  workflowId: id,
  batchId: id,
  merkleRoot: z.string().regex(/^[0-9a-f]{64}$/),
  leaves: z.int().min(1),
});

const TrustChanged = z.object({
  agentId: id,
  /** The signal kind that moved the score, or `decay` for the scheduled sweep. */
  cause: z.string().min(1).max(64),
  previousScore: score,
  score,
  previousTier: tier,
  tier,
});

const TrustTierChanged = z.object({
  agentId: id,
  from: tier,
  to: tier,
  direction: z.enum(['promotion', 'demotion']),
  score,
  cause: z.string().min(1).max(64),
});

const severity = z.enum(['low', 'medium', 'high', 'critical']);

const TrustViolation = z.object({
  agentId: id,
  severity,
  previousCompliance: z.number().min(0).max(1),
  compliance: z.number().min(0).max(1),
});

const WorkflowStarted = z.object({
  workflowId: id,
  type: z.enum(['sequential', 'parallel', 'saga']),
  template: z.string().max(64).nullable(),
  steps: z.array(z.string().max(128)).max(20),
});

const WorkflowEnded = z.object({
  workflowId: id,
  type: z.enum(['sequential', 'parallel', 'saga']),
  status: z.enum(['SUCCEEDED', 'FAILED', 'COMPENSATED']),
  durationMs: count.optional(),
  error: z
    .object({
      code: z.string().max(128),
      message: z.string().max(2048),
      step: z.string().max(128).nullable(),
    })
    .optional(),
});

const Escalation = z.object({
  escalationId: id,
  workflowId: id,
  step: z.string().max(128),
  stepIndex: count,
  agentId: id,
  level: z.int().min(1).max(3),
  deadline: iso.optional(),
  reviewer: z.string().max(256).optional(),
  reviewerLevel: z.int().min(1).max(3).optional(),
  reason: z.string().max(1000).optional(),
});

const Circuit = z.object({
  agentId: id,
  reason: z.string().max(64),
  /** Failures in the breaker's window when it changed. */
  failureCount: count.optional(),
  /** OPEN: when the first probe may pass. */
  openUntil: iso.optional(),
});

const BudgetExceeded = z.object({
  agentId: id,
  /** The token budget section that did not fit (`request`, `context`, …). */
  section: z.string().max(64),
  tokensBefore: count,
  tokensAfter: count,
  /** What context assembly did to fit: summarize, prune, compress. */
  strategies: z.array(z.string().max(32)).max(20),
  ...stepRef,
});

const DlqNotEmpty = z.object({
  queue: z.string().min(1).max(256),
  messages: z.int().min(1),
});

const WebhookDisabled = z.object({
  webhookId: id,
  url: z.string().max(2048),
  failingSince: iso,
});

const Alert = z.object({
  alertId: id,
  kind: z.string().min(1).max(64),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string().max(2048),
  /** The event that raised the alert. */
  causeEventId: id,
  agentId: id.optional(),
  workflowId: id.optional(),
});

const ComplianceViolation = z.object({ agentId: id, severity, description: z.string().max(2048).optional() });
const ComplianceAudit = z.object({ agentId: id, auditor: z.string().max(256).optional() });
const ComplianceRemediation = z.object({ agentId: id, fast: z.boolean() });

/** Every event type: its source and the schema of its data. */
export const EVENT_CATALOG = {
  'intent.declared': { source: EVENT_SOURCES.intents, data: IntentDeclared },
  'intent.decided': { source: EVENT_SOURCES.intents, data: IntentDecided },
  'execution.succeeded': { source: EVENT_SOURCES.intents, data: ExecutionSucceeded },
  'execution.failed': { source: EVENT_SOURCES.intents, data: ExecutionFailed },
  'proof.batched': { source: EVENT_SOURCES.intents, data: ProofBatched },
  'trust.changed': { source: EVENT_SOURCES.trust, data: TrustChanged },
  'trust.tier_changed': { source: EVENT_SOURCES.trust, data: TrustTierChanged },
  'trust.violation': { source: EVENT_SOURCES.trust, data: TrustViolation },
  'workflow.started': { source: EVENT_SOURCES.workflows, data: WorkflowStarted },
  'workflow.completed': { source: EVENT_SOURCES.workflows, data: WorkflowEnded },
  'workflow.failed': { source: EVENT_SOURCES.workflows, data: WorkflowEnded },
  'escalation.created': { source: EVENT_SOURCES.escalations, data: Escalation },
  'escalation.approved': { source: EVENT_SOURCES.escalations, data: Escalation },
  'escalation.rejected': { source: EVENT_SOURCES.escalations, data: Escalation },
  'escalation.timed_out': { source: EVENT_SOURCES.escalations, data: Escalation },
  'circuit.opened': { source: EVENT_SOURCES.breaker, data: Circuit },
  'circuit.closed': { source: EVENT_SOURCES.breaker, data: Circuit },
  'budget.exceeded': { source: EVENT_SOURCES.intents, data: BudgetExceeded },
  'dlq.not_empty': { source: EVENT_SOURCES.operations, data: DlqNotEmpty },
  'webhook.disabled': { source: EVENT_SOURCES.operations, data: WebhookDisabled },
  'alert.circuit_opened': { source: EVENT_SOURCES.alerts, data: Alert },
  'alert.tier_dropped': { source: EVENT_SOURCES.alerts, data: Alert },
  'alert.escalation_timed_out': { source: EVENT_SOURCES.alerts, data: Alert },
  'alert.dlq_not_empty': { source: EVENT_SOURCES.alerts, data: Alert },
  'alert.budget_exceeded': { source: EVENT_SOURCES.alerts, data: Alert },
  'alert.webhook_disabled': { source: EVENT_SOURCES.alerts, data: Alert },
  'compliance.violation': { source: EVENT_SOURCES.ingest, data: ComplianceViolation },
  'compliance.audit_passed': { source: EVENT_SOURCES.ingest, data: ComplianceAudit },
  'compliance.remediation': { source: EVENT_SOURCES.ingest, data: ComplianceRemediation },
} as const;

export type EventType = keyof typeof EVENT_CATALOG;
export type EventData<T extends EventType> = z.output<(typeof EVENT_CATALOG)[T]['data']>;

export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

/**
 * What a client may send through POST /v1/events: outcomes of executions that ran outside a workflow and
 * compliance findings. The platform's own events (decisions, trust, workflows, …) cannot be forged.
 */
export const INGESTIBLE_EVENT_TYPES = [
  'execution.succeeded',
  'execution.failed',
  'compliance.violation',
  'compliance.audit_passed',
  'compliance.remediation',
] as const satisfies readonly EventType[];

export type IngestibleEventType = (typeof INGESTIBLE_EVENT_TYPES)[number];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENT_CATALOG, value);
}
