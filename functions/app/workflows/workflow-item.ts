// The WorkflowsTable item (docs/backend.md): PK `workflowId`.
//
// A step is written PENDING by POST /v1/workflows; the gate sets DECIDED (decision, reasons, agentTier,
// intentId) when it records the intent, then SUCCEEDED with the result; the finish function sets FAILED on
// the step that failed. Optional step fields are absent until the gate writes them.
import type { AgentAction } from '../../core/policy/agent-actions.ts';
import type { DecisionOutcome } from '../../core/policy/decision.ts';
import type { TierCode } from '../../core/trust/tiers.ts';

export type WorkflowStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';
export type StepStatus = 'PENDING' | 'DECIDED' | 'SUCCEEDED' | 'FAILED';
export type WorkflowType = 'sequential';

export interface StepResource {
  id: string;
  type: string;
}

/** What a step asks for: the plan, fixed when the workflow starts. */
export interface StepDefinition {
  name: string;
  agentId: string;
  requiredTier: TierCode;
  /** The action the agent declares as its intent. */
  intent: AgentAction;
  resource: StepResource;
}

export interface TokenUsage {
  input: number;
  output: number;
}

export interface StepState extends StepDefinition {
  status: StepStatus;
  /** The agent's tier (decayed score) when the gate decided. */
  agentTier?: TierCode;
  decision?: DecisionOutcome;
  /** The decision's reason messages. */
  reasons?: string[];
  intentId?: string;
  output?: string;
  tokens?: TokenUsage;
  /** The agent's cost per call. */
  costUsd?: number;
  /** From the gate's start (read, decision) to the provider's answer. */
  durationMs?: number;
  proofHash?: string;
  /** ISO 8601; when the step's output was recorded. */
  completedAt?: string;
}

export interface WorkflowInput {
  task: string;
  [key: string]: unknown;
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
  steps: StepState[];
  status: WorkflowStatus;
  result?: string;
  error?: WorkflowError;
  executionArn: string;
  createdAt: string;
  updatedAt: string;
}
