// A reviewer's answer to an escalation (`POST /v1/escalations/{id}/approve` | `…/reject`), in this order:
//   1. read it: absent or another tenant's → 404 escalation_not_found
//   2. still PENDING, else 409 escalation_not_pending (details: its status)
//   3. the reviewer's level ≥ the escalation's, else 403 insufficient_authority
//   4. its deadline not passed, else 409 escalation_expired (the state machine raises the level itself)
//   5. one TransactWriteItems: the item PENDING → APPROVED | REJECTED with the review, and the step's side
//      (workflow RUNNING and the step's escalation still this one); a lost condition → 409 not pending
//   6. the answer to the waiting task: SendTaskSuccess (approve) or SendTaskFailure (reject)
// Nothing is written before step 5, so a 4xx leaves every item as it was. The answer is recorded before it
// is sent so the gate, resumed by it, finds the approval; when Step Functions refuses the answer because
// the task no longer waits, the record is corrected to TIMED_OUT and the reviewer gets 409 expired.
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { EventAnnouncer } from '../../events/event-announcer.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import { AUTHORIZATION_FIELD } from '../../http/request-caller.ts';
import { GATE_ERROR_NAMES } from '../gate/gate-errors.ts';
import { itemCancellation } from '../gate/transaction-cancellation.ts';
import type { EscalationStatus, StepApproval } from '../workflows/workflow-item.ts';
import { escalationEvent } from './escalation-events.ts';
import { type EscalationItem, tenantStatusKey } from './escalation-item.ts';
import { type EscalationView, escalationView } from './escalation-view.ts';
import { escalationStatusUpdate, type ReviewRecord } from './escalation-writes.ts';
import { getTenantEscalation } from './escalations-repository.ts';
import type { ReviewRequest } from './review-request.ts';
import { stepEscalationTimedOutUpdate, stepReviewedUpdate } from './step-escalation-writes.ts';
import { isExpiredTaskError, type TaskResponder } from './task-response.ts';

export interface ReviewDependencies {
  client: DynamoDBDocumentClient;
  tables: { escalations: string; workflows: string };
  /** Epoch milliseconds. */
  clock: () => number;
  tasks: TaskResponder;
  /** escalation.approved / .rejected once the task has the answer; .timed_out when it no longer waited. */
  events: EventAnnouncer;
}

// Both transactions write the escalation item first and the workflow step second.
const ESCALATION_ITEM = 0;
const WORKFLOW_ITEM = 1;

export async function reviewEscalation(
  deps: ReviewDependencies,
  request: ReviewRequest,
): Promise<EscalationView> {
  const item = await requireTenantEscalation(
    deps.client,
    deps.tables.escalations,
    request.tenantId,
    request.escalationId,
  );
  if (item.status !== 'PENDING') throw notPending(item, item.status);
  if (request.reviewerLevel < item.level) {
    const message = `reviewer level ${request.reviewerLevel} is below the escalation's level ${item.level}`;
    throw new ApiError(403, 'insufficient_authority', message, [{ field: AUTHORIZATION_FIELD, message }]);
  }
  const now = deps.clock();
  if (now >= Date.parse(item.deadline)) throw expired(item);

  const decided = await recordReview(deps, item, request, new Date(now).toISOString());
  try {
    await answerTask(deps.tasks, decided, request);
  } catch (error) {
    // Any other failure (throttling, the service unreachable) is a 5xx and the record stays as answered;
    // the task never got the answer, so its SLA still expires and the state machine raises the level, which
    // marks this escalation TIMED_OUT and removes the approval: nothing runs on an undelivered answer.
    if (!isExpiredTaskError(error)) throw error;
    await recordTimedOut(deps, decided);
    await deps.events.announce([escalationEvent('escalation.timed_out', decided, deps.clock())]);
    throw expired(item);
  }
  const type = decided.status === 'APPROVED' ? 'escalation.approved' : 'escalation.rejected';
  await deps.events.announce([escalationEvent(type, decided, decided.decidedAt ?? now)]);
  return escalationView(decided);
}

/** Step 1, shared with `GET /v1/escalations/{id}`: the tenant's escalation, else 404 escalation_not_found. */
export async function requireTenantEscalation(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  escalationId: string,
): Promise<EscalationItem> {
  const item = await getTenantEscalation(client, table, tenantId, escalationId);
  if (!item) {
    throw notFound(
      'escalation_not_found',
      `escalation "${escalationId}" does not exist`,
      'pathParameters.id',
    );
  }
  return item;
}

/** Step 5: the item and the step record the answer together, or neither does. Returns the decided item. */
async function recordReview(
  deps: ReviewDependencies,
  item: EscalationItem,
  request: ReviewRequest,
  decidedAt: string,
): Promise<EscalationItem> {
  const { verdict } = request;
  const to: EscalationStatus = verdict.kind === 'approve' ? 'APPROVED' : 'REJECTED';
  const review: ReviewRecord = {
    decidedAt,
    reviewer: request.reviewer,
    reviewerLevel: request.reviewerLevel,
    ...(verdict.kind === 'reject' ? { reason: verdict.reason } : {}),
    ...(verdict.kind === 'approve' && verdict.comment !== undefined ? { comment: verdict.comment } : {}),
  };
  const approval: StepApproval = {
    escalationId: item.escalationId,
    level: item.level,
    reviewer: review.reviewer,
    reviewerLevel: review.reviewerLevel,
    approvedAt: decidedAt,
    ...(review.comment === undefined ? {} : { comment: review.comment }),
  };
  const transaction: TransactWriteCommandInput = {
    TransactItems: [
      escalationStatusUpdate(deps.tables.escalations, {
        escalationId: item.escalationId,
        tenantId: item.tenantId,
        from: 'PENDING',
        to,
        updatedAt: decidedAt,
        review,
      }),
      stepReviewedUpdate(
        deps.tables.workflows,
        { ...item, updatedAt: decidedAt },
        verdict.kind === 'approve' ? { approval } : { rejected: true },
      ),
    ],
  };
  try {
    await deps.client.send(new TransactWriteCommand(transaction));
  } catch (error) {
    // Between the read and this write the SLA raised the level, another reviewer answered, or the workflow
    // ended: the escalation no longer waits for this answer.
    if (itemCancellation(error, ESCALATION_ITEM) === 'condition_failed') {
      const current = await getTenantEscalation(
        deps.client,
        deps.tables.escalations,
        item.tenantId,
        item.escalationId,
      );
      throw notPending(item, current?.status ?? 'TIMED_OUT');
    }
    if (itemCancellation(error, WORKFLOW_ITEM) === 'condition_failed') throw notPending(item, 'PENDING');
    throw error;
  }
  return {
    ...item,
    ...review,
    status: to,
    tenantStatus: tenantStatusKey(item.tenantId, to),
    updatedAt: decidedAt,
  };
}

/** Step 6: the waiting task gets the answer, the approval as its output or the rejection as its error. */
async function answerTask(
  tasks: TaskResponder,
  decided: EscalationItem,
  request: ReviewRequest,
): Promise<void> {
  if (request.verdict.kind === 'approve') {
    await tasks.succeed(decided.taskToken, {
      escalationId: decided.escalationId,
      level: decided.level,
      approved: true,
      reviewer: request.reviewer,
      reviewerLevel: request.reviewerLevel,
    });
    return;
  }
  await tasks.fail(
    decided.taskToken,
    GATE_ERROR_NAMES.escalationRejected,
    `escalation ${decided.escalationId} rejected at level ${decided.level} by ${request.reviewer}: ${request.verdict.reason}`,
  );
}

/**
 * The task no longer waits: the answer just recorded did not reach it. The item and the step's escalation
 * become TIMED_OUT and the approval goes, in one transaction where both still apply. When the state machine
 * got there first on one side (its raise already marked the item, or already moved the step to the next
 * level), the other side is corrected alone. The late answer's reviewer and decidedAt stay on the item: a
 * record of who answered, and when, after the task had stopped waiting.
 */
async function recordTimedOut(deps: ReviewDependencies, decided: EscalationItem): Promise<void> {
  const updatedAt = new Date(deps.clock()).toISOString();
  const writes = [
    escalationStatusUpdate(deps.tables.escalations, {
      escalationId: decided.escalationId,
      tenantId: decided.tenantId,
      from: decided.status,
      to: 'TIMED_OUT',
      updatedAt,
    }),
    stepEscalationTimedOutUpdate(deps.tables.workflows, { ...decided, updatedAt }, { requireRunning: false }),
  ];
  try {
    await deps.client.send(new TransactWriteCommand({ TransactItems: writes }));
  } catch (error) {
    const lost = writes.map((_, index) => itemCancellation(error, index) === 'condition_failed');
    if (!lost.some(Boolean)) throw error;
    for (const [index, write] of writes.entries()) {
      if (!lost[index]) await updateUnlessMovedOn(deps.client, write);
    }
  }
}

async function updateUnlessMovedOn(client: DynamoDBDocumentClient, write: TransactWriteItem): Promise<void> {
  try {
    await client.send(new UpdateCommand(write.Update as UpdateCommandInput));
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

function notPending(item: EscalationItem, status: EscalationStatus): ApiError {
  const message =
    status === 'PENDING'
      ? `escalation "${item.escalationId}" no longer holds its workflow step`
      : `escalation "${item.escalationId}" is ${status}, not PENDING`;
  return new ApiError(409, 'escalation_not_pending', message, [{ field: 'status', message: status }]);
}

function expired(item: EscalationItem): ApiError {
  return new ApiError(
    409,
    'escalation_expired',
    `escalation "${item.escalationId}" expired at ${item.deadline}`,
    [{ field: 'deadline', message: `passed at ${item.deadline}` }],
  );
}
