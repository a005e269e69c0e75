// POST /v1/workflows against a real DynamoDB Local. Starting a workflow is tested on the service with a
// recording StartExecution (what the item holds, which state machine runs it and with what input); the
// handler is tested for what it refuses — a refused body never writes an item — and for a start whose
// StartExecution fails (nothing listens on the discard port), which shows the machine it picked.

import { randomUUID } from 'node:crypto';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { finishWorkflow } from '../../../functions/app/workflows/finish-workflow.ts';
import {
  type ExecutionInput,
  type StartExecutionRequest,
  startWorkflow,
} from '../../../functions/app/workflows/start-workflow.ts';
import {
  startWorkflowBodySchema,
  workflowPlan,
} from '../../../functions/app/workflows/start-workflow-request.ts';
import { BUILT_IN_WORKFLOW_DEFAULTS } from '../../../functions/app/workflows/workflow-defaults.ts';
import type { WorkflowItem, WorkflowType } from '../../../functions/app/workflows/workflow-item.ts';
import {
  MAX_OPEN_WORKFLOWS,
  QUEUE_FULL_RETRY_AFTER_SECONDS,
  WorkflowQueueFullError,
  workflowQueueKey,
} from '../../../functions/app/workflows/workflow-queue.ts';
import type { WorkflowView } from '../../../functions/app/workflows/workflow-view.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { validateInput } from '../../../functions/http/validate-input.ts';
import {
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from './api-test-environment.ts';

type ApiHandler = (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

const STATE_MACHINE_ARNS: Readonly<Record<WorkflowType, string>> = {
  sequential: 'arn:aws:states:us-east-1:000000000000:stateMachine:sequential',
  parallel: 'arn:aws:states:us-east-1:000000000000:stateMachine:parallel',
  saga: 'arn:aws:states:us-east-1:000000000000:stateMachine:saga',
};

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const ESCALATION = { slaSeconds: 3600, maxLevel: 3 };
const QUEUE = { maxAttempts: 5, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 300 };

let environment: ApiTestEnvironment;
let workflowsApi: ApiHandler;

beforeAll(async () => {
  environment = await startApiTestEnvironment('workflows-api');
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.SEQUENTIAL_STATE_MACHINE_ARN = STATE_MACHINE_ARNS.sequential;
  process.env.PARALLEL_STATE_MACHINE_ARN = STATE_MACHINE_ARNS.parallel;
  process.env.SAGA_STATE_MACHINE_ARN = STATE_MACHINE_ARNS.saga;
  process.env.STAGE = 'test';
  // Nothing listens on the discard port: StartExecution fails there, as it would with the service down.
  process.env.AWS_ENDPOINT_URL_SFN = 'http://127.0.0.1:9';
  ({ handler: workflowsApi } = await import('../../../functions/api/workflows.handler.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

async function workflowItem(workflowId: string): Promise<WorkflowItem> {
  const { Item } = await environment.documents.send(
    new GetCommand({ TableName: environment.tables.workflows, Key: { workflowId } }),
  );
  return Item as WorkflowItem;
}

async function tenantWorkflows(tenantId: string): Promise<WorkflowItem[]> {
  const { Items } = await environment.documents.send(
    new ScanCommand({
      TableName: environment.tables.workflows,
      FilterExpression: 'tenantId = :tenantId',
      ExpressionAttributeValues: { ':tenantId': tenantId },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as WorkflowItem[];
}

/** Starts a workflow with the service; returns the stored item and the recorded StartExecution. */
async function started(body: unknown): Promise<{ item: WorkflowItem; execution: StartExecutionRequest }> {
  const executions: StartExecutionRequest[] = [];
  const parsed = validateInput(startWorkflowBodySchema(body, { stage: 'test' }), body);
  const { workflowId } = await startWorkflow(
    {
      client: environment.documents,
      workflowsTable: environment.tables.workflows,
      gateStateTable: environment.tables.gateState,
      maxOpenWorkflows: MAX_OPEN_WORKFLOWS,
      stateMachineArns: STATE_MACHINE_ARNS,
      startExecution: async (request) => {
        executions.push(request);
      },
      clock: () => NOW,
      events: environment.bus.announcer,
      newWorkflowId: randomUUID,
    },
    'starter',
    workflowPlan(parsed, BUILT_IN_WORKFLOW_DEFAULTS),
  );
  expect(executions).toHaveLength(1);
  return { item: await workflowItem(workflowId), execution: executions[0]! };
}

/** The tenant's open-workflow count (functions/app/workflows/workflow-queue.ts). */
async function openWorkflows(tenantId: string): Promise<number | undefined> {
  const { Item } = await environment.documents.send(
    new GetCommand({ TableName: environment.tables.gateState, Key: { key: workflowQueueKey(tenantId) } }),
  );
  return Item?.openWorkflows as number | undefined;
}

const inputOf = (execution: StartExecutionRequest) => JSON.parse(execution.input) as ExecutionInput;

describe('starting a workflow', () => {
  it.each([
    ['report', 'sequential'],
    ['routing', 'sequential'],
    ['escalation', 'sequential'],
    ['parallel', 'parallel'],
    ['saga', 'saga'],
  ] as const)('the %s template runs on the %s state machine', async (template, type) => {
    const { item, execution } = await started({ template, input: { task: 'Write report on AI trends' } });

    expect(execution.stateMachineArn).toBe(STATE_MACHINE_ARNS[type]);
    expect(execution.name).toBe(item.workflowId);
    expect(item).toMatchObject({
      tenantId: 'starter',
      template,
      type,
      status: 'RUNNING',
      createdAt: new Date(NOW).toISOString(),
      executionArn: `arn:aws:states:us-east-1:000000000000:execution:${type}:${item.workflowId}`,
    });
    expect(item.steps.every((step) => step.status === 'PENDING')).toBe(true);
    expect(inputOf(execution)).toMatchObject({
      workflowId: item.workflowId,
      tenantId: 'starter',
      escalation: ESCALATION,
    });
  });

  it('report: the named agents travel in the input, one at a time, failures fail', async () => {
    const { item, execution } = await started({ template: 'report', input: { task: 'a' } });

    expect(item.options).toEqual({ preference: 'cost', escalation: ESCALATION, queue: QUEUE });
    expect(inputOf(execution)).toEqual({
      workflowId: item.workflowId,
      tenantId: 'starter',
      failurePolicy: 'fail',
      maxConcurrency: 1,
      escalation: ESCALATION,
      steps: [
        { index: 0, agentId: 'research-agent' },
        { index: 1, agentId: 'analysis-agent' },
        { index: 2, agentId: 'writing-agent' },
      ],
    });
  });

  it('routing: role steps are stored and sent without an agent, for the router to pick', async () => {
    const { item, execution } = await started({
      template: 'routing',
      input: { task: 'a' },
      preference: 'quality',
      queue: { maxAttempts: 2 },
    });

    expect(item.steps.map((step) => [step.name, step.role, step.agentId, step.status])).toEqual([
      ['research', 'general', undefined, 'PENDING'],
      ['summary', 'general', undefined, 'PENDING'],
    ]);
    expect(item.steps[0]).not.toHaveProperty('agentId');
    expect(item.options).toEqual({
      preference: 'quality',
      escalation: ESCALATION,
      queue: { ...QUEUE, maxAttempts: 2 },
    });
    expect(inputOf(execution).steps).toEqual([{ index: 0 }, { index: 1 }]);
  });

  it('the parallel template fans out ten at a time and aggregates failed sub-tasks', async () => {
    const { item, execution } = await started({
      template: 'parallel',
      input: { task: 'Assess the market', subtasks: ['market size', 'key figures', 'main risks'] },
    });

    expect(item.input.subtasks).toEqual(['market size', 'key figures', 'main risks']);
    expect(item.options.parallel).toEqual({ maxConcurrency: 10, onSubtaskFailure: 'aggregate' });
    expect(inputOf(execution)).toMatchObject({ failurePolicy: 'aggregate', maxConcurrency: 10 });
  });

  it('explicit parallel steps run with the request’s concurrency and failure policy', async () => {
    const { item, execution } = await started({
      type: 'parallel',
      input: { task: 'Two views' },
      steps: [
        { name: 'optimist', agentId: 'research-agent', requiredTier: 'T3', intent: 'search_web' },
        { name: 'pessimist', role: 'general', requiredTier: 'T2', intent: 'generate_document' },
      ],
      parallel: { maxConcurrency: 2, onSubtaskFailure: 'fail' },
      escalation: { slaSeconds: 60, maxLevel: 1 },
    });

    expect(item).toMatchObject({ type: 'parallel' });
    expect(item).not.toHaveProperty('template');
    expect(item.steps[1]).toMatchObject({ role: 'general', resource: { id: 'pessimist', type: 'document' } });
    expect(inputOf(execution)).toEqual({
      workflowId: item.workflowId,
      tenantId: 'starter',
      failurePolicy: 'fail',
      maxConcurrency: 2,
      escalation: { slaSeconds: 60, maxLevel: 1 },
      steps: [{ index: 0, agentId: 'research-agent' }, { index: 1 }],
    });
  });

  it('an explicit saga runs its steps in order and carries failAt in its input', async () => {
    const { item, execution } = await started({
      type: 'saga',
      input: { task: 'Book it', failAt: 'commit' },
      steps: [
        { name: 'reserve', agentId: 'analysis-agent', requiredTier: 'T3', intent: 'process_data' },
        { name: 'commit', agentId: 'writing-agent', requiredTier: 'T2', intent: 'generate_document' },
      ],
    });

    expect(execution.stateMachineArn).toBe(STATE_MACHINE_ARNS.saga);
    expect(item.input).toEqual({ task: 'Book it', failAt: 'commit' });
    expect(item.options).not.toHaveProperty('parallel');
    expect(inputOf(execution)).toMatchObject({ failurePolicy: 'fail', maxConcurrency: 1 });
  });
});

describe('POST /v1/workflows', () => {
  const post = (tenantId: string, body: unknown) =>
    workflowsApi(
      httpApiEvent('POST /v1/workflows', { body, caller: testCaller(tenantId) }),
      testLambdaContext,
    );

  const step = { name: 'one', agentId: 'research-agent', requiredTier: 'T3', intent: 'search_web' };

  it.each([
    ['an unknown template', { template: 'essay', input: { task: 'a' } }, 'template'],
    [
      'both agentId and role',
      { type: 'saga', input: { task: 'a' }, steps: [{ ...step, role: 'general' }] },
      'steps.0.agentId',
    ],
    [
      'neither agentId nor role',
      { type: 'saga', input: { task: 'a' }, steps: [{ ...step, agentId: undefined }] },
      'steps.0.role',
    ],
    [
      'parallel options on a saga',
      { template: 'saga', input: { task: 'a' }, parallel: { maxConcurrency: 2 } },
      'parallel',
    ],
    [
      'sub-tasks that do not match the steps',
      { template: 'parallel', input: { task: 'a', subtasks: ['x'] } },
      'input.subtasks',
    ],
    [
      'failAt naming no step',
      { template: 'report', input: { task: 'a', failAt: 'nowhere' } },
      'input.failAt',
    ],
    [
      'an SLA over a week',
      { template: 'escalation', input: { task: 'a' }, escalation: { slaSeconds: 604_801 } },
      'escalation.slaSeconds',
    ],
    [
      'too many queue attempts',
      { template: 'routing', input: { task: 'a' }, queue: { maxAttempts: 21 } },
      'queue.maxAttempts',
    ],
    [
      'an unknown preference',
      { template: 'routing', input: { task: 'a' }, preference: 'fast' },
      'preference',
    ],
  ])('answers 400 for %s, naming the field, and writes nothing', async (_case, body, field) => {
    const tenantId = `refused-${randomUUID()}`;
    const response = await post(tenantId, body);

    expect(response.statusCode).toBe(400);
    const error = responseError(response);
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((detail) => detail.field)).toContain(field);
    expect(await tenantWorkflows(tenantId)).toEqual([]);
  });

  it('writes the workflow for the machine of its type, and marks it FAILED when that cannot start', async () => {
    const tenantId = `unstartable-${randomUUID()}`;
    const response = await post(tenantId, {
      template: 'saga',
      input: { task: 'a', failAt: 'commit' },
      queue: { delaySeconds: 30 },
    });

    expect(response.statusCode).toBe(503);
    expect(responseError(response).code).toBe('workflow_start_failed');
    const [item, ...others] = await tenantWorkflows(tenantId);
    expect(others).toEqual([]);
    expect(item).toMatchObject({
      type: 'saga',
      template: 'saga',
      status: 'FAILED',
      error: { code: 'start_failed' },
      options: { queue: { ...QUEUE, delaySeconds: 30 } },
    });
    expect(item!.executionArn).toMatch(/:execution:saga:/);
    // Its open-workflow slot went back with the FAILED, in the same transaction.
    expect(await openWorkflows(tenantId)).toBe(0);

    const read = await workflowsApi(
      httpApiEvent('GET /v1/workflows/{id}', {
        pathParameters: { id: item!.workflowId },
        caller: testCaller(tenantId),
      }),
      testLambdaContext,
    );
    expect(read.statusCode).toBe(200);
    const view = responseJson<WorkflowView>(read);
    expect(view).toMatchObject({ type: 'saga', template: 'saga', status: 'FAILED', gaps: null });
    expect(view.steps[0]).toMatchObject({ agentId: 'analysis-agent', role: null, compensation: null });
  });
});

describe('POST /v1/workflows in production', () => {
  let productionApi: ApiHandler;

  beforeAll(async () => {
    // The handler reads STAGE when it loads: a fresh module graph loads it as a production deployment.
    process.env.STAGE = 'prod';
    vi.resetModules();
    ({ handler: productionApi } = await import('../../../functions/api/workflows.handler.ts'));
  });

  afterAll(() => {
    process.env.STAGE = 'test';
  });

  const post = (tenantId: string, body: unknown) =>
    productionApi(
      httpApiEvent('POST /v1/workflows', { body, caller: testCaller(tenantId) }),
      testLambdaContext,
    );

  it('refuses failure injection, naming input.failAt, and writes nothing', async () => {
    const tenantId = `prod-${randomUUID()}`;
    const response = await post(tenantId, { template: 'saga', input: { task: 'a', failAt: 'commit' } });

    expect(response.statusCode).toBe(400);
    expect(responseError(response).details).toEqual([
      {
        field: 'input.failAt',
        message: expect.stringMatching(/failure injection is disabled in production/),
      },
    ]);
    expect(await tenantWorkflows(tenantId)).toEqual([]);
  });

  it('accepts the same workflow without it', async () => {
    const tenantId = `prod-${randomUUID()}`;
    // 503: accepted and written, then StartExecution found nobody listening.
    expect((await post(tenantId, { template: 'saga', input: { task: 'a' } })).statusCode).toBe(503);
    expect(await tenantWorkflows(tenantId)).toHaveLength(1);
  });
});

describe('backpressure: at most 100 open workflows per tenant', () => {
  function startFor(tenantId: string) {
    const body = { template: 'report', input: { task: 'Write report on AI trends' } };
    const parsed = validateInput(startWorkflowBodySchema(body, { stage: 'test' }), body);
    return startWorkflow(
      {
        client: environment.documents,
        workflowsTable: environment.tables.workflows,
        gateStateTable: environment.tables.gateState,
        maxOpenWorkflows: MAX_OPEN_WORKFLOWS,
        stateMachineArns: STATE_MACHINE_ARNS,
        startExecution: async () => undefined,
        clock: () => NOW,
        events: environment.bus.announcer,
        newWorkflowId: randomUUID,
      },
      tenantId,
      workflowPlan(parsed, BUILT_IN_WORKFLOW_DEFAULTS),
    );
  }

  it('answers the 101st 503 queue_full with Retry-After and writes nothing; an ended workflow frees a slot', async () => {
    const tenantId = `busy-${randomUUID()}`;
    const admitted = await Promise.all(Array.from({ length: MAX_OPEN_WORKFLOWS }, () => startFor(tenantId)));
    expect(admitted).toHaveLength(100);
    expect(await openWorkflows(tenantId)).toBe(100);

    const refused = await workflowsApi(
      httpApiEvent('POST /v1/workflows', {
        body: { template: 'report', input: { task: 'one too many' } },
        caller: testCaller(tenantId),
      }),
      testLambdaContext,
    );
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe(String(QUEUE_FULL_RETRY_AFTER_SECONDS));
    expect(responseError(refused)).toMatchObject({ code: 'queue_full' });
    expect(responseError(refused).message).toContain(`tenant ${tenantId} has 100 workflows`);
    await expect(startFor(tenantId)).rejects.toBeInstanceOf(WorkflowQueueFullError);
    // Nothing half-written: still 100 items and a count of 100.
    expect(await tenantWorkflows(tenantId)).toHaveLength(100);
    expect(await openWorkflows(tenantId)).toBe(100);

    // One ends (FAILED here; any ending gives the slot back, once, however often finish is retried).
    const ending = {
      client: environment.documents,
      tables: {
        workflows: environment.tables.workflows,
        proofs: environment.tables.proofs,
        gateState: environment.tables.gateState,
      },
      clock: () => NOW,
      events: environment.bus.announcer,
    };
    const input = {
      workflowId: admitted[0]!.workflowId,
      tenantId,
      status: 'FAILED' as const,
      error: { Error: 'Trustgate.StepFailed', Cause: 'stopped by the test' },
    };
    await finishWorkflow(ending, input);
    await finishWorkflow(ending, input);
    expect(await openWorkflows(tenantId)).toBe(99);
    await startFor(tenantId);
    await expect(startFor(tenantId)).rejects.toBeInstanceOf(WorkflowQueueFullError);
    expect(await tenantWorkflows(tenantId)).toHaveLength(101);
  });

  it('counts each tenant on its own', async () => {
    const tenantId = `quiet-${randomUUID()}`;
    await startFor(tenantId);
    expect(await openWorkflows(tenantId)).toBe(1);
  });
});
