// The EscalationsTable item (docs/backend.md "Escalations"): PK `escalationId`, GSI `byTenantStatus`
// (PK `tenantStatus` = `<tenantId>#<status>`, SK `createdAt`), so a tenant's PENDING escalations are one
// Query, oldest first. Every write that changes `status` rewrites `tenantStatus` with it.
//
// Life of an item: the escalate function writes it PENDING (the state machine waits on `taskToken`); a
// reviewer's answer makes it APPROVED or REJECTED; an SLA that expired, or an answer Step Functions no
// longer accepts, makes it TIMED_OUT. `taskToken` never leaves the backend (escalation-view.ts omits it).
import type { TierCode } from '../../core/trust/tiers.ts';
import type { EscalationStatus } from '../workflows/workflow-item.ts';

export const ESCALATION_STATUSES = [
  'PENDING',
  'APPROVED',
  'REJECTED',
  'TIMED_OUT',
] as const satisfies readonly EscalationStatus[];

export interface EscalationItem {
  escalationId: string;
  tenantId: string;
  /** `<tenantId>#<status>`: the byTenantStatus partition. */
  tenantStatus: string;
  workflowId: string;
  stepIndex: number;
  /** The step's name. */
  step: string;
  agentId: string;
  /** The action the agent declared. */
  intent: string;
  requiredTier: TierCode;
  /** The agent's tier when the gate decided; absent if the gate did not record one. */
  agentTier?: TierCode;
  /** The decision's reason messages: why a human has to look. */
  reasons: string[];
  /** The authority level a reviewer needs (MIN_AUTHORITY_LEVEL…MAX_AUTHORITY_LEVEL). */
  level: number;
  /** The workflow's highest level: past it, an expired SLA denies. */
  maxLevel: number;
  slaSeconds: number;
  /**
   * ISO 8601: the waiting state's entry (where Step Functions starts the SLA timeout) + slaSeconds; after
   * it, answers are refused (409 escalation_expired).
   */
  deadline: string;
  status: EscalationStatus;
  /** The state machine's task token for this level; answered with SendTaskSuccess / SendTaskFailure. */
  taskToken: string;
  createdAt: string;
  updatedAt: string;
  decidedAt?: string;
  reviewer?: string;
  reviewerLevel?: number;
  /** Reject: the reviewer's reason (required). */
  reason?: string;
  /** Approve: the reviewer's optional comment. */
  comment?: string;
}

export function tenantStatusKey(tenantId: string, status: EscalationStatus): string {
  return `${tenantId}#${status}`;
}
