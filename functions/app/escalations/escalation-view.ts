// How the API shows an escalation (docs/backend.md "Escalations"). Every field is present, null when it
// has not happened, so a reviewer's client reads one stable shape. Built field by field from the item:
// `taskToken` (which would let anyone answer for the state machine) and `tenantStatus` (an index key)
// cannot leak by being forgotten.
import type { TierCode } from '../../core/trust/tiers.ts';
import type { EscalationStatus } from '../workflows/workflow-item.ts';
import type { EscalationItem } from './escalation-item.ts';

export interface EscalationView {
  escalationId: string;
  workflowId: string;
  step: string;
  stepIndex: number;
  agentId: string;
  intent: string;
  requiredTier: TierCode;
  agentTier: TierCode | null;
  reasons: string[];
  level: number;
  maxLevel: number;
  deadline: string;
  status: EscalationStatus;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
  reviewer: string | null;
  reviewerLevel: number | null;
  reason: string | null;
  comment: string | null;
}

export function escalationView(item: EscalationItem): EscalationView {
  return {
    escalationId: item.escalationId,
    workflowId: item.workflowId,
    step: item.step,
    stepIndex: item.stepIndex,
    agentId: item.agentId,
    intent: item.intent,
    requiredTier: item.requiredTier,
    agentTier: item.agentTier ?? null,
    reasons: item.reasons,
    level: item.level,
    maxLevel: item.maxLevel,
    deadline: item.deadline,
    status: item.status,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    decidedAt: item.decidedAt ?? null,
    reviewer: item.reviewer ?? null,
    reviewerLevel: item.reviewerLevel ?? null,
    reason: item.reason ?? null,
    comment: item.comment ?? null,
  };
}
