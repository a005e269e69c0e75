// The writes an escalation makes to its workflow step (WorkflowsTable, workflow-item.ts), as
// TransactWriteItems entries beside the escalation item's own write (escalation-writes.ts). The step only
// keeps its latest escalation; every update but the opening one is conditioned on the step still pointing
// at the escalation it is about, so an answer to a level that has since been raised changes nothing.
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { StepApproval, StepEscalation } from '../workflows/workflow-item.ts';

type Update = NonNullable<TransactWriteItem['Update']>;

/**
 * The step waits for a reviewer: status WAITING_APPROVAL, its `escalation` the new one, any approval of an
 * earlier level removed. Condition: the workflow is RUNNING and, when a level is raised, the step still
 * points at the escalation being replaced.
 */
export function stepAwaitingApprovalUpdate(
  table: string,
  target: { workflowId: string; stepIndex: number; updatedAt: string },
  escalation: StepEscalation,
  replacedEscalationId?: string,
): TransactWriteItem {
  const step = stepPath(target.stepIndex);
  const replacing = replacedEscalationId !== undefined;
  return {
    Update: {
      TableName: table,
      Key: { workflowId: target.workflowId },
      UpdateExpression:
        `SET ${step}.#status = :waiting, ${step}.escalation = :escalation, updatedAt = :updatedAt ` +
        `REMOVE ${step}.approval`,
      ConditionExpression: `#status = :running${replacing ? ` AND ${step}.escalation.escalationId = :replaced` : ''}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':waiting': 'WAITING_APPROVAL',
        ':escalation': escalation,
        ':running': 'RUNNING',
        ':updatedAt': target.updatedAt,
        ...(replacing ? { ':replaced': replacedEscalationId } : {}),
      },
    },
  };
}

/**
 * A reviewer answered. Approve: the step gets its `approval`, status APPROVED (the gate decides again on
 * it) and `escalation.status` APPROVED. Reject: only `escalation.status` REJECTED; the state machine fails
 * the step on the rejection it receives. Condition: workflow RUNNING and the step's escalation is this one.
 */
export function stepReviewedUpdate(
  table: string,
  target: { workflowId: string; stepIndex: number; escalationId: string; updatedAt: string },
  verdict: { approval: StepApproval } | { rejected: true },
): TransactWriteItem {
  const step = stepPath(target.stepIndex);
  const update: Update = {
    TableName: table,
    Key: { workflowId: target.workflowId },
    UpdateExpression: `SET ${step}.escalation.#status = :decided, updatedAt = :updatedAt`,
    ConditionExpression: `#status = :running AND ${step}.escalation.escalationId = :escalationId`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':decided': 'approval' in verdict ? 'APPROVED' : 'REJECTED',
      ':running': 'RUNNING',
      ':escalationId': target.escalationId,
      ':updatedAt': target.updatedAt,
    },
  };
  if ('approval' in verdict) {
    update.UpdateExpression += `, ${step}.approval = :approval, ${step}.#status = :approved`;
    update.ExpressionAttributeValues = {
      ...update.ExpressionAttributeValues,
      ':approval': verdict.approval,
      ':approved': 'APPROVED',
    };
  }
  return { Update: update };
}

/**
 * The step's escalation timed out: `escalation.status` TIMED_OUT and any approval removed, so the gate can
 * never run on an answer the state machine did not receive. The step's status is left alone: what follows
 * is the state machine's (a raised level sets WAITING_APPROVAL again, a timeout past the maximum fails the
 * step). Condition: the step still points at this escalation, and with `requireRunning` (the state
 * machine's own path) that the workflow is RUNNING.
 */
export function stepEscalationTimedOutUpdate(
  table: string,
  target: { workflowId: string; stepIndex: number; escalationId: string; updatedAt: string },
  options: { requireRunning: boolean },
): TransactWriteItem {
  const step = stepPath(target.stepIndex);
  const conditions = [
    ...(options.requireRunning ? ['#status = :running'] : []),
    `${step}.escalation.escalationId = :escalationId`,
  ];
  return {
    Update: {
      TableName: table,
      Key: { workflowId: target.workflowId },
      UpdateExpression: `SET ${step}.escalation.#status = :timedOut, updatedAt = :updatedAt REMOVE ${step}.approval`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':timedOut': 'TIMED_OUT',
        ':escalationId': target.escalationId,
        ':updatedAt': target.updatedAt,
        ...(options.requireRunning ? { ':running': 'RUNNING' } : {}),
      },
    },
  };
}

function stepPath(stepIndex: number): string {
  if (!Number.isSafeInteger(stepIndex) || stepIndex < 0) {
    throw new RangeError(`step index must be a non-negative integer, got ${stepIndex}`);
  }
  return `steps[${stepIndex}]`;
}
