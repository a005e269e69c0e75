// The `Decompose` state of the parallel flow (docs/backend.md "Functions of the flows", decompose): writes
// every step's `subtask` (decompose-task.ts) in one Update conditioned on the workflow being RUNNING, so
// the sub-tasks are there all together or not at all. decomposeTask is deterministic, so a retried
// invocation writes the same values again: it is idempotent without a separate check.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { stepInvalid } from '../gate/gate-errors.ts';
import { decomposeTask } from './decompose-task.ts';
import { FLOW_WORKFLOW_FIELDS } from './flow-input.ts';
import { readFlowWorkflow, requireRunning } from './flow-workflow.ts';

export const DecomposeWorkflowInputSchema = z.strictObject(FLOW_WORKFLOW_FIELDS);

export type DecomposeWorkflowInput = z.output<typeof DecomposeWorkflowInputSchema>;

export interface DecomposeOutcome {
  /** How many sub-tasks were written: one per step. */
  subtasks: number;
}

export interface DecomposeDependencies {
  client: DynamoDBDocumentClient;
  tables: { workflows: string };
  /** Epoch milliseconds. */
  clock: () => number;
}

export async function decomposeWorkflow(
  deps: DecomposeDependencies,
  input: DecomposeWorkflowInput,
): Promise<DecomposeOutcome> {
  const workflow = await readFlowWorkflow(deps, input);
  requireRunning(workflow);
  if (workflow.type !== 'parallel') {
    throw stepInvalid(
      `workflow "${workflow.workflowId}" is ${workflow.type}; only a parallel one is decomposed`,
    );
  }
  const given = workflow.input.subtasks;
  if (given !== undefined && given.length !== workflow.steps.length) {
    throw stepInvalid(
      `workflow "${workflow.workflowId}" has ${given.length} input.subtasks for ${workflow.steps.length} steps`,
    );
  }
  const subtasks = decomposeTask(workflow.input.task, workflow.steps, given);

  const values: Record<string, unknown> = {
    ':updatedAt': new Date(deps.clock()).toISOString(),
    ':running': 'RUNNING',
    ':tenantId': input.tenantId,
  };
  const assignments = subtasks.map((subtask, index) => {
    values[`:subtask${index}`] = subtask;
    return `steps[${index}].subtask = :subtask${index}`;
  });
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tables.workflows,
        Key: { workflowId: input.workflowId },
        UpdateExpression: `SET ${assignments.join(', ')}, updatedAt = :updatedAt`,
        ConditionExpression: 'tenantId = :tenantId AND #status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw stepInvalid(`workflow "${input.workflowId}" left RUNNING before its sub-tasks were written`);
    }
    // A long task copied into every step (rule 3) can outgrow DynamoDB's 400 KB item (or, with many steps,
    // the size DynamoDB allows one update expression): a run that can never be decomposed, so it fails as
    // invalid with the reason rather than as a bare service error.
    if (isItemTooLarge(error)) {
      throw stepInvalid(
        `the ${subtasks.length} sub-tasks of workflow "${input.workflowId}" do not fit in the workflow item ` +
          '(400 KB); give shorter input.subtasks or fewer steps',
      );
    }
    throw error;
  }
  return { subtasks: subtasks.length };
}

function isItemTooLarge(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ValidationException' &&
    /(item|expression) size/i.test(error.message)
  );
}
