// Starting a workflow: the item first (status RUNNING, every step PENDING, the resolved `options`), in one
// transaction with one of the tenant's open-workflow slots (workflow-queue.ts: 503 `queue_full` and nothing
// written when none is left), then an execution of the state machine of its type (docs/backend.md
// "Flows"), named after the workflow. The item is written first so that the gate, invoked moments later
// by the execution, always finds it; if the execution cannot be started, the item is marked FAILED and
// its slot given back in one transaction, so nothing is left RUNNING that nothing runs.
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { EventAnnouncer } from '../../events/event-announcer.ts';
import { itemCancellation } from '../gate/transaction-cancellation.ts';
import type { WorkflowPlan } from './start-workflow-request.ts';
import { workflowStartedEvent } from './workflow-events.ts';
import type { SubtaskFailurePolicy, WorkflowItem, WorkflowType } from './workflow-item.ts';
import { releaseQueueSlot, takeQueueSlot, WorkflowQueueFullError } from './workflow-queue.ts';
import { workflowEndedUpdate } from './workflows-repository.ts';

/**
 * The state machine input (docs/backend.md "Flows"). Each step carries its agent when the request named
 * one, so the gate reads it in one request; a role-routed step has none until the router picks it.
 */
export interface ExecutionInput {
  workflowId: string;
  tenantId: string;
  /** `aggregate` only for a parallel workflow whose failed sub-tasks become gaps; else `fail`. */
  failurePolicy: SubtaskFailurePolicy;
  /** How many steps the step Map runs at once: the parallel option, 1 for the ordered flows. */
  maxConcurrency: number;
  escalation: { slaSeconds: number; maxLevel: number };
  steps: { index: number; agentId?: string }[];
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
  /** GateStateTable, where each tenant's open-workflow count is. */
  gateStateTable: string;
  /** At most this many workflows of one tenant not yet ended (MAX_OPEN_WORKFLOWS). */
  maxOpenWorkflows: number;
  /** The state machine of each workflow type. */
  stateMachineArns: Readonly<Record<WorkflowType, string>>;
  startExecution: (request: StartExecutionRequest) => Promise<unknown>;
  /** Epoch milliseconds. */
  clock: () => number;
  newWorkflowId: () => string;
  /** workflow.started, once the execution runs. */
  events: EventAnnouncer;
}

export class WorkflowStartError extends Error {
  override readonly name = 'WorkflowStartError';
}

export async function startWorkflow(
  deps: StartWorkflowDependencies,
  tenantId: string,
  plan: WorkflowPlan,
): Promise<{ workflowId: string }> {
  const stateMachineArn = deps.stateMachineArns[plan.type];
  const workflowId = deps.newWorkflowId();
  const now = new Date(deps.clock()).toISOString();
  const item: WorkflowItem = {
    workflowId,
    tenantId,
    ...(plan.template === undefined ? {} : { template: plan.template }),
    type: plan.type,
    input: plan.input,
    options: plan.options,
    steps: plan.steps.map((step) => ({ ...step, status: 'PENDING' })),
    status: 'RUNNING',
    executionArn: executionArnFor(stateMachineArn, workflowId),
    holdsQueueSlot: true,
    createdAt: now,
    updatedAt: now,
  };
  await admitWorkflow(deps, item);

  const input = executionInput(workflowId, tenantId, plan);
  try {
    await deps.startExecution({
      stateMachineArn,
      name: workflowId,
      input: JSON.stringify(input),
    });
  } catch (error) {
    const message = `the workflow's execution could not be started: ${error instanceof Error ? error.message : String(error)}`;
    await endUnstartedWorkflow(deps, item, { code: 'start_failed', message });
    throw new WorkflowStartError(message, { cause: error });
  }
  await deps.events.announce([workflowStartedEvent(item)]);
  return { workflowId };
}

// Item positions in the admission transaction.
const QUEUE_SLOT_ITEM = 1;
// Item position in the transaction that ends a workflow whose execution did not start.
const ENDED_WORKFLOW_ITEM = 0;

/** The item and its queue slot, both or neither; WorkflowQueueFullError when no slot is left. */
async function admitWorkflow(deps: StartWorkflowDependencies, item: WorkflowItem): Promise<void> {
  try {
    await deps.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: deps.workflowsTable,
              Item: item,
              ConditionExpression: 'attribute_not_exists(workflowId)',
            },
          },
          takeQueueSlot(deps.gateStateTable, item.tenantId, deps.maxOpenWorkflows),
        ],
      }),
    );
  } catch (error) {
    if (itemCancellation(error, QUEUE_SLOT_ITEM) === 'condition_failed') {
      throw new WorkflowQueueFullError(item.tenantId, deps.maxOpenWorkflows);
    }
    throw error;
  }
}

/** RUNNING → FAILED and the slot given back; nothing when the workflow had already ended. */
async function endUnstartedWorkflow(
  deps: StartWorkflowDependencies,
  item: WorkflowItem,
  error: { code: string; message: string },
): Promise<void> {
  const updatedAt = new Date(deps.clock()).toISOString();
  try {
    await deps.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: workflowEndedUpdate(
              deps.workflowsTable,
              item.workflowId,
              { status: 'FAILED', error },
              updatedAt,
            ),
          },
          releaseQueueSlot(deps.gateStateTable, item.tenantId),
        ],
      }),
    );
  } catch (caught) {
    // The workflow had ended already (and given its slot back): nothing to do.
    if (itemCancellation(caught, ENDED_WORKFLOW_ITEM) !== 'condition_failed') throw caught;
  }
}

export function executionInput(workflowId: string, tenantId: string, plan: WorkflowPlan): ExecutionInput {
  const parallel = plan.type === 'parallel' ? plan.options.parallel : undefined;
  return {
    workflowId,
    tenantId,
    failurePolicy: parallel?.onSubtaskFailure === 'aggregate' ? 'aggregate' : 'fail',
    maxConcurrency: parallel?.maxConcurrency ?? 1,
    escalation: { ...plan.options.escalation },
    steps: plan.steps.map((step, index) =>
      step.agentId === undefined ? { index } : { index, agentId: step.agentId },
    ),
  };
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
