// GET /v1/workflows against a real DynamoDB Local, through the workflows handler: the tenant's workflows
// newest first through the byTenant index, summaries only, the status filter on the status the view shows
// (derived while RUNNING), pages whose tokens are bound to the tenant, and 400s for bad or unknown
// parameters. Workflow items are written directly, with the createdAt each test needs; one is started through
// POST /v1/workflows, so the index is shown to hold what the real write path writes.

import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_READS_PER_PAGE } from '../../../functions/app/workflows/list-workflows.ts';
import type {
  StepState,
  WorkflowItem,
  WorkflowStatus,
  WorkflowViewStatus,
} from '../../../functions/app/workflows/workflow-item.ts';
import {
  TASK_PREVIEW_CHARACTERS,
  type WorkflowSummaryView,
} from '../../../functions/app/workflows/workflow-view.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import {
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from './api-test-environment.ts';

type ApiHandler = (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

interface ListPage {
  items: WorkflowSummaryView[];
  nextToken: string | null;
}

const BASE = Date.UTC(2026, 10, 25, 12, 0, 0);

let environment: ApiTestEnvironment;
let workflowsApi: ApiHandler;

beforeAll(async () => {
  environment = await startApiTestEnvironment('workflows-list');
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.SEQUENTIAL_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:sequential';
  process.env.PARALLEL_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:parallel';
  process.env.SAGA_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:saga';
  process.env.STAGE = 'test';
  // Nothing listens on the discard port: a started workflow's StartExecution fails and it is stored FAILED.
  process.env.AWS_ENDPOINT_URL_SFN = 'http://127.0.0.1:9';
  ({ handler: workflowsApi } = await import('../../../functions/api/workflows.handler.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

function freshTenant(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

function step(name: string, status: StepState['status'], extra: Partial<StepState> = {}): StepState {
  return {
    name,
    agentId: 'research-agent',
    requiredTier: 'T3',
    intent: 'search_web',
    resource: { id: 'web', type: 'web' },
    status,
    ...extra,
  };
}

/** Writes a workflow of `tenantId` created `minute` minutes after BASE; returns its id. */
async function putWorkflow(
  tenantId: string,
  minute: number,
  status: WorkflowStatus = 'SUCCEEDED',
  options: { steps?: StepState[]; task?: string } = {},
): Promise<string> {
  const workflowId = randomUUID();
  const at = new Date(BASE + minute * 60_000).toISOString();
  const item: WorkflowItem = {
    workflowId,
    tenantId,
    template: 'report',
    type: 'sequential',
    input: { task: options.task ?? `task of minute ${minute}` },
    options: {
      preference: 'cost',
      escalation: { slaSeconds: 3600, maxLevel: 3 },
      queue: { maxAttempts: 5, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 300 },
    },
    steps: options.steps ?? [
      step('research', status === 'RUNNING' ? 'DECIDED' : 'SUCCEEDED', {
        decision: 'ALLOW',
        output: 'a long output that the listing leaves out',
      }),
    ],
    status,
    ...(status === 'FAILED' ? { error: { code: 'step_denied', message: 'denied', step: 'research' } } : {}),
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:sequential:${workflowId}`,
    createdAt: at,
    updatedAt: at,
  };
  await environment.documents.send(new PutCommand({ TableName: environment.tables.workflows, Item: item }));
  return workflowId;
}

function list(tenantId: string, query?: Record<string, string>): Promise<HttpApiResponse> {
  return workflowsApi(
    httpApiEvent('GET /v1/workflows', {
      caller: testCaller(tenantId, ['reviewer'], 1),
      ...(query ? { queryStringParameters: query } : {}),
    }),
    testLambdaContext,
  );
}

async function listed(tenantId: string, query?: Record<string, string>): Promise<ListPage> {
  const response = await list(tenantId, query);
  expect(response.statusCode, response.body).toBe(200);
  return responseJson<ListPage>(response);
}

/** Every page of the listing with `query`, following nextToken. */
async function allPages(tenantId: string, query: Record<string, string>): Promise<ListPage[]> {
  const pages: ListPage[] = [];
  let nextToken: string | null = null;
  do {
    const page: ListPage = await listed(tenantId, { ...query, ...(nextToken ? { nextToken } : {}) });
    pages.push(page);
    nextToken = page.nextToken;
  } while (nextToken !== null && pages.length < 50);
  return pages;
}

describe('GET /v1/workflows', () => {
  it('lists the tenant’s workflows newest first, as summaries without outputs, to any key of the tenant', async () => {
    const tenantId = freshTenant('newest');
    const ids = [];
    for (const minute of [3, 1, 4, 2]) ids[minute] = await putWorkflow(tenantId, minute);

    const page = await listed(tenantId);

    expect(page.nextToken).toBeNull();
    expect(page.items.map((item) => item.workflowId)).toEqual([ids[4], ids[3], ids[2], ids[1]]);
    expect(page.items[0]).toEqual({
      workflowId: ids[4],
      type: 'sequential',
      template: 'report',
      status: 'SUCCEEDED',
      task: 'task of minute 4',
      steps: [{ name: 'research', agentId: 'research-agent', status: 'SUCCEEDED', decision: 'ALLOW' }],
      error: null,
      createdAt: new Date(BASE + 4 * 60_000).toISOString(),
      updatedAt: new Date(BASE + 4 * 60_000).toISOString(),
    });
  });

  it('shows a long task cut to its first characters, marked by an ellipsis', async () => {
    const tenantId = freshTenant('preview');
    await putWorkflow(tenantId, 0, 'SUCCEEDED', { task: 'x'.repeat(5000) });

    const [item] = (await listed(tenantId)).items;

    expect(item!.task).toHaveLength(TASK_PREVIEW_CHARACTERS);
    expect(item!.task.endsWith('…')).toBe(true);
  });

  it('lists a workflow started through POST /v1/workflows (here FAILED: its execution could not start)', async () => {
    const tenantId = freshTenant('started');
    const started = await workflowsApi(
      httpApiEvent('POST /v1/workflows', {
        body: { template: 'report', input: { task: 'Write report on AI trends' } },
        caller: testCaller(tenantId),
      }),
      testLambdaContext,
    );
    expect(started.statusCode).toBe(503);

    const { items } = await listed(tenantId);

    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      template: 'report',
      status: 'FAILED',
      task: 'Write report on AI trends',
      error: { code: 'start_failed' },
    });
    expect(items[0]!.steps.map((listedStep) => listedStep.name)).toEqual(['research', 'analysis', 'writing']);
  });

  it('shows only the caller’s tenant, and refuses another tenant’s page token', async () => {
    const mine = freshTenant('mine');
    const theirs = freshTenant('theirs');
    const myIds = [await putWorkflow(mine, 1), await putWorkflow(mine, 2)];
    const theirIds = [await putWorkflow(theirs, 3), await putWorkflow(theirs, 4)];

    expect((await listed(mine)).items.map((item) => item.workflowId).sort()).toEqual([...myIds].sort());
    expect((await listed(theirs)).items.map((item) => item.workflowId).sort()).toEqual([...theirIds].sort());
    expect((await listed(freshTenant('nobody'))).items).toEqual([]);

    const { nextToken } = await listed(theirs, { limit: '1' });
    expect(nextToken).toEqual(expect.any(String));
    const foreign = await list(mine, { nextToken: nextToken! });
    expect(foreign.statusCode).toBe(400);
    expect(responseError(foreign).details[0]?.field).toBe('queryStringParameters.nextToken');
  });

  it('pages with limit and nextToken: every workflow once, newest first, the last page without a token', async () => {
    const tenantId = freshTenant('pages');
    const ids: string[] = [];
    for (let minute = 0; minute < 5; minute++) ids.push(await putWorkflow(tenantId, minute));

    const pages = await allPages(tenantId, { limit: '2' });

    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(pages.at(-1)!.nextToken).toBeNull();
    expect(pages.flatMap((page) => page.items.map((item) => item.workflowId))).toEqual([...ids].reverse());
  });

  it('filters on the status the view shows: stored final statuses, and RUNNING / QUEUED / WAITING_APPROVAL told apart by the steps', async () => {
    const tenantId = freshTenant('status');
    const succeeded = await putWorkflow(tenantId, 1, 'SUCCEEDED');
    const failed = await putWorkflow(tenantId, 2, 'FAILED');
    const compensated = await putWorkflow(tenantId, 3, 'COMPENSATED');
    const running = await putWorkflow(tenantId, 4, 'RUNNING');
    const queued = await putWorkflow(tenantId, 5, 'RUNNING', {
      steps: [step('research', 'QUEUED', { agentId: undefined, role: 'general' })],
    });
    const waiting = await putWorkflow(tenantId, 6, 'RUNNING', {
      steps: [step('research', 'SUCCEEDED'), step('draft', 'WAITING_APPROVAL', { decision: 'ESCALATE' })],
    });
    const expected: Record<WorkflowViewStatus, string[]> = {
      SUCCEEDED: [succeeded],
      FAILED: [failed],
      COMPENSATED: [compensated],
      RUNNING: [running],
      QUEUED: [queued],
      WAITING_APPROVAL: [waiting],
    };

    for (const [status, ids] of Object.entries(expected)) {
      const { items, nextToken } = await listed(tenantId, { status });
      expect(
        items.map((item) => item.workflowId),
        status,
      ).toEqual(ids);
      expect(items.every((item) => item.status === status)).toBe(true);
      expect(nextToken).toBeNull();
    }
    const queuedItem = (await listed(tenantId, { status: 'QUEUED' })).items[0]!;
    expect(queuedItem.steps).toEqual([{ name: 'research', agentId: null, status: 'QUEUED', decision: null }]);
  });

  it('pages a filtered listing without skipping or repeating a match', async () => {
    const tenantId = freshTenant('filtered-pages');
    const failed: string[] = [];
    for (let minute = 0; minute < 9; minute++) {
      const status = minute % 3 === 0 ? 'SUCCEEDED' : 'FAILED';
      const id = await putWorkflow(tenantId, minute, status);
      if (status === 'FAILED') failed.push(id);
    }

    const pages = await allPages(tenantId, { status: 'FAILED', limit: '2' });

    expect(pages.flatMap((page) => page.items.map((item) => item.workflowId))).toEqual([...failed].reverse());
    expect(pages.slice(0, -1).every((page) => page.items.length === 2)).toBe(true);
  });

  it('answers a short page with a nextToken when the filter matches nothing within its reads, and the token goes on', async () => {
    const tenantId = freshTenant('sparse');
    const compensated = await putWorkflow(tenantId, 0, 'COMPENSATED');
    for (let minute = 1; minute <= MAX_READS_PER_PAGE + 2; minute++) await putWorkflow(tenantId, minute);

    const first = await listed(tenantId, { status: 'COMPENSATED', limit: '1' });
    expect(first.items).toEqual([]);
    expect(first.nextToken).toEqual(expect.any(String));

    const pages = await allPages(tenantId, { status: 'COMPENSATED', limit: '1' });
    expect(pages.flatMap((page) => page.items.map((item) => item.workflowId))).toEqual([compensated]);
  });

  it.each([
    [{ limt: '5' }, 'queryStringParameters.limt'],
    [{ status: 'failed' }, 'queryStringParameters.status'],
    [{ status: 'PENDING' }, 'queryStringParameters.status'],
    [{ limit: '0' }, 'queryStringParameters.limit'],
    [{ limit: '101' }, 'queryStringParameters.limit'],
    [{ limit: 'ten' }, 'queryStringParameters.limit'],
    [{ nextToken: 'not-a-token' }, 'queryStringParameters.nextToken'],
    [
      {
        nextToken: Buffer.from(JSON.stringify({ workflowId: 'w', tenantId: 'someone-else' })).toString(
          'base64url',
        ),
      },
      'queryStringParameters.nextToken',
    ],
  ])('refuses %o with a 400 naming %s', async (query, field) => {
    const response = await list(freshTenant('refused'), query);

    expect(response.statusCode).toBe(400);
    const error = responseError(response);
    expect(error.details.map((detail) => detail.field)).toContain(field);
  });
});
