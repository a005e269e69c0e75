// The step-failure recorder (workflow/record-step-failure) invoked as the gated step's StepFailed state
// invokes it, with the Catch output Step Functions hands it, against DynamoDB Local.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE_ERROR_NAMES } from '../../../functions/app/gate/gate-errors.ts';
import type { RecordStepFailureOutcome } from '../../../functions/app/workflows/record-step-failure.ts';
import type { WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import {
  caught,
  flowWorkflowItem,
  type Invoke,
  putWorkflow,
  roleStep,
  storedWorkflow,
} from './flow-workflow-item.ts';

let environment: ApiTestEnvironment;
let recordFailure: Invoke<RecordStepFailureOutcome>;

beforeAll(async () => {
  environment = await startApiTestEnvironment('step-failure');
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  ({ handler: recordFailure } = (await import(
    '../../../functions/workflow/record-step-failure.handler.ts'
  )) as unknown as { handler: Invoke<RecordStepFailureOutcome> });
});

afterAll(async () => {
  await environment?.stop();
});

const TENANT = 'step-failure';

const DENIED = caught(GATE_ERROR_NAMES.stepDenied, 'agent lacks capability process_data');

function putTwoStepWorkflow(overrides: Partial<WorkflowItem> = {}): Promise<WorkflowItem> {
  return putWorkflow(
    environment.documents,
    environment.tables.workflows,
    flowWorkflowItem(TENANT, {
      steps: [
        roleStep({ agentId: 'research-agent', status: 'SUCCEEDED', output: 'findings' }),
        roleStep({ name: 'summary', agentId: 'writing-agent', status: 'DECIDED', decision: 'DENY' }),
      ],
      ...overrides,
    }),
  );
}

function stored(workflowId: string): Promise<WorkflowItem> {
  return storedWorkflow(environment.documents, environment.tables.workflows, workflowId);
}

function failureEvent(workflow: WorkflowItem, stepIndex: number, error: unknown = DENIED) {
  return { workflowId: workflow.workflowId, tenantId: workflow.tenantId, stepIndex, error };
}

describe('recording a failed step', () => {
  it('marks the step FAILED with the code and message of the caught error', async () => {
    const workflow = await putTwoStepWorkflow();

    const outcome = await recordFailure(failureEvent(workflow, 1), testLambdaContext);

    expect(outcome).toEqual({ stepIndex: 1, code: 'step_denied' });
    const after = await stored(workflow.workflowId);
    expect(after.steps[1]).toEqual({
      ...workflow.steps[1],
      status: 'FAILED',
      error: { code: 'step_denied', message: 'agent lacks capability process_data' },
    });
    expect(after.steps[0]).toEqual(workflow.steps[0]);
    expect(after.status).toBe('RUNNING');
    expect(after.updatedAt > workflow.updatedAt).toBe(true);
  });

  it('records errors of other origins by their own name and plain-text or missing cause', async () => {
    const workflow = await putTwoStepWorkflow();

    const timedOut = await recordFailure(
      failureEvent(workflow, 1, { Error: 'States.Timeout', Cause: 'the task timed out' }),
      testLambdaContext,
    );
    const afterTimeout = (await stored(workflow.workflowId)).steps[1]!.error;
    const unknown = await recordFailure(
      failureEvent(workflow, 1, { Error: 'Lambda.Unknown' }),
      testLambdaContext,
    );
    const afterUnknown = (await stored(workflow.workflowId)).steps[1]!.error;

    expect(timedOut.code).toBe('states_timeout');
    expect(afterTimeout).toEqual({ code: 'states_timeout', message: 'the task timed out' });
    expect(unknown.code).toBe('lambda_unknown');
    expect(afterUnknown).toEqual({ code: 'lambda_unknown', message: 'no cause was reported' });
  });

  it('answers a retried invocation the same way, without failing', async () => {
    const workflow = await putTwoStepWorkflow();
    const first = await recordFailure(failureEvent(workflow, 1), testLambdaContext);
    const recorded = await stored(workflow.workflowId);

    const again = await recordFailure(failureEvent(workflow, 1), testLambdaContext);

    expect(again).toEqual(first);
    expect((await stored(workflow.workflowId)).steps).toEqual(recorded.steps);
  });

  it('leaves a SUCCEEDED step untouched', async () => {
    const workflow = await putTwoStepWorkflow();

    const outcome = await recordFailure(failureEvent(workflow, 0), testLambdaContext);

    expect(outcome).toEqual({ stepIndex: 0, code: 'step_denied' });
    expect(await stored(workflow.workflowId)).toEqual(workflow);
  });

  it('writes nothing once the workflow has finished', async () => {
    const workflow = await putTwoStepWorkflow({ status: 'FAILED' });

    const outcome = await recordFailure(failureEvent(workflow, 1), testLambdaContext);

    expect(outcome).toEqual({ stepIndex: 1, code: 'step_denied' });
    expect(await stored(workflow.workflowId)).toEqual(workflow);
  });
});

describe('failures that cannot be recorded', () => {
  it("refuses an unknown workflow, another tenant's and a step index out of range", async () => {
    const workflow = await putTwoStepWorkflow();

    const errors: Error[] = [];
    for (const event of [
      { ...failureEvent(workflow, 1), workflowId: 'no-such-workflow' },
      { ...failureEvent(workflow, 1), tenantId: 'someone-else' },
      failureEvent(workflow, 2),
    ]) {
      errors.push(
        await recordFailure(event, testLambdaContext).then(
          () => new Error('recorded'),
          (error: Error) => error,
        ),
      );
    }

    expect(errors.map((error) => error.name)).toEqual([
      GATE_ERROR_NAMES.stepInvalid,
      GATE_ERROR_NAMES.stepInvalid,
      GATE_ERROR_NAMES.stepInvalid,
    ]);
    expect(errors[2]!.message).toContain('has no step 2');
    expect(await stored(workflow.workflowId)).toEqual(workflow);
  });

  it('refuses an input without the caught error, naming the field', async () => {
    const workflow = await putTwoStepWorkflow();

    const error = await recordFailure(
      { ...failureEvent(workflow, 1), error: undefined },
      testLambdaContext,
    ).then(
      () => new Error('recorded'),
      (caughtError: Error) => caughtError,
    );

    expect(error.name).toBe(GATE_ERROR_NAMES.stepInvalid);
    expect(error.message).toContain('error');
  });
});
