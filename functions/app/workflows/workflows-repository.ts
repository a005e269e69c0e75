// WorkflowsTable access for the workflows API and the flows' functions (item shape: workflow-item.ts).
// Tenancy is checked here on read: a workflow of another tenant is reported as absent, so no route can
// tell it exists.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { WorkflowError, WorkflowItem, WorkflowStatus } from './workflow-item.ts';

export async function getTenantWorkflow(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  workflowId: string,
): Promise<WorkflowItem | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { workflowId }, ConsistentRead: true }),
  );
  const workflow = Item as WorkflowItem | undefined;
  return workflow?.tenantId === tenantId ? workflow : undefined;
}

/** How a RUNNING workflow ends: what finish records (docs/backend.md "Functions of the flows"). */
export interface WorkflowEnding {
  status: Exclude<WorkflowStatus, 'RUNNING'>;
  /** SUCCEEDED: the last step's output, or a parallel workflow's aggregate; null when there is none. */
  result?: string | null;
  /** Parallel SUCCEEDED: the names of the sub-tasks that left a gap in the result. */
  gaps?: string[];
  /** FAILED and COMPENSATED. */
  error?: WorkflowError;
  /** The step that failed: marked FAILED, given the workflow's error unless it recorded its own. */
  failedStepIndex?: number;
}

/**
 * The RUNNING → SUCCEEDED / FAILED / COMPENSATED update, in the transaction that gives the workflow's
 * queue slot back: the finish's, or the failed start's. Conditioned on RUNNING, so a workflow ends only once.
 */
export function workflowEndedUpdate(
  table: string,
  workflowId: string,
  ending: WorkflowEnding,
  updatedAt: string,
): NonNullable<TransactWriteItem['Update']> {
  const sets = ['#status = :ended', 'updatedAt = :updatedAt'];
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = {
    ':ended': ending.status,
    ':running': 'RUNNING',
    ':updatedAt': updatedAt,
  };
  if (ending.result !== undefined) {
    sets.push('#result = :result');
    names['#result'] = 'result';
    values[':result'] = ending.result;
  }
  if (ending.gaps !== undefined) {
    sets.push('#gaps = :gaps');
    names['#gaps'] = 'gaps';
    values[':gaps'] = ending.gaps;
  }
  if (ending.error !== undefined) {
    sets.push('#error = :error');
    names['#error'] = 'error';
    values[':error'] = ending.error;
  }
  if (ending.failedStepIndex !== undefined) {
    const step = `steps[${ending.failedStepIndex}]`;
    sets.push(`${step}.#status = :failed`);
    values[':failed'] = 'FAILED';
    if (ending.error !== undefined) {
      // record-step-failure's own error (the step's cause) is kept; a step failed only here gets the
      // workflow's, so the step never shows FAILED without a reason.
      sets.push(`${step}.#error = if_not_exists(${step}.#error, :stepError)`);
      values[':stepError'] = { code: ending.error.code, message: ending.error.message };
    }
  }
  return {
    TableName: table,
    Key: { workflowId },
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
