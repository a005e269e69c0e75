// The escalations API answering real task tokens: the sandbox's Step Functions service behind the
// sandbox's edge (the same pieces `npm start` runs), reached by the deployed handler's own SFN client
// through AWS_ENDPOINT_URL_SFN. A state machine's AwaitApproval task invokes the real escalate handler,
// which records the task token it is given; the API then answers that token. Tokens Step Functions no
// longer accepts (a task that timed out, a token it never issued) come back as the service's own
// TaskTimedOut / TaskDoesNotExist / InvalidToken and end as 409 escalation_expired with TIMED_OUT recorded.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationIdFor } from '../../../functions/app/escalations/escalation-id.ts';
import type { EscalationItem } from '../../../functions/app/escalations/escalation-item.ts';
import { escalateStep } from '../../../functions/app/escalations/open-escalation.ts';
import type { WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import type { Caller } from '../../../functions/core/auth/caller.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { type EdgeServer, startEdgeServer } from '../../../sandbox/edge/edge-server.ts';
import {
  createStepFunctionsService,
  type StepFunctionsService,
} from '../../../sandbox/stepfunctions/service.ts';
import { eventually } from '../../fixtures/sandbox-app/eventually.ts';
import {
  type HttpApiEventOptions,
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { inProcessLambda } from '../../unit/sandbox/stepfunctions/in-process-lambda.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import {
  ESCALATED_STEP,
  escalatedWorkflowItem,
  escalateEvent,
  putWorkflow,
  readEscalation,
  readWorkflow,
} from './escalated-workflow.ts';

type Handler = (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;
type Escalate = (event: unknown, context: typeof testLambdaContext) => Promise<unknown>;

let environment: ApiTestEnvironment;
let edge: EdgeServer;
let stepFunctions: StepFunctionsService;
let api: Handler;
let escalate: Escalate;

beforeAll(async () => {
  environment = await startApiTestEnvironment('escalation-tokens');
  process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
  edge = await startEdgeServer({ port: 0, host: '127.0.0.1' });
  stepFunctions = createStepFunctionsService({
    endpoints: { edgeUrl: edge.url, region: process.env.AWS_REGION! },
    // The AwaitApproval task's function is the real escalate handler, run in this process.
    lambda: inProcessLambda({ escalate: (event) => escalate(event, testLambdaContext) }),
  });
  edge.attach({
    dynamoDbUrl: process.env.AWS_ENDPOINT_URL!,
    sqsUrl: 'http://127.0.0.1:9',
    jsonServices: [stepFunctions],
    lambdaInvoke: async () => {
      throw new Error('no Lambda API in this test');
    },
  });
  // Only Step Functions goes through the edge; DynamoDB stays on AWS_ENDPOINT_URL (DynamoDB Local).
  process.env.AWS_ENDPOINT_URL_SFN = edge.url;
  ({ handler: api } = await import('../../../functions/api/escalations.handler.ts'));
  ({ handler: escalate } = (await import('../../../functions/workflow/escalate.handler.ts')) as unknown as {
    handler: Escalate;
  });
});

afterAll(async () => {
  await stepFunctions?.close();
  await edge?.stop();
  await environment?.stop();
});

const call = (routeKey: string, options?: HttpApiEventOptions) =>
  api(httpApiEvent(routeKey, options), testLambdaContext);

/** AwaitApproval as the gated step has it; `timeoutSeconds` stands in for TimeoutSecondsPath. */
async function awaitApprovalMachine(name: string, timeoutSeconds: number): Promise<string> {
  const definition = {
    StartAt: 'AwaitApproval',
    States: {
      AwaitApproval: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: 'escalate',
          Payload: {
            'workflowId.$': '$.workflowId',
            'tenantId.$': '$.tenantId',
            'stepIndex.$': '$.stepIndex',
            mode: 'open',
            'slaSeconds.$': '$.escalation.slaSeconds',
            'maxLevel.$': '$.escalation.maxLevel',
            'taskToken.$': '$$.Task.Token',
          },
        },
        TimeoutSeconds: timeoutSeconds,
        ResultPath: '$.approval',
        End: true,
      },
    },
  };
  const { stateMachineArn } = (await stepFunctions.handle('CreateStateMachine', {
    name,
    definition: JSON.stringify(definition),
    roleArn: 'arn:aws:iam::000000000000:role/StateMachineRole',
  })) as { stateMachineArn: string };
  return stateMachineArn;
}

/** Starts the machine for a fresh escalated workflow and waits until the escalate handler has recorded it. */
async function waitingEscalation(
  tenantId: string,
  stateMachineArn: string,
): Promise<{ workflow: WorkflowItem; item: EscalationItem; executionArn: string }> {
  const workflow = await putWorkflow(
    environment.documents,
    environment.tables,
    escalatedWorkflowItem(tenantId),
  );
  const { executionArn } = (await stepFunctions.handle('StartExecution', {
    stateMachineArn,
    input: JSON.stringify({
      workflowId: workflow.workflowId,
      tenantId,
      stepIndex: ESCALATED_STEP,
      // The item's deadline: an hour, whatever the state machine's own timer says.
      escalation: { slaSeconds: 3600, maxLevel: 3 },
    }),
  })) as { executionArn: string };
  const escalationId = escalationIdFor({
    workflowId: workflow.workflowId,
    stepIndex: ESCALATED_STEP,
    intentId: workflow.steps[ESCALATED_STEP]!.intentId!,
    level: 1,
  });
  const item = await eventually(() =>
    readEscalation(environment.documents, environment.tables, escalationId),
  );
  return { workflow, item, executionArn };
}

/** A level-1 reviewer key of the tenant, named dana. */
function reviewerKey(tenantId: string): Caller {
  return testCaller(tenantId, ['reviewer'], 1, 'dana');
}

describe('answering a waiting task through the real SFN client', () => {
  it('approve resumes the execution with the approval as the task’s output', async () => {
    const machine = await awaitApprovalMachine('await-approval-approve', 300);
    const { item, executionArn } = await waitingEscalation('sfn-approve', machine);
    expect(item.taskToken).toMatch(/^AQC/);

    const response = await call('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: item.escalationId },
      caller: reviewerKey('sfn-approve'),
    });

    expect(response.statusCode).toBe(200);
    const execution = await stepFunctions.waitForExecution(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output as string).approval).toEqual({
      escalationId: item.escalationId,
      level: 1,
      approved: true,
      reviewer: 'dana',
      reviewerLevel: 1,
    });
  });

  it('reject fails the execution with Trustgate.EscalationRejected and the reason', async () => {
    const machine = await awaitApprovalMachine('await-approval-reject', 300);
    const { item, executionArn } = await waitingEscalation('sfn-reject', machine);

    const response = await call('POST /v1/escalations/{id}/reject', {
      pathParameters: { id: item.escalationId },
      caller: reviewerKey('sfn-reject'),
      body: { reason: 'not without a T3 writer' },
    });

    expect(response.statusCode).toBe(200);
    const execution = await stepFunctions.waitForExecution(executionArn);
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'Trustgate.EscalationRejected',
      cause: `escalation ${item.escalationId} rejected at level 1 by dana: not without a T3 writer`,
    });
  });
});

describe('tokens Step Functions no longer accepts', () => {
  it('a task that timed out: 409 escalation_expired, escalation and step TIMED_OUT, approval removed', async () => {
    const machine = await awaitApprovalMachine('await-approval-timeout', 1);
    const { workflow, item, executionArn } = await waitingEscalation('sfn-timeout', machine);
    const execution = await stepFunctions.waitForExecution(executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });

    const response = await call('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: item.escalationId },
      caller: reviewerKey('sfn-timeout'),
    });

    expect(response.statusCode).toBe(409);
    expect(responseError(response).code).toBe('escalation_expired');
    expect(await readEscalation(environment.documents, environment.tables, item.escalationId)).toMatchObject({
      status: 'TIMED_OUT',
      tenantStatus: 'sfn-timeout#TIMED_OUT',
      reviewer: 'dana',
    });
    const step = (await readWorkflow(environment.documents, environment.tables, workflow.workflowId)).steps[
      ESCALATED_STEP
    ]!;
    expect(step.escalation).toMatchObject({ escalationId: item.escalationId, status: 'TIMED_OUT' });
    expect(step.approval).toBeUndefined();
  });

  it.each([
    [
      'a well-formed token the service never issued (TaskDoesNotExist)',
      `AQC${randomBytes(96).toString('base64')}`,
    ],
    ['a token that is no token at all (InvalidToken)', 'not-a-task-token'],
  ])('%s: 409 escalation_expired and TIMED_OUT recorded', async (_, taskToken) => {
    const tenantId = 'sfn-unknown';
    const workflow = await putWorkflow(
      environment.documents,
      environment.tables,
      escalatedWorkflowItem(tenantId),
    );
    const opened = await escalateStep(
      {
        client: environment.documents,
        tables: { workflows: environment.tables.workflows, escalations: environment.tables.escalations },
        clock: Date.now,
        events: environment.bus.announcer,
      },
      escalateEvent(workflow, { taskToken }),
    );

    const response = await call('POST /v1/escalations/{id}/reject', {
      pathParameters: { id: opened.escalationId },
      caller: reviewerKey(tenantId),
      body: { reason: 'too late' },
    });

    expect(response.statusCode).toBe(409);
    expect(responseError(response).code).toBe('escalation_expired');
    expect(
      (await readEscalation(environment.documents, environment.tables, opened.escalationId))?.status,
    ).toBe('TIMED_OUT');
    const step = (await readWorkflow(environment.documents, environment.tables, workflow.workflowId)).steps[
      ESCALATED_STEP
    ]!;
    expect(step.escalation?.status).toBe('TIMED_OUT');

    const listed = await call('GET /v1/escalations', {
      caller: testCaller(tenantId),
      queryStringParameters: { status: 'TIMED_OUT' },
    });
    expect(
      responseJson<{ items: { escalationId: string }[] }>(listed).items.map((i) => i.escalationId),
    ).toContain(opened.escalationId);
  });
});
