// GET /v1/workflows/{id}: the workflow as clients see it. Every field is present; what has not happened
// yet is null, so a client polls one stable shape from RUNNING to the end. GET /v1/workflows lists
// summaries of the same (workflowSummaryView): status, task preview, each step's agent, status and decision.
//
// The status shown is the stored one once final. While the workflow RUNS, it is derived from the steps
// (docs/backend.md "Workflows: the contract"): a step waiting for a reviewer → WAITING_APPROVAL, else a step
// waiting for a qualified agent → QUEUED, else RUNNING. The steps of a parallel workflow change
// concurrently, so the stored status never tracks them; deriving it keeps it true without a race.
import type { StepServing } from '../../core/breaker/open-circuit-serving.ts';
import type { DecisionOutcome } from '../../core/policy/decision.ts';
import type { TierCode } from '../../core/trust/tiers.ts';
import type {
  StepApproval,
  StepCompensation,
  StepEscalation,
  StepFailure,
  StepHandover,
  StepMemory,
  StepRemember,
  StepRouting,
  StepState,
  StepStatus,
  TokenUsage,
  WorkflowError,
  WorkflowItem,
  WorkflowOptions,
  WorkflowType,
  WorkflowViewStatus,
} from './workflow-item.ts';

export interface StepView {
  name: string;
  /** Null for a role-routed step until the router picks its agent. */
  agentId: string | null;
  role: string | null;
  requiredTier: TierCode;
  agentTier: TierCode | null;
  intent: string;
  /** Parallel workflows: the step's share of the task, once decomposed. */
  subtask: string | null;
  routing: StepRouting | null;
  decision: DecisionOutcome | null;
  /** Why the decision was taken: the reason messages of the intent engine. */
  reasons: string[];
  /** ESCALATE only: the authority level the decision asked for. */
  authorityLevel: number | null;
  escalation: StepEscalation | null;
  approval: StepApproval | null;
  status: StepStatus;
  output: string | null;
  tokens: TokenUsage | null;
  costUsd: number | null;
  durationMs: number | null;
  intentId: string | null;
  proofHash: string | null;
  /**
   * How the output came about: `agent` (its provider call), or while its breaker was open `cache` (with
   * when it was produced and its age) or `degraded` (no agent produced it); null until the step succeeds.
   */
  servedBy: ({ kind: 'agent' } | StepServing) | null;
  /** The step passed from its agent (breaker open) to this fallback agent. */
  handover: StepHandover | null;
  /** Whether the output is to be remembered (`{ layer, importance }`), as the request asked. */
  remember: StepRemember | null;
  /** What the agent recalled (memory ids) and what became of its output; null until its agent ran. */
  memory: StepMemory | null;
  error: StepFailure | null;
  compensation: StepCompensation | null;
}

export interface WorkflowView {
  workflowId: string;
  type: WorkflowType;
  template: string | null;
  status: WorkflowViewStatus;
  options: WorkflowOptions;
  steps: StepView[];
  result: string | null;
  error: WorkflowError | null;
  /** Parallel with `aggregate`: the sub-tasks that failed, in step order. */
  gaps: string[] | null;
  /** The names of the steps that ended with a degraded answer (breaker open, no cache, no fallback). */
  degradedSteps: string[];
  createdAt: string;
  updatedAt: string;
}

/** GET /v1/workflows: one workflow of the listing, without the steps' outputs, inputs' extras or options. */
export interface WorkflowSummaryView {
  workflowId: string;
  type: WorkflowType;
  template: string | null;
  status: WorkflowViewStatus;
  /** The task, cut to its first TASK_PREVIEW_CHARACTERS characters (… marks a cut). */
  task: string;
  steps: { name: string; agentId: string | null; status: StepStatus; decision: DecisionOutcome | null }[];
  error: WorkflowError | null;
  createdAt: string;
  updatedAt: string;
}

export const TASK_PREVIEW_CHARACTERS = 200;

export function workflowSummaryView(workflow: WorkflowItem): WorkflowSummaryView {
  const task = workflow.input.task;
  return {
    workflowId: workflow.workflowId,
    type: workflow.type,
    template: workflow.template ?? null,
    status: viewStatus(workflow),
    task: task.length > TASK_PREVIEW_CHARACTERS ? `${task.slice(0, TASK_PREVIEW_CHARACTERS - 1)}…` : task,
    steps: workflow.steps.map((step) => ({
      name: step.name,
      agentId: step.agentId ?? null,
      status: step.status,
      decision: step.decision ?? null,
    })),
    error: workflow.error ?? null,
    createdAt: workflow.createdAt,
    updatedAt: workflow.updatedAt,
  };
}

export function workflowView(workflow: WorkflowItem): WorkflowView {
  return {
    workflowId: workflow.workflowId,
    type: workflow.type,
    template: workflow.template ?? null,
    status: viewStatus(workflow),
    options: workflow.options,
    steps: workflow.steps.map(stepView),
    result: workflow.result ?? null,
    error: workflow.error ?? null,
    gaps: workflow.gaps ?? null,
    degradedSteps: workflow.steps
      .filter((step) => step.servedBy?.kind === 'degraded')
      .map((step) => step.name),
    createdAt: workflow.createdAt,
    updatedAt: workflow.updatedAt,
  };
}

/** The stored status once final; while RUNNING, what the steps are waiting for (approval beats an agent). */
export function viewStatus(workflow: Pick<WorkflowItem, 'status' | 'steps'>): WorkflowViewStatus {
  if (workflow.status !== 'RUNNING') return workflow.status;
  const waiting = (status: StepStatus) => workflow.steps.some((step) => step.status === status);
  if (waiting('WAITING_APPROVAL')) return 'WAITING_APPROVAL';
  if (waiting('QUEUED')) return 'QUEUED';
  return 'RUNNING';
}

function stepView(step: StepState): StepView {
  return {
    name: step.name,
    agentId: step.agentId ?? null,
    role: step.role ?? null,
    requiredTier: step.requiredTier,
    agentTier: step.agentTier ?? null,
    intent: step.intent,
    subtask: step.subtask ?? null,
    routing: step.routing ?? null,
    decision: step.decision ?? null,
    reasons: step.reasons ?? [],
    authorityLevel: step.authorityLevel ?? null,
    escalation: step.escalation ?? null,
    approval: step.approval ?? null,
    status: step.status,
    output: step.output ?? null,
    tokens: step.tokens ?? null,
    costUsd: step.costUsd ?? null,
    durationMs: step.durationMs ?? null,
    intentId: step.intentId ?? null,
    proofHash: step.proofHash ?? null,
    servedBy: step.status === 'SUCCEEDED' ? (step.servedBy ?? { kind: 'agent' }) : null,
    handover: step.handover ?? null,
    remember: step.remember ?? null,
    memory: step.memory ?? null,
    error: step.error ?? null,
    compensation: step.compensation ?? null,
  };
}
