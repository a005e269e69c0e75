// The end of a workflow, invoked by the state machine once (Finish or RecordFailure):
//   SUCCEEDED  result = the last step's output
//   FAILED     error = { code, message, step } from the caught error; the failed step is marked FAILED
// Either way the proofs of the steps that succeeded are sealed into one Merkle batch (SPEC §3 L4): the
// tree over their result hashes in step order, each proof item given batchId, leafIndex, merkleRoot and
// merklePath. A failed workflow's completed steps did run, so their proofs are sealed as well.
//
// Everything is one TransactWriteItems conditioned on the workflow still being RUNNING, so a retried
// invocation finds the work done and answers with the recorded outcome: nothing is sealed twice.
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { buildMerkleTree, merklePath } from '../../core/proofs/merkle-tree.ts';
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { ProofSeal } from '../../data/proofs-repository.ts';
import { itemCancellation } from '../gate/transaction-cancellation.ts';
import { workflowError } from './workflow-error.ts';
import type { StepState, WorkflowError, WorkflowItem, WorkflowStatus } from './workflow-item.ts';
import { getTenantWorkflow, workflowFailedUpdate } from './workflows-repository.ts';

export const FinishWorkflowInputSchema = z
  .strictObject({
    workflowId: z.string().min(1),
    tenantId: z.string().min(1),
    status: z.enum(['SUCCEEDED', 'FAILED']),
    error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
  })
  .refine((input) => input.status === 'SUCCEEDED' || input.error !== undefined, {
    message: 'a FAILED workflow needs the caught error',
    path: ['error'],
  });

export type FinishWorkflowInput = z.output<typeof FinishWorkflowInputSchema>;

export interface FinishDependencies {
  client: DynamoDBDocumentClient;
  tables: { workflows: string; proofs: string };
  /** Epoch milliseconds. */
  clock: () => number;
}

export interface FinishOutcome {
  workflowId: string;
  status: WorkflowStatus;
  /** The Merkle root of the workflow's proofs; absent when no step produced one. */
  merkleRoot?: string;
  error?: WorkflowError;
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
  if (workflow.status !== 'RUNNING') return recordedOutcome(workflow);

  const updatedAt = new Date(deps.clock()).toISOString();
  const proven = workflow.steps.filter((step) => step.status === 'SUCCEEDED' && step.proofHash !== undefined);
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
  const ending =
    input.status === 'SUCCEEDED'
      ? succeededWrite(deps.tables.workflows, workflow, updatedAt)
      : failedWrite(deps.tables.workflows, workflow, input.error!, updatedAt);
  const transaction: TransactWriteCommandInput = { TransactItems: [ending.write, ...seals] };
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
    return recordedOutcome(recorded!);
  }
  return {
    workflowId: workflow.workflowId,
    status: input.status,
    ...(tree ? { merkleRoot: tree.root } : {}),
    ...(ending.error ? { error: ending.error } : {}),
  };
}

function recordedOutcome(workflow: WorkflowItem): FinishOutcome {
  return {
    workflowId: workflow.workflowId,
    status: workflow.status,
    ...(workflow.error ? { error: workflow.error } : {}),
  };
}

function succeededWrite(
  table: string,
  workflow: WorkflowItem,
  updatedAt: string,
): { write: TransactWriteItem; error?: undefined } {
  const lastOutput = workflow.steps.at(-1)?.output;
  return {
    write: {
      Update: {
        TableName: table,
        Key: { workflowId: workflow.workflowId },
        UpdateExpression: 'SET #status = :succeeded, #result = :result, updatedAt = :updatedAt',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
        ExpressionAttributeValues: {
          ':succeeded': 'SUCCEEDED',
          ':running': 'RUNNING',
          ':result': lastOutput ?? null,
          ':updatedAt': updatedAt,
        },
      },
    },
  };
}

function failedWrite(
  table: string,
  workflow: WorkflowItem,
  caught: { Error: string; Cause?: string },
  updatedAt: string,
): { write: TransactWriteItem; error: WorkflowError } {
  // Steps run in order, so the failed one is the first that did not succeed; none when every step had
  // succeeded and the failure came after them.
  const failedIndex = workflow.steps.findIndex((step: StepState) => step.status !== 'SUCCEEDED');
  const failedStep = failedIndex < 0 ? undefined : workflow.steps[failedIndex];
  const error = workflowError(caught, failedStep?.name);
  return {
    error,
    write: {
      Update: workflowFailedUpdate(
        table,
        workflow.workflowId,
        error,
        updatedAt,
        failedIndex < 0 ? undefined : failedIndex,
      ),
    },
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
