// The escalate function (docs/backend.md "Functions of the flows"): the state machine's AwaitApproval task
// invokes it with a task token and then waits, up to the SLA, for a reviewer's answer through the
// escalations API (review-escalation.ts).
//
//   open   the gate answered ESCALATE: a PENDING escalation at the decision's authority level
//          (EscalationRefused when that level is above the workflow's maxLevel)
//   raise  the SLA expired: the current escalation is TIMED_OUT and a new one opens at level + 1; at
//          maxLevel there is no higher authority, so the step fails closed (EscalationTimedOut: timeout = deny)
//
// Each outcome is one TransactWriteItems: the escalation item(s) and the step's `escalation` together.
// Retries are idempotent. An open retry derives the same escalationId (escalation-id.ts) and rewrites the
// still-PENDING item with the retry's token; a raise retry is recognised by its task token on the step's
// current escalation (each AwaitApproval entry gets a new token), so it refreshes that one instead of
// raising twice. An escalation a reviewer already answered is never rewritten: its outcome is reported.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { MAX_AUTHORITY_LEVEL, MIN_AUTHORITY_LEVEL } from '../../core/policy/authority-level.ts';
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { EventAnnouncer } from '../../events/event-announcer.ts';
import { GATE_ERROR_NAMES, GateError, stepInvalid } from '../gate/gate-errors.ts';
import { itemCancellation } from '../gate/transaction-cancellation.ts';
import { flowStep, readFlowWorkflow, requireRunning } from '../workflows/flow-workflow.ts';
import type { StepEscalation, StepState, WorkflowItem } from '../workflows/workflow-item.ts';
import { escalationEvent } from './escalation-events.ts';
import { escalationIdFor } from './escalation-id.ts';
import { type EscalationItem, tenantStatusKey } from './escalation-item.ts';
import { escalationStatusUpdate, pendingEscalationPut } from './escalation-writes.ts';
import { getEscalation } from './escalations-repository.ts';
import { stepAwaitingApprovalUpdate, stepEscalationTimedOutUpdate } from './step-escalation-writes.ts';

export const EscalateInputSchema = z.strictObject({
  workflowId: z.string().min(1).max(128),
  tenantId: z.string().min(1).max(64),
  stepIndex: z.int().min(0),
  mode: z.enum(['open', 'raise']),
  slaSeconds: z.int().min(1),
  maxLevel: z.int().min(MIN_AUTHORITY_LEVEL).max(MAX_AUTHORITY_LEVEL),
  taskToken: z.string().min(1),
  /**
   * When the waiting state was entered (`$$.State.EnteredTime`): Step Functions starts the SLA's timeout
   * there, before this function runs (a cold start can take seconds), so the recorded deadline counts from
   * it too and never promises a reviewer more time than the state machine gives. Absent → now.
   */
  enteredAt: z.iso.datetime({ offset: true }).optional(),
});

export type EscalateInput = z.output<typeof EscalateInputSchema>;

export interface EscalateDependencies {
  client: DynamoDBDocumentClient;
  tables: { workflows: string; escalations: string };
  /** Epoch milliseconds. */
  clock: () => number;
  /** escalation.created / escalation.timed_out, once written. */
  events: EventAnnouncer;
}

/** The function's answer (the task's own output is whatever the reviewer's answer sends). */
export interface OpenedEscalation {
  escalationId: string;
  level: number;
  deadline: string;
}

// A reviewer's answer racing this write cancels it with TransactionConflict; reading again settles it.
const MAX_ATTEMPTS = 3;

export async function escalateStep(
  deps: EscalateDependencies,
  input: EscalateInput,
): Promise<OpenedEscalation> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await escalateOnce(deps, input);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isTransactionConflict(error)) throw error;
    }
  }
}

/** The step's escalation as the item and the step will both hold it, once written. */
interface PendingEscalation {
  item: EscalationItem;
  stepEscalation: StepEscalation;
}

async function escalateOnce(deps: EscalateDependencies, input: EscalateInput): Promise<OpenedEscalation> {
  const { workflow, step, intentId } = await escalatedStep(deps, input);
  const now = deps.clock();
  if (input.mode === 'open') {
    const level = step.authorityLevel;
    if (level === undefined) {
      throw notEscalatable(input, 'its ESCALATE decision names no authority level');
    }
    if (level > input.maxLevel) {
      throw new GateError(
        GATE_ERROR_NAMES.escalationRefused,
        `step "${step.name}" needs a reviewer of authority level ${level}, above this workflow's maximum level ${input.maxLevel}`,
      );
    }
    const escalationId = escalationIdFor({ ...input, intentId, level });
    // A retried invocation finds its own item behind the step: it keeps the item's creation time.
    const earlier =
      step.escalation?.escalationId === escalationId
        ? await getEscalation(deps.client, deps.tables.escalations, escalationId)
        : undefined;
    const pending = pendingEscalation(workflow, step, input, { escalationId, level, now, earlier });
    return writePending(deps, input, pending, []);
  }

  const current = step.escalation;
  if (current === undefined) throw notEscalatable(input, 'it has no escalation to raise');
  const currentItem = await getEscalation(deps.client, deps.tables.escalations, current.escalationId);
  if (currentItem === undefined) {
    throw notEscalatable(input, `its escalation "${current.escalationId}" does not exist`);
  }
  if (currentItem.taskToken === input.taskToken) {
    // This very invocation already raised the level: refresh what it wrote rather than raising again.
    const pending = pendingEscalation(workflow, step, input, {
      escalationId: currentItem.escalationId,
      level: currentItem.level,
      now,
      earlier: currentItem,
    });
    return writePending(deps, input, pending, []);
  }

  const updatedAt = new Date(now).toISOString();
  const timedOut = escalationStatusUpdate(deps.tables.escalations, {
    escalationId: current.escalationId,
    tenantId: input.tenantId,
    to: 'TIMED_OUT',
    updatedAt,
  });
  if (current.level >= input.maxLevel) {
    const stepTimedOut = stepEscalationTimedOutUpdate(
      deps.tables.workflows,
      { ...input, escalationId: current.escalationId, updatedAt },
      { requireRunning: true },
    );
    try {
      await deps.client.send(new TransactWriteCommand({ TransactItems: [timedOut, stepTimedOut] }));
    } catch (error) {
      if (itemCancellation(error, 1) === 'condition_failed') {
        throw notEscalatable(input, 'the workflow is no longer running or the step moved on');
      }
      throw error;
    }
    await deps.events.announce([escalationEvent('escalation.timed_out', currentItem, now)]);
    const firstLevel = Math.min(step.authorityLevel ?? current.level, current.level);
    const levels = Array.from({ length: current.level - firstLevel + 1 }, (_, index) => firstLevel + index);
    throw new GateError(
      GATE_ERROR_NAMES.escalationTimedOut,
      `no reviewer answered within the SLA at levels ${levels.join(', ')}; timeout = deny`,
    );
  }
  const level = current.level + 1;
  const escalationId = escalationIdFor({ ...input, intentId, level });
  const pending = pendingEscalation(workflow, step, input, { escalationId, level, now });
  return writePending(deps, input, pending, [timedOut], currentItem);
}

/** The workflow and its escalated step, or StepInvalid naming what is wrong with them. */
async function escalatedStep(
  deps: EscalateDependencies,
  input: EscalateInput,
): Promise<{ workflow: WorkflowItem; step: StepState; intentId: string }> {
  const workflow = await readFlowWorkflow(deps, input);
  requireRunning(workflow);
  const step = flowStep(workflow, input.stepIndex);
  if (step.decision !== 'ESCALATE') {
    throw notEscalatable(input, `its decision is ${step.decision ?? 'not recorded'}, not ESCALATE`);
  }
  if (step.intentId === undefined || step.agentId === undefined) {
    throw notEscalatable(input, 'its decision names no intent or agent');
  }
  return { workflow, step, intentId: step.intentId };
}

function pendingEscalation(
  workflow: WorkflowItem,
  step: StepState,
  input: EscalateInput,
  at: { escalationId: string; level: number; now: number; earlier?: EscalationItem },
): PendingEscalation {
  const timestamp = new Date(at.now).toISOString();
  const slaStart = input.enteredAt === undefined ? at.now : Math.min(at.now, Date.parse(input.enteredAt));
  const deadline = new Date(slaStart + input.slaSeconds * 1000).toISOString();
  const item: EscalationItem = {
    escalationId: at.escalationId,
    tenantId: workflow.tenantId,
    tenantStatus: tenantStatusKey(workflow.tenantId, 'PENDING'),
    workflowId: workflow.workflowId,
    stepIndex: input.stepIndex,
    step: step.name,
    agentId: step.agentId!,
    intent: step.intent,
    requiredTier: step.requiredTier,
    ...(step.agentTier === undefined ? {} : { agentTier: step.agentTier }),
    reasons: step.reasons ?? [],
    level: at.level,
    maxLevel: input.maxLevel,
    slaSeconds: input.slaSeconds,
    deadline,
    status: 'PENDING',
    taskToken: input.taskToken,
    createdAt: at.earlier?.createdAt ?? timestamp,
    updatedAt: timestamp,
  };
  return {
    item,
    stepEscalation: { escalationId: at.escalationId, level: at.level, deadline, status: 'PENDING' },
  };
}

// The new escalation's Put is always the first item of the transaction.
const PENDING_PUT = 0;

async function writePending(
  deps: EscalateDependencies,
  input: EscalateInput,
  pending: PendingEscalation,
  extraItems: TransactWriteItem[],
  replaced?: EscalationItem,
): Promise<OpenedEscalation> {
  const stepUpdate = stepAwaitingApprovalUpdate(
    deps.tables.workflows,
    { workflowId: input.workflowId, stepIndex: input.stepIndex, updatedAt: pending.item.updatedAt },
    pending.stepEscalation,
    replaced?.escalationId,
  );
  const transaction: TransactWriteCommandInput = {
    TransactItems: [pendingEscalationPut(deps.tables.escalations, pending.item), ...extraItems, stepUpdate],
  };
  try {
    await deps.client.send(new TransactWriteCommand(transaction));
  } catch (error) {
    if (itemCancellation(error, PENDING_PUT) === 'condition_failed') {
      // A reviewer answered this escalation already; the task has its answer, nothing is reopened.
      const answered = await getEscalation(deps.client, deps.tables.escalations, pending.item.escalationId);
      if (answered) return opened(answered);
    }
    if (itemCancellation(error, transaction.TransactItems!.length - 1) === 'condition_failed') {
      throw notEscalatable(input, 'the workflow is no longer running or the step moved on');
    }
    throw error;
  }
  const at = Date.parse(pending.item.updatedAt);
  await deps.events.announce([
    ...(replaced ? [escalationEvent('escalation.timed_out', replaced, at)] : []),
    escalationEvent('escalation.created', pending.item, at),
  ]);
  return opened(pending.item);
}

function opened(item: EscalationItem): OpenedEscalation {
  return { escalationId: item.escalationId, level: item.level, deadline: item.deadline };
}

function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  return (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
}

function notEscalatable(input: EscalateInput, why: string): GateError {
  return stepInvalid(`step ${input.stepIndex} of workflow "${input.workflowId}" cannot be escalated: ${why}`);
}
