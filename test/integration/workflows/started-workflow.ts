// Starting a workflow in the workflows-flow integration tests: the workflows service with its StartExecution
// replaced by a recorder, answering the execution input the state machine would get, so each Map item can be
// handed to the gate in turn. The state machine ARNs are what the stack would give the workflows API.
import { randomUUID } from 'node:crypto';
import {
  type ExecutionInput,
  type StartExecutionRequest,
  startWorkflow,
} from '../../../functions/app/workflows/start-workflow.ts';
import {
  type StartWorkflowBody,
  workflowPlan,
} from '../../../functions/app/workflows/start-workflow-request.ts';
import { BUILT_IN_WORKFLOW_DEFAULTS } from '../../../functions/app/workflows/workflow-defaults.ts';
import { MAX_OPEN_WORKFLOWS } from '../../../functions/app/workflows/workflow-queue.ts';
import type { ApiTestEnvironment } from '../api/api-test-environment.ts';

export const STATE_MACHINE_ARNS = {
  sequential: 'arn:aws:states:us-east-1:000000000000:stateMachine:sequential',
  parallel: 'arn:aws:states:us-east-1:000000000000:stateMachine:parallel',
  saga: 'arn:aws:states:us-east-1:000000000000:stateMachine:saga',
} as const;

/** What the stack gives the workflows API (docs/backend.md "Functions of the flows" → Environment). */
export const STATE_MACHINE_ENVIRONMENT = {
  SEQUENTIAL_STATE_MACHINE_ARN: STATE_MACHINE_ARNS.sequential,
  PARALLEL_STATE_MACHINE_ARN: STATE_MACHINE_ARNS.parallel,
  SAGA_STATE_MACHINE_ARN: STATE_MACHINE_ARNS.saga,
};

export type WorkflowStarter = (tenantId: string, body: StartWorkflowBody) => Promise<ExecutionInput>;

/** Starts a workflow with the service and returns the execution input the state machine would get. */
export function workflowStarter(environment: ApiTestEnvironment): WorkflowStarter {
  return async (tenantId, body) => {
    let execution: StartExecutionRequest | undefined;
    await startWorkflow(
      {
        client: environment.documents,
        workflowsTable: environment.tables.workflows,
        gateStateTable: environment.tables.gateState,
        maxOpenWorkflows: MAX_OPEN_WORKFLOWS,
        stateMachineArns: STATE_MACHINE_ARNS,
        startExecution: async (request) => {
          execution = request;
        },
        clock: Date.now,
        newWorkflowId: randomUUID,
        events: environment.bus.announcer,
      },
      tenantId,
      workflowPlan(body, BUILT_IN_WORKFLOW_DEFAULTS),
    );
    return JSON.parse(execution!.input) as ExecutionInput;
  };
}
