// GET /v1/workflows/{id}: the workflow as clients see it. Every field is present; what has not happened
// yet is null, so a client polls one stable shape from RUNNING to the end.
import type { DecisionOutcome } from '../../core/policy/decision.ts';
import type { TierCode } from '../../core/trust/tiers.ts';
import type { StepStatus, TokenUsage, WorkflowError, WorkflowItem, WorkflowStatus } from './workflow-item.ts';

export interface StepView {
  name: string;
  agentId: string;
  requiredTier: TierCode;
  agentTier: TierCode | null;
  intent: string;
  decision: DecisionOutcome | null;
  /** Why the decision was taken: the reason messages of the intent engine. */
  reasons: string[];
  status: StepStatus;
  output: string | null;
  tokens: TokenUsage | null;
  costUsd: number | null;
  durationMs: number | null;
  intentId: string | null;
  proofHash: string | null;
}

export interface WorkflowView {
  workflowId: string;
  status: WorkflowStatus;
  steps: StepView[];
  result: string | null;
  error: WorkflowError | null;
  createdAt: string;
  updatedAt: string;
}

export function workflowView(workflow: WorkflowItem): WorkflowView {
  return {
    workflowId: workflow.workflowId,
    status: workflow.status,
    steps: workflow.steps.map((step) => ({
      name: step.name,
      agentId: step.agentId,
      requiredTier: step.requiredTier,
      agentTier: step.agentTier ?? null,
      intent: step.intent,
      decision: step.decision ?? null,
      reasons: step.reasons ?? [],
      status: step.status,
      output: step.output ?? null,
      tokens: step.tokens ?? null,
      costUsd: step.costUsd ?? null,
      durationMs: step.durationMs ?? null,
      intentId: step.intentId ?? null,
      proofHash: step.proofHash ?? null,
    })),
    result: workflow.result ?? null,
    error: workflow.error ?? null,
    createdAt: workflow.createdAt,
    updatedAt: workflow.updatedAt,
  };
}
