// The end of a workflow, invoked by the state machine once (Finish / Aggregate, RecordFailure,
// RecordCompensated):
//   SUCCEEDED    result = the last step's output; for a parallel workflow the aggregate of its sub-tasks
//                (aggregate-subtasks.ts) with `gaps`, or FAILED `all_subtasks_failed` when none succeeded
//   FAILED       error = { code, message, step } from the caught error; the failed step is marked FAILED
//   COMPENSATED  a saga whose succeeded steps were undone: error as for FAILED, naming the failed step
// Either way the proofs of the steps that ran are sealed into one Merkle batch (SPEC §3 L4): the tree over
// their result hashes in step order, each proof item given batchId, leafIndex, merkleRoot and merklePath.
// A step ran when it SUCCEEDED, or was COMPENSATED afterwards: undoing its effect does not make its
// recorded output untrue, so its proof stays valid and is sealed as well.
//
// Everything is one TransactWriteItems conditioned on the workflow still being RUNNING, so a retried
// invocation finds the work done and answers with the recorded outcome: nothing is sealed twice, and the
// tenant's open-workflow slot (workflow-queue.ts) is given back exactly once.
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { buildMerkleTree, merklePath } from '../../core/proofs/merkle-tree.ts';
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { ProofSeal } from '../../data/proofs-repository.ts';
import type { EventAnnouncer } from '../../events/event-announcer.ts';
import { itemCancellation } from '../gate/transaction-cancellation.ts';
import { aggregateSubtasks } from './aggregate-subtasks.ts';
import { failedStepIndex, workflowError } from './workflow-error.ts';
import { workflowEndedEvents } from './workflow-events.ts';
import type { StepState, WorkflowError, WorkflowItem, WorkflowStatus } from './workflow-item.ts';
import { releaseQueueSlot } from './workflow-queue.ts';
import { getTenantWorkflow, type WorkflowEnding, workflowEndedUpdate } from './workflows-repository.ts';

export const FinishWorkflowInputSchema = z
  .strictObject({
    workflowId: z.string().min(1),
    tenantId: z.string().min(1),
    status: z.enum(['SUCCEEDED', 'FAILED', 'COMPENSATED']),
    error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
  })
  .refine((input) => input.status === 'SUCCEEDED' || input.error !== undefined, {
    message: 'a FAILED or COMPENSATED workflow needs the caught error',
    path: ['error'],
  });

export type FinishWorkflowInput = z.output<typeof FinishWorkflowInputSchema>;

export interface FinishDependencies {
  client: DynamoDBDocumentClient;
  /** gateState: where the tenant's open-workflow count is. */
  tables: { workflows: string; proofs: string; gateState: string };
  /** Epoch milliseconds. */
  clock: () => number;
  /** workflow.completed / workflow.failed and proof.batched, once recorded. */
  events: EventAnnouncer;
}

export interface FinishOutcome {
  workflowId: string;
  status: WorkflowStatus;
  /** The Merkle root of the workflow's proofs; absent when no step produced one. */
  merkleRoot?: string;
  error?: WorkflowError;
  /** Parallel SUCCEEDED: the sub-tasks that left a gap in the result. */
  gaps?: string[];
}

export class WorkflowNotFoundError extends Error {
  override readonly name = 'WorkflowNotFoundError';
}

// The workflow update goes first in the transaction; the proof seals follow it.
const WORKFLOW_ITEM = 0;

export async function finishWorkflow(
  deps: FinishDependencies,
  input: FinishWorkflowInput,
): Promise<FinishOutcome> {
  const workflow = await getTenantWorkflow(
    deps.client,
    deps.tables.workflows,
    input.tenantId,
    input.workflowId,
  );
  if (!workflow) {
    throw new WorkflowNotFoundError(
      `workflow "${input.workflowId}" does not exist in tenant "${input.tenantId}"`,
    );
  }
  if (workflow.status !== 'RUNNING') return announceRecorded(deps, workflow);

  const updatedAt = new Date(deps.clock()).toISOString();
  const proven = workflow.steps.filter(ranWithProof);
  const tree = proven.length === 0 ? undefined : buildMerkleTree(proven.map((step) => step.proofHash!));
  const seals = tree
    ? proven.map((step, leafIndex) =>
        sealWrite(deps.tables.proofs, step.proofHash!, {
          batchId: workflow.workflowId,
          leafIndex,
          merkleRoot: tree.root,
          merklePath: merklePath(tree, leafIndex),
        }),
      )
    : [];
  const ending = workflowEnding(workflow, input);
  const write: TransactWriteItem = {
    Update: workflowEndedUpdate(deps.tables.workflows, workflow.workflowId, ending, updatedAt),
  };
  const release = workflow.holdsQueueSlot ? [releaseQueueSlot(deps.tables.gateState, workflow.tenantId)] : [];
  const transaction: TransactWriteCommandInput = { TransactItems: [write, ...seals, ...release] };
  try {
    await deps.client.send(new TransactWriteCommand(transaction));
  } catch (error) {
    // Another invocation finished the workflow first: its outcome is the one on record.
    if (itemCancellation(error, WORKFLOW_ITEM) !== 'condition_failed') throw error;
    const recorded = await getTenantWorkflow(
      deps.client,
      deps.tables.workflows,
      input.tenantId,
      input.workflowId,
    );
    return announceRecorded(deps, recorded!);
  }
  await deps.events.announce(
    workflowEndedEvents(workflow, {
      status: ending.status,
      ...(ending.error ? { error: ending.error } : {}),
      endedAt: updatedAt,
      ...(tree ? { batch: { merkleRoot: tree.root, leaves: proven.length } } : {}),
    }),
  );
  return {
    workflowId: workflow.workflowId,
    status: ending.status,
    ...(tree ? { merkleRoot: tree.root } : {}),
    ...(ending.error ? { error: ending.error } : {}),
    ...(ending.gaps ? { gaps: ending.gaps } : {}),
  };
}

/**
 * A finish that found the workflow already ended (a retried invocation) announces that end again, with the
 * same event ids: the earlier invocation may have failed between recording and announcing.
 */
async function announceRecorded(deps: FinishDependencies, workflow: WorkflowItem): Promise<FinishOutcome> {
  if (workflow.status !== 'RUNNING') {
    const proven = workflow.steps.filter(ranWithProof);
    const root =
      proven.length === 0 ? undefined : buildMerkleTree(proven.map((step) => step.proofHash!)).root;
    await deps.events.announce(
      workflowEndedEvents(workflow, {
        status: workflow.status,
        ...(workflow.error ? { error: workflow.error } : {}),
        endedAt: workflow.updatedAt,
        ...(root ? { batch: { merkleRoot: root, leaves: proven.length } } : {}),
      }),
    );
  }
  return recordedOutcome(workflow);
}

function recordedOutcome(workflow: WorkflowItem): FinishOutcome {
  return {
    workflowId: workflow.workflowId,
    status: workflow.status,
    ...(workflow.error ? { error: workflow.error } : {}),
    ...(workflow.gaps ? { gaps: workflow.gaps } : {}),
  };
}

function ranWithProof(step: StepState): boolean {
  return (step.status === 'SUCCEEDED' || step.status === 'COMPENSATED') && step.proofHash !== undefined;
}

/** What the finish records, from the workflow as read and the status the state machine asked for. */
function workflowEnding(workflow: WorkflowItem, input: FinishWorkflowInput): WorkflowEnding {
  if (input.status === 'SUCCEEDED') {
    if (workflow.type !== 'parallel') {
      return { status: 'SUCCEEDED', result: workflow.steps.at(-1)?.output ?? null };
    }
    const aggregate = aggregateSubtasks(workflow.steps);
    return aggregate.outcome === 'aggregated'
      ? { status: 'SUCCEEDED', result: aggregate.result, gaps: aggregate.gaps }
      : { status: 'FAILED', error: aggregate.error };
  }
  // FAILED or COMPENSATED: the schema requires the caught error for both. No failed step when every step
  // had succeeded and the failure came after them.
  const index = failedStepIndex(workflow.steps);
  const failedStep = index < 0 ? undefined : workflow.steps[index];
  return {
    status: input.status,
    error: workflowError(input.error!, failedStep?.name),
    ...(index < 0 ? {} : { failedStepIndex: index }),
  };
}

function sealWrite(table: string, resultHash: string, seal: ProofSeal): TransactWriteItem {
  return {
    Update: {
      TableName: table,
      Key: { resultHash },
      UpdateExpression:
        'SET batchId = :batchId, leafIndex = :leafIndex, merkleRoot = :merkleRoot, merklePath = :merklePath',
      ConditionExpression: 'attribute_exists(resultHash)',
      ExpressionAttributeValues: {
        ':batchId': seal.batchId,
        ':leafIndex': seal.leafIndex,
        ':merkleRoot': seal.merkleRoot,
        ':merklePath': seal.merklePath,
      },
    },
  };
}
