// The WorkflowsTable item (docs/backend.md "Tables" and "Flows"): PK `workflowId`.
//
// A step is written PENDING by POST /v1/workflows (a role-routed step without `agentId`). The router sets
// QUEUED while nobody qualifies and writes `agentId` when it picks one; the gate sets DECIDED (decision,
// reasons, agentTier, intentId) when it records the intent, then SUCCEEDED with the result. An ESCALATE
// decision moves the step to WAITING_APPROVAL (escalation opened), a reviewer's approval to APPROVED, after
// which the gate decides again. A step that fails is FAILED with its `error`; a saga's succeeded step that
// was undone is COMPENSATED. Optional fields are absent until written.
import type { OpenCircuitReason, StepServing } from '../../core/breaker/open-circuit-serving.ts';
import type { MemoryLayer } from '../../core/memory/memory-limits.ts';
import type { AgentAction } from '../../core/policy/agent-actions.ts';
import type { DecisionOutcome } from '../../core/policy/decision.ts';
import type { RoutingPreference } from '../../core/routing/select-agent.ts';
import type { TierCode } from '../../core/trust/tiers.ts';

/**
 * Stored statuses. QUEUED and WAITING_APPROVAL are never stored on the workflow: while it is RUNNING, the
 * view derives them from its steps (workflow-view.ts), so concurrent sub-tasks never race on one status.
 */
export type WorkflowStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'COMPENSATED';
/** What GET /v1/workflows/{id} shows. */
export type WorkflowViewStatus = WorkflowStatus | 'QUEUED' | 'WAITING_APPROVAL';
export type StepStatus =
  | 'PENDING'
  | 'QUEUED'
  | 'DECIDED'
  | 'WAITING_APPROVAL'
  | 'APPROVED'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'COMPENSATED';
export type WorkflowType = 'sequential' | 'parallel' | 'saga';
export type SubtaskFailurePolicy = 'fail' | 'aggregate';
export type EscalationStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'TIMED_OUT';

export interface StepResource {
  id: string;
  type: string;
}

/** What a step asks for: the plan, fixed when the workflow starts. Exactly one of agentId / role. */
export interface StepDefinition {
  name: string;
  /** The agent named by the caller; for a role-routed step, absent until the router picks one. */
  agentId?: string;
  /** Trust-based routing: the router picks an agent of this role (SPEC §4.3). */
  role?: string;
  requiredTier: TierCode;
  /** The action the agent declares as its intent. */
  intent: AgentAction;
  resource: StepResource;
  /** Remember the step's output as a memory of its agent (docs/backend.md "Memory"). */
  remember?: StepRemember;
}

export interface StepRemember {
  layer: MemoryLayer;
  /** 0..1. */
  importance: number;
}

/** The memory side of a succeeded step: what the agent recalled, and what became of its output. */
export interface StepMemory {
  /**
   * The memories whose text (whole, summarized or cut to fit) reached the agent, in the order of the context:
   * best first, the memories behind a summary oldest first.
   */
  recalled: string[];
  /** Recall failed (the embedder or the table): the step ran without memories, for this reason. */
  recallUnavailable?: string;
  /** The output as a memory, when the step asked for it. */
  remembered?: { memoryId: string; layer: MemoryLayer };
  /** Why the output was not remembered though the step asked for it. */
  notRemembered?: 'memory_limit_reached' | 'embedder_unavailable' | 'empty_output';
}

export interface TokenUsage {
  input: number;
  output: number;
}

/** How the router chose (or failed to choose) the step's agent. */
export interface StepRouting {
  preference: RoutingPreference;
  /** Routing attempts so far (1 = the first try). */
  attempts: number;
  /** selectAgent's reason: why this agent, or why nobody qualified. */
  reason: string;
  /** The other eligible agents, best first, when one was selected. */
  alternatives?: string[];
  /** ISO 8601; when the next attempt runs while the step is QUEUED. */
  nextAttemptAt?: string;
}

/** The step's latest escalation (the full record is in the EscalationsTable). */
export interface StepEscalation {
  escalationId: string;
  level: number;
  /** ISO 8601 SLA deadline. */
  deadline: string;
  status: EscalationStatus;
}

/** A reviewer's approval of the step's escalation; the gate lets the step run on it. */
export interface StepApproval {
  escalationId: string;
  /** The escalation's level when approved. */
  level: number;
  reviewer: string;
  reviewerLevel: number;
  approvedAt: string;
  comment?: string;
}

export interface StepFailure {
  /** snake_case of the error name, as WorkflowError.code. */
  code: string;
  message: string;
}

export interface StepCompensation {
  /** 1 for the first compensation that ran, 2 for the next, …: the reverse order is visible. */
  order: number;
  /** What undoing the step meant. */
  action: string;
  compensatedAt: string;
}

/** The step passed from its agent, whose breaker refused calls, to a fallback of the same role (once). */
export interface StepHandover {
  fromAgentId: string;
  /** The intent the first agent declared (decided ALLOW) and could not execute. */
  fromIntentId: string;
  reason: OpenCircuitReason;
  /** ISO 8601. */
  at: string;
}

export interface StepState extends StepDefinition {
  status: StepStatus;
  /** Parallel workflows: this step's share of the task, written by the decomposer. */
  subtask?: string;
  routing?: StepRouting;
  /** The agent's tier (decayed score) when the gate decided. */
  agentTier?: TierCode;
  decision?: DecisionOutcome;
  /** The decision's reason messages. */
  reasons?: string[];
  /** ESCALATE only: the authority level the decision asked for. */
  authorityLevel?: number;
  escalation?: StepEscalation;
  approval?: StepApproval;
  intentId?: string;
  output?: string;
  tokens?: TokenUsage;
  /** The agent's cost per call. */
  costUsd?: number;
  /** From the gate's start (read, decision) to the provider's answer. */
  durationMs?: number;
  proofHash?: string;
  /** Absent when the agent's provider call produced the output; else a cached result or a degraded answer. */
  servedBy?: StepServing;
  handover?: StepHandover;
  memory?: StepMemory;
  /** ISO 8601; when the step's output was recorded. */
  completedAt?: string;
  error?: StepFailure;
  compensation?: StepCompensation;
}

export interface WorkflowInput {
  task: string;
  /** Parallel: one sub-task per step, in step order; else the decomposer derives them from the task. */
  subtasks?: string[];
  /** Tests and demos: the named step fails after its decision (refused when the stage is production). */
  failAt?: string;
  [key: string]: unknown;
}

/** The run's settings, defaults resolved when it starts (from CDK context), so a run never changes mid-way. */
export interface WorkflowOptions {
  /** Trust-based routing's ranking. */
  preference: RoutingPreference;
  escalation: { slaSeconds: number; maxLevel: number };
  /** Bounded retries while no agent qualifies for a role-routed step. */
  queue: { maxAttempts: number; delaySeconds: number; backoffRate: number; maxDelaySeconds: number };
  /** Parallel workflows only. */
  parallel?: { maxConcurrency: number; onSubtaskFailure: SubtaskFailurePolicy };
}

export interface WorkflowError {
  /** snake_case of the error name, e.g. `step_denied` for `Trustgate.StepDenied`. */
  code: string;
  message: string;
  /** Name of the step that failed; absent when the failure came before any step. */
  step?: string;
}

export interface WorkflowItem {
  workflowId: string;
  tenantId: string;
  /** The template the steps came from; absent for explicit steps. */
  template?: string;
  type: WorkflowType;
  input: WorkflowInput;
  options: WorkflowOptions;
  steps: StepState[];
  status: WorkflowStatus;
  result?: string;
  error?: WorkflowError;
  /** Parallel with `aggregate`: the names of the sub-tasks that failed, in step order. */
  gaps?: string[];
  executionArn: string;
  /** Took one of the tenant's open-workflow slots at start (workflow-queue.ts), given back when it ends. */
  holdsQueueSlot?: true;
  createdAt: string;
  updatedAt: string;
}
