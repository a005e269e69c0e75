// The writes an escalation's life makes to the EscalationsTable, as TransactWriteItems entries: each goes
// into one transaction with the matching update of the workflow step (step-escalation-writes.ts), so the
// item and the step never disagree about an escalation's status.
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { EscalationStatus } from '../workflows/workflow-item.ts';
import { type EscalationItem, tenantStatusKey } from './escalation-item.ts';

/**
 * Writes a PENDING escalation. Its condition lets a retried escalate invocation rewrite the item (with the
 * retry's task token, which is the one the state machine now waits on) while nobody has answered it, and
 * refuses once a reviewer has: an answered escalation is never reopened.
 */
export function pendingEscalationPut(table: string, item: EscalationItem): TransactWriteItem {
  return {
    Put: {
      TableName: table,
      Item: item,
      ConditionExpression: 'attribute_not_exists(escalationId) OR #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'PENDING' },
    },
  };
}

/** What a reviewer adds to the item: who, at which level, when, and the comment (approve) or reason (reject). */
export interface ReviewRecord {
  decidedAt: string;
  reviewer: string;
  reviewerLevel: number;
  comment?: string;
  reason?: string;
}

export interface EscalationStatusChange {
  escalationId: string;
  tenantId: string;
  to: EscalationStatus;
  /** The status the item must still have; absent: any status, as long as the item exists. */
  from?: EscalationStatus;
  updatedAt: string;
  review?: ReviewRecord;
}

/** Moves the item to another status, rewriting its byTenantStatus partition with it. */
export function escalationStatusUpdate(table: string, change: EscalationStatusChange): TransactWriteItem {
  const reviewFields = Object.entries(change.review ?? {}).filter(([, value]) => value !== undefined);
  const assignments = [
    '#status = :to',
    'tenantStatus = :tenantStatus',
    'updatedAt = :updatedAt',
    ...reviewFields.map(([name]) => `#${name} = :${name}`),
  ];
  return {
    Update: {
      TableName: table,
      Key: { escalationId: change.escalationId },
      UpdateExpression: `SET ${assignments.join(', ')}`,
      ConditionExpression: change.from === undefined ? 'attribute_exists(escalationId)' : '#status = :from',
      ExpressionAttributeNames: {
        '#status': 'status',
        ...Object.fromEntries(reviewFields.map(([name]) => [`#${name}`, name])),
      },
      ExpressionAttributeValues: {
        ':to': change.to,
        ':tenantStatus': tenantStatusKey(change.tenantId, change.to),
        ':updatedAt': change.updatedAt,
        ...(change.from === undefined ? {} : { ':from': change.from }),
        ...Object.fromEntries(reviewFields.map(([name, value]) => [`:${name}`, value])),
      },
    },
  };
}
