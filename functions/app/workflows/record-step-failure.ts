// The `StepFailed` state of the gated step (docs/backend.md "Functions of the flows", record-step-failure):
// marks the step FAILED with `error { code, message }` from what the state machine's Catch caught
// (workflow-error.ts), before the flow either fails or, for an aggregating parallel workflow, records a gap.
//
// The Update is conditioned on the workflow being RUNNING and the step not SUCCEEDED: a finished workflow
// or a step that did succeed is never rewritten. When the condition does not hold, the answer is the same
// and nothing is written, so a retried invocation never fails the failure path itself.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { FLOW_WORKFLOW_FIELDS } from './flow-input.ts';
import { flowStep, readFlowWorkflow } from './flow-workflow.ts';
import { workflowErrorCode, workflowErrorMessage } from './workflow-error.ts';
import type { StepFailure } from './workflow-item.ts';

export const RecordStepFailureInputSchema = z.strictObject({
  ...FLOW_WORKFLOW_FIELDS,
  stepIndex: z.int().min(0),
  // The Catch's output as Step Functions shapes it; not strict, so a field it may add cannot break the
  // failure path.
  error: z.object({ Error: z.string().min(1), Cause: z.string().optional() }),
});

export type RecordStepFailureInput = z.output<typeof RecordStepFailureInputSchema>;

export interface RecordStepFailureOutcome {
  stepIndex: number;
  code: string;
}

export interface RecordStepFailureDependencies {
  client: DynamoDBDocumentClient;
  tables: { workflows: string };
  /** Epoch milliseconds. */
  clock: () => number;
}

export async function recordStepFailure(
  deps: RecordStepFailureDependencies,
  input: RecordStepFailureInput,
): Promise<RecordStepFailureOutcome> {
  // Read first so that an unknown workflow or step index is named instead of written: an Update alone
  // would create an item for an unknown key and cannot tell an out-of-range index from a finished step.
  const workflow = await readFlowWorkflow(deps, input);
  const step = flowStep(workflow, input.stepIndex);
  const failure: StepFailure = {
    code: workflowErrorCode(input.error.Error),
    message: workflowErrorMessage(input.error.Cause),
  };
  const outcome = { stepIndex: input.stepIndex, code: failure.code };
  if (workflow.status !== 'RUNNING' || step.status === 'SUCCEEDED') return outcome;

  const path = `steps[${input.stepIndex}]`;
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tables.workflows,
        Key: { workflowId: input.workflowId },
        UpdateExpression: `SET ${path}.#status = :failed, ${path}.#error = :error, updatedAt = :updatedAt`,
        ConditionExpression: `tenantId = :tenantId AND #status = :running AND ${path}.#status <> :succeeded`,
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: {
          ':failed': 'FAILED',
          ':error': failure,
          ':updatedAt': new Date(deps.clock()).toISOString(),
          ':tenantId': input.tenantId,
          ':running': 'RUNNING',
          ':succeeded': 'SUCCEEDED',
        },
      }),
    );
  } catch (error) {
    // Finished or succeeded between the read and the write: as above, nothing to record.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return outcome;
}
