// For the tests of the flow functions (gate, route, decompose, record-step-failure, finish, the saga's):
// workflow items written directly with PutCommand as POST /v1/workflows would have left them (RUNNING,
// every step PENDING, the resolved `options`: the built-in defaults of docs/backend.md unless a test says
// otherwise), and the handlers invoked as the state machine invokes them.
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StepState, WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';

/** A handler of the flow, as the state machine invokes it. */
export type Invoke<TResult> = (event: unknown, context: typeof testLambdaContext) => Promise<TResult>;

export const DEFAULT_OPTIONS: WorkflowItem['options'] = {
  preference: 'cost',
  escalation: { slaSeconds: 3600, maxLevel: 3 },
  queue: { maxAttempts: 5, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 300 },
};

/** A role-routed step: research by role `general` at T3. */
export function roleStep(overrides: Partial<StepState> = {}): StepState {
  return {
    name: 'research',
    role: 'general',
    requiredTier: 'T3',
    intent: 'search_web',
    resource: { id: 'research', type: 'topic' },
    status: 'PENDING',
    ...overrides,
  };
}

export function flowWorkflowItem(tenantId: string, overrides: Partial<WorkflowItem> = {}): WorkflowItem {
  const timestamp = new Date(Date.now() - 60_000).toISOString();
  return {
    workflowId: randomUUID(),
    tenantId,
    type: 'sequential',
    input: { task: 'Write a report on AI trends' },
    options: DEFAULT_OPTIONS,
    steps: [roleStep()],
    status: 'RUNNING',
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:sequential:test',
    createdAt: timestamp,
    updatedAt: timestamp,
    ...overrides,
  };
}

export async function putWorkflow(
  client: DynamoDBDocumentClient,
  table: string,
  item: WorkflowItem,
): Promise<WorkflowItem> {
  await client.send(new PutCommand({ TableName: table, Item: item }));
  return item;
}

export async function storedWorkflow(
  client: DynamoDBDocumentClient,
  table: string,
  workflowId: string,
): Promise<WorkflowItem> {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { workflowId }, ConsistentRead: true }),
  );
  return Item as WorkflowItem;
}

/** The error an invocation fails with (its name is what Step Functions matches); the test fails if none. */
export async function invocationFailure(invoke: Invoke<unknown>, event: unknown): Promise<Error> {
  try {
    await invoke(event, testLambdaContext);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the invocation did not fail');
}

/** What a Catch hands on for a Lambda function that threw `name` with `message`. */
export function caught(name: string, message: string) {
  return { Error: name, Cause: JSON.stringify({ errorType: name, errorMessage: message, trace: [] }) };
}
