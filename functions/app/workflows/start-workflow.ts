// Starting a workflow: the item first (status RUNNING, every step PENDING), then the state machine
// execution named after the workflow. The item is written first so that the gate, invoked moments later
// by the execution, always finds it; if the execution cannot be started, the item is marked FAILED so
// nothing is left RUNNING that nothing runs.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WorkflowPlan } from './start-workflow-request.ts';
import type { WorkflowItem } from './workflow-item.ts';
import { createWorkflow, failRunningWorkflow } from './workflows-repository.ts';

/** The state machine input (docs/backend.md), plus each step's agent so the gate reads it in one request. */
export interface ExecutionInput {
  workflowId: string;
  tenantId: string;
  steps: { index: number; agentId: string }[];
}

export interface StartExecutionRequest {
  stateMachineArn: string;
  /** Execution names are unique per state machine: the workflow id makes a start idempotent. */
  name: string;
  input: string;
}

export interface StartWorkflowDependencies {
  client: DynamoDBDocumentClient;
  workflowsTable: string;
  stateMachineArn: string;
  startExecution: (request: StartExecutionRequest) => Promise<unknown>;
  /** Epoch milliseconds. */
  clock: () => number;
  newWorkflowId: () => string;
}

export class WorkflowStartError extends Error {
  override readonly name = 'WorkflowStartError';
}

export async function startWorkflow(
  deps: StartWorkflowDependencies,
  tenantId: string,
  plan: WorkflowPlan,
): Promise<{ workflowId: string }> {
  const workflowId = deps.newWorkflowId();
  const now = new Date(deps.clock()).toISOString();
  const item: WorkflowItem = {
    workflowId,
    tenantId,
    ...(plan.template === undefined ? {} : { template: plan.template }),
    type: plan.type,
    input: plan.input,
    steps: plan.steps.map((step) => ({ ...step, status: 'PENDING' })),
    status: 'RUNNING',
    executionArn: executionArnFor(deps.stateMachineArn, workflowId),
    createdAt: now,
    updatedAt: now,
  };
  await createWorkflow(deps.client, deps.workflowsTable, item);

  const input: ExecutionInput = {
    workflowId,
    tenantId,
    steps: plan.steps.map((step, index) => ({ index, agentId: step.agentId })),
  };
  try {
    await deps.startExecution({
      stateMachineArn: deps.stateMachineArn,
      name: workflowId,
      input: JSON.stringify(input),
    });
  } catch (error) {
    const message = `the workflow's execution could not be started: ${error instanceof Error ? error.message : String(error)}`;
    await failRunningWorkflow(
      deps.client,
      deps.workflowsTable,
      workflowId,
      { code: 'start_failed', message },
      new Date(deps.clock()).toISOString(),
    );
    throw new WorkflowStartError(message, { cause: error });
  }
  return { workflowId };
}

/**
 * The ARN StartExecution gives the execution, known before it starts: AWS names executions
 * `arn:<partition>:states:<region>:<account>:execution:<state machine name>:<execution name>`.
 */
export function executionArnFor(stateMachineArn: string, executionName: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length !== 7 || parts[2] !== 'states' || parts[5] !== 'stateMachine') {
    throw new RangeError(`not a state machine ARN: "${stateMachineArn}"`);
  }
  return [...parts.slice(0, 5), 'execution', parts[6], executionName].join(':');
}
