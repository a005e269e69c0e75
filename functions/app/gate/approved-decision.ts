// What a reviewer's approval makes of the L3 decision (docs/backend.md "Functions of the flows" → gate).
//
// An approval answers one escalation: it lets the step run when the decision is still ESCALATE and the
// reviewer's authority level reaches the level the decision now asks for. The intent is then recorded
// ALLOW with `approved_by_reviewer` first and the escalation's own reasons after it, so the ledger says
// both who let the agent act and why a human had to. The limits are those of the agent's own tier, not of
// the tier the step required: the approval lets the agent act, it does not lend it a higher tier's budget.
//
// Everything else stands as decided: a DENY cannot be approved away (forbid wins, SPEC §3), an ESCALATE
// above the reviewer's level needs a higher authority (the state machine opens a new escalation), and an
// ALLOW needs no approval.
import type { AgentManifest } from '../../core/policy/agent-manifest.ts';
import type { Decision } from '../../core/policy/decision.ts';
import { executionLimits } from '../../core/policy/execution-limits.ts';
import type { Tier } from '../../core/trust/tiers.ts';
import type { StepApproval } from '../workflows/workflow-item.ts';

export interface ApprovalContext {
  /** The step's approval, if a reviewer gave one. */
  approval: StepApproval | undefined;
  /** The escalation the step is on now; an approval of an earlier escalation does not answer it. */
  currentEscalationId: string | undefined;
  /** The agent's own tier (decayed score) and manifest: what the approved limits come from. */
  agentTier: Tier;
  manifest: AgentManifest;
}

export function applyApproval(decision: Decision, context: ApprovalContext): Decision {
  const { approval } = context;
  if (decision.decision !== 'ESCALATE' || !approval) return decision;
  if (context.currentEscalationId !== undefined && context.currentEscalationId !== approval.escalationId) {
    return decision;
  }
  if (decision.escalation.level > approval.reviewerLevel) return decision;
  return {
    decision: 'ALLOW',
    reasons: [
      {
        code: 'approved_by_reviewer',
        message:
          `approved by ${approval.reviewer} (authority level ${approval.reviewerLevel}) ` +
          `in escalation ${approval.escalationId}`,
      },
      ...decision.reasons,
    ],
    limits: executionLimits(context.agentTier, context.manifest),
    policySet: decision.policySet,
  };
}
