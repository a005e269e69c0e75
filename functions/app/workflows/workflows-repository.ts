// WorkflowsTable access for the workflows API (item shape: workflow-item.ts). Tenancy is checked here on
// read: a workflow of another tenant is reported as absent, so no route can tell it exists.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { WorkflowError, WorkflowItem } from './workflow-item.ts';

export async function createWorkflow(
  client: DynamoDBDocumentClient,
  table: string,
  item: WorkflowItem,
): Promise<void> {
  await client.send(
    new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(workflowId)' }),
  );
}

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

/**
 * The RUNNING → FAILED update, optionally marking the failed step: sent alone when a start fails, or inside
 * the finish transaction. Conditioned on RUNNING, so a workflow is failed (or finished) only once.
 */
export function workflowFailedUpdate(
  table: string,
  workflowId: string,
  error: WorkflowError,
  updatedAt: string,
  failedStepIndex?: number,
): NonNullable<TransactWriteItem['Update']> {
  const markStep = failedStepIndex === undefined ? '' : `, steps[${failedStepIndex}].#status = :failed`;
  return {
    TableName: table,
    Key: { workflowId },
    UpdateExpression: `SET #status = :failed, #error = :error, updatedAt = :updatedAt${markStep}`,
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
    ExpressionAttributeValues: {
      ':failed': 'FAILED',
      ':running': 'RUNNING',
      ':error': error,
      ':updatedAt': updatedAt,
    },
  };
}

/** RUNNING → FAILED with the error; false when the workflow had already left RUNNING. */
export async function failRunningWorkflow(
  client: DynamoDBDocumentClient,
  table: string,
  workflowId: string,
  error: WorkflowError,
  updatedAt: string,
): Promise<boolean> {
  try {
    await client.send(new UpdateCommand(workflowFailedUpdate(table, workflowId, error, updatedAt)));
    return true;
  } catch (caught) {
    if (caught instanceof ConditionalCheckFailedException) return false;
    throw caught;
  }
}
