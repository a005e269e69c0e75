// The escalations API against DynamoDB Local: listing (status, pagination, tenant isolation), reading,
// approving and rejecting, and every refusal. Escalations are opened by the escalate function's own code
// (escalateStep) on workflows arranged as the gate leaves them. Reads go through the deployed handler;
// answers go through the same routes with a TaskResponder that records what the waiting task would receive
// (the real SFN client's side is escalation-task-expiry.test.ts).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { escalationIdFor } from '../../../functions/app/escalations/escalation-id.ts';
import type { EscalationView } from '../../../functions/app/escalations/escalation-view.ts';
import { escalateStep, type OpenedEscalation } from '../../../functions/app/escalations/open-escalation.ts';
import type { TaskResponder } from '../../../functions/app/escalations/task-response.ts';
import type { StepState, WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import type { Caller, CallerRole } from '../../../functions/core/auth/caller.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import {
  type HttpApiEventOptions,
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { admitEveryRequest } from '../../support/request-limiters.ts';
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

interface TaskCall {
  kind: 'succeed' | 'fail';
  token: string;
  output?: object;
  error?: string;
  cause?: string;
}

/** A TaskResponder of our own seam that records each answer; `failWith` makes the next send throw. */
class RecordingResponder implements TaskResponder {
  readonly calls: TaskCall[] = [];
  failWith: Error | undefined;

  async succeed(token: string, output: object): Promise<void> {
    this.calls.push({ kind: 'succeed', token, output });
    this.throwIfAsked();
  }

  async fail(token: string, error: string, cause: string): Promise<void> {
    this.calls.push({ kind: 'fail', token, error, cause });
    this.throwIfAsked();
  }

  private throwIfAsked(): void {
    const error = this.failWith;
    this.failWith = undefined;
    if (error) throw error;
  }
}

let environment: ApiTestEnvironment;
let deployedHandler: Handler;
let answerRoutes: (event: HttpApiEvent) => Promise<HttpApiResponse>;
const tasks = new RecordingResponder();

beforeAll(async () => {
  environment = await startApiTestEnvironment('escalations-api');
  process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
  // Nothing listens on the discard port: the deployed handler never reaches Step Functions in these tests.
  process.env.AWS_ENDPOINT_URL_SFN = 'http://127.0.0.1:9';
  // Imported once the environment is set, so Powertools reads its settings from it.
  ({ handler: deployedHandler } = await import('../../../functions/api/escalations.handler.ts'));
  const { escalationsRoutes } = await import('../../../functions/app/escalations/escalation-routes.ts');
  const { routeRequest } = await import('../../../functions/http/http-router.ts');
  answerRoutes = routeRequest(
    escalationsRoutes({
      client: environment.documents,
      tables: { escalations: environment.tables.escalations, workflows: environment.tables.workflows },
      clock: Date.now,
      tasks,
      events: environment.bus.announcer,
    }),
    admitEveryRequest,
  );
});

afterAll(async () => {
  await environment?.stop();
});

beforeEach(() => {
  tasks.calls.length = 0;
});

const api = (routeKey: string, options?: HttpApiEventOptions) =>
  deployedHandler(httpApiEvent(routeKey, options), testLambdaContext);
const answer = (routeKey: string, options?: HttpApiEventOptions) =>
  answerRoutes(httpApiEvent(routeKey, options));

interface Escalated {
  workflow: WorkflowItem;
  opened: OpenedEscalation;
  taskToken: string;
}

/** A workflow waiting on an escalation, opened `ageMs` ago with the given SLA. */
async function escalated(
  tenantId: string,
  options: { step?: Partial<StepState>; ageMs?: number; slaSeconds?: number } = {},
): Promise<Escalated> {
  const workflow = await putWorkflow(
    environment.documents,
    environment.tables,
    escalatedWorkflowItem(tenantId, options.step),
  );
  const event = escalateEvent(workflow, { slaSeconds: options.slaSeconds ?? 3600 });
  const opened = await escalateStep(
    {
      client: environment.documents,
      tables: { workflows: environment.tables.workflows, escalations: environment.tables.escalations },
      clock: () => Date.now() - (options.ageMs ?? 0),
      events: environment.bus.announcer,
    },
    event,
  );
  return { workflow: await stored(workflow), opened, taskToken: event.taskToken };
}

const stored = (workflow: WorkflowItem) =>
  readWorkflow(environment.documents, environment.tables, workflow.workflowId);
const escalationItem = (escalationId: string) =>
  readEscalation(environment.documents, environment.tables, escalationId);

/** The caller option of a reviewer key of `tenant` at `level` (its name is who the answer records). */
function reviewer(level: number, tenant = 'default', name = 'test-reviewer'): { caller: Caller } {
  return { caller: testCaller(tenant, ['reviewer'], level, name) };
}

describe('GET /v1/escalations', () => {
  const tenant = 'list-tenant';
  const opened: OpenedEscalation[] = [];

  beforeAll(async () => {
    // Created oldest first, a second apart, so the order of createdAt is the order of creation.
    for (const ageMs of [4000, 3000, 2000, 1000]) opened.push((await escalated(tenant, { ageMs })).opened);
    await escalated('list-other-tenant');
    const approved = await answer('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: opened[1]!.escalationId },
      ...reviewer(3, tenant),
    });
    expect(approved.statusCode).toBe(200);
  });

  it('lists the tenant’s PENDING escalations oldest first, page by page', async () => {
    const first = await api('GET /v1/escalations', {
      caller: testCaller(tenant),
      queryStringParameters: { limit: '2' },
    });
    expect(first.statusCode).toBe(200);
    const page1 = responseJson<{ items: EscalationView[]; nextToken: string | null }>(first);
    expect(page1.items.map((item) => item.escalationId)).toEqual([
      opened[0]!.escalationId,
      opened[2]!.escalationId,
    ]);
    expect(page1.nextToken).toEqual(expect.any(String));

    const second = await api('GET /v1/escalations', {
      caller: testCaller(tenant),
      queryStringParameters: { limit: '2', nextToken: page1.nextToken!, status: 'PENDING' },
    });
    const page2 = responseJson<{ items: EscalationView[]; nextToken: string | null }>(second);
    // The approved one left the PENDING partition; a short last page carries no token.
    expect(page2.items.map((item) => item.escalationId)).toEqual([opened[3]!.escalationId]);
    expect(page2.nextToken).toBeNull();
  });

  it('lists by status, with the view’s every field and never the task token', async () => {
    const response = await api('GET /v1/escalations', {
      caller: testCaller(tenant),
      queryStringParameters: { status: 'APPROVED' },
    });
    const body = responseJson<{ items: EscalationView[]; nextToken: string | null }>(response);
    expect(body.nextToken).toBeNull();
    expect(body.items).toHaveLength(1);
    const [view] = body.items;
    expect(Object.keys(view!).sort()).toEqual(
      [
        'escalationId',
        'workflowId',
        'step',
        'stepIndex',
        'agentId',
        'intent',
        'requiredTier',
        'agentTier',
        'reasons',
        'level',
        'maxLevel',
        'deadline',
        'status',
        'createdAt',
        'updatedAt',
        'decidedAt',
        'reviewer',
        'reviewerLevel',
        'reason',
        'comment',
      ].sort(),
    );
    expect(view).toMatchObject({
      escalationId: opened[1]!.escalationId,
      status: 'APPROVED',
      reviewer: 'test-reviewer',
      reviewerLevel: 3,
      reason: null,
      comment: null,
    });
    expect(response.body).not.toContain('taskToken');
    expect(response.body).not.toContain('token-');
    expect(response.body).not.toContain('tenantStatus');
  });

  it('shows no other tenant’s escalations and refuses another tenant’s page token', async () => {
    const other = await api('GET /v1/escalations', {
      caller: testCaller('list-other-tenant'),
    });
    const otherIds = responseJson<{ items: EscalationView[] }>(other).items.map((item) => item.escalationId);
    expect(otherIds).toHaveLength(1);
    expect(otherIds).not.toContain(opened[0]!.escalationId);

    const page = await api('GET /v1/escalations', {
      caller: testCaller(tenant),
      queryStringParameters: { limit: '1' },
    });
    const { nextToken } = responseJson<{ nextToken: string }>(page);
    const stolen = await api('GET /v1/escalations', {
      caller: testCaller('list-other-tenant'),
      queryStringParameters: { nextToken },
    });
    expect(stolen.statusCode).toBe(400);
    expect(responseError(stolen).details[0]!.field).toBe('queryStringParameters.nextToken');

    const otherStatus = await api('GET /v1/escalations', {
      caller: testCaller(tenant),
      queryStringParameters: { nextToken, status: 'APPROVED' },
    });
    expect(otherStatus.statusCode).toBe(400);
  });

  it.each([
    [{ nextToken: 'not-a-token' }, 'queryStringParameters.nextToken'],
    [
      { nextToken: Buffer.from('{"escalationId":1}').toString('base64url') },
      'queryStringParameters.nextToken',
    ],
    [{ status: 'OPEN' }, 'queryStringParameters.status'],
    [{ limit: '0' }, 'queryStringParameters.limit'],
    [{ limit: '101' }, 'queryStringParameters.limit'],
  ])('answers 400 for %o naming %s', async (query, field) => {
    const response = await api('GET /v1/escalations', {
      caller: testCaller(tenant),
      queryStringParameters: query,
    });
    expect(response.statusCode).toBe(400);
    expect(responseError(response)).toMatchObject({ code: 'validation_failed', details: [{ field }] });
  });
});

describe('GET /v1/escalations/{id}', () => {
  it('shows the tenant’s escalation and 404 to any other tenant', async () => {
    const { opened, workflow } = await escalated('get-tenant');

    const own = await api('GET /v1/escalations/{id}', {
      pathParameters: { id: opened.escalationId },
      caller: testCaller('get-tenant'),
    });
    expect(own.statusCode).toBe(200);
    expect(responseJson<EscalationView>(own)).toMatchObject({
      escalationId: opened.escalationId,
      workflowId: workflow.workflowId,
      step: 'draft',
      stepIndex: ESCALATED_STEP,
      agentId: 'writing-agent',
      intent: 'generate_document',
      requiredTier: 'T3',
      agentTier: 'T2',
      level: 1,
      maxLevel: 3,
      deadline: opened.deadline,
      status: 'PENDING',
      decidedAt: null,
      reviewer: null,
    });
    expect(own.body).not.toContain('taskToken');

    const foreign = await api('GET /v1/escalations/{id}', {
      pathParameters: { id: opened.escalationId },
      caller: testCaller('someone-else'),
    });
    expect(foreign.statusCode).toBe(404);
    expect(responseError(foreign)).toMatchObject({
      code: 'escalation_not_found',
      details: [{ field: 'pathParameters.id' }],
    });
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const unknown = await api('GET /v1/escalations/{id}', {
      pathParameters: { id: escalationIdFor({ workflowId: 'w', stepIndex: 0, intentId: 'i', level: 1 }) },
    });
    expect(unknown.statusCode).toBe(404);
    const malformed = await api('GET /v1/escalations/{id}', { pathParameters: { id: 'esc-XYZ' } });
    expect(malformed.statusCode).toBe(400);
    expect(responseError(malformed).details[0]!.field).toBe('pathParameters.id');
  });
});

describe('POST /v1/escalations/{id}/approve', () => {
  it('records the approval on the escalation and the step, then answers the task', async () => {
    const { opened, workflow, taskToken } = await escalated('approve-tenant');

    const response = await answer('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: opened.escalationId },
      ...reviewer(2, 'approve-tenant', 'alice@example.com'),
      body: { comment: 'fine for an internal draft' },
    });

    expect(response.statusCode).toBe(200);
    const view = responseJson<EscalationView>(response);
    expect(view).toMatchObject({
      escalationId: opened.escalationId,
      status: 'APPROVED',
      reviewer: 'alice@example.com',
      reviewerLevel: 2,
      comment: 'fine for an internal draft',
      reason: null,
      decidedAt: expect.any(String),
    });
    expect(await escalationItem(opened.escalationId)).toMatchObject({
      status: 'APPROVED',
      tenantStatus: 'approve-tenant#APPROVED',
      reviewer: 'alice@example.com',
      reviewerLevel: 2,
      comment: 'fine for an internal draft',
      decidedAt: view.decidedAt,
    });
    const step = (await stored(workflow)).steps[ESCALATED_STEP]!;
    expect(step.status).toBe('APPROVED');
    expect(step.escalation).toEqual({ ...workflow.steps[ESCALATED_STEP]!.escalation, status: 'APPROVED' });
    expect(step.approval).toEqual({
      escalationId: opened.escalationId,
      level: 1,
      reviewer: 'alice@example.com',
      reviewerLevel: 2,
      approvedAt: view.decidedAt,
      comment: 'fine for an internal draft',
    });
    expect(tasks.calls).toEqual([
      {
        kind: 'succeed',
        token: taskToken,
        output: {
          escalationId: opened.escalationId,
          level: 1,
          approved: true,
          reviewer: 'alice@example.com',
          reviewerLevel: 2,
        },
      },
    ]);
  });

  it('needs no body: a reviewer approves without a comment, recorded under its key’s name', async () => {
    const { opened, workflow } = await escalated('approve-empty-tenant');

    const response = await answer('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: opened.escalationId },
      ...reviewer(1, 'approve-empty-tenant'),
    });

    expect(response.statusCode).toBe(200);
    expect(responseJson<EscalationView>(response)).toMatchObject({
      reviewer: 'test-reviewer',
      comment: null,
    });
    expect((await stored(workflow)).steps[ESCALATED_STEP]!.approval).not.toHaveProperty('comment');
  });
});

describe('POST /v1/escalations/{id}/reject', () => {
  it('records the rejection and fails the task with the reviewer’s reason', async () => {
    const { opened, workflow, taskToken } = await escalated('reject-tenant');

    const response = await answer('POST /v1/escalations/{id}/reject', {
      pathParameters: { id: opened.escalationId },
      ...reviewer(1, 'reject-tenant', 'bob'),
      body: { reason: 'the draft needs a T3 writer' },
    });

    expect(response.statusCode).toBe(200);
    expect(responseJson<EscalationView>(response)).toMatchObject({
      status: 'REJECTED',
      reviewer: 'bob',
      reviewerLevel: 1,
      reason: 'the draft needs a T3 writer',
      comment: null,
    });
    expect(await escalationItem(opened.escalationId)).toMatchObject({
      status: 'REJECTED',
      tenantStatus: 'reject-tenant#REJECTED',
      reason: 'the draft needs a T3 writer',
    });
    const step = (await stored(workflow)).steps[ESCALATED_STEP]!;
    expect(step.status).toBe('WAITING_APPROVAL');
    expect(step.escalation?.status).toBe('REJECTED');
    expect(step.approval).toBeUndefined();
    expect(tasks.calls).toEqual([
      {
        kind: 'fail',
        token: taskToken,
        error: 'Trustgate.EscalationRejected',
        cause: `escalation ${opened.escalationId} rejected at level 1 by bob: the draft needs a T3 writer`,
      },
    ]);
  });
});

describe('refused answers write nothing', () => {
  interface Refusal {
    route: 'approve' | 'reject';
    /** The answering key: a reviewer of the escalation's tenant at `level`, unless it says otherwise. */
    key: { level?: number; roles?: CallerRole[]; tenant?: string };
    body?: unknown;
    arrange?: { step?: Partial<StepState>; ageMs?: number; slaSeconds?: number; tenant?: string };
    status: number;
    code: string;
    field?: string;
  }

  const cases: [string, Refusal][] = [
    [
      'the operator role',
      {
        route: 'approve',
        key: { roles: ['operator'] },
        status: 403,
        code: 'forbidden',
        field: 'headers.authorization',
      },
    ],
    [
      'an admin without the reviewer role',
      {
        route: 'reject',
        key: { roles: ['admin', 'operator'] },
        body: { reason: 'no' },
        status: 403,
        code: 'forbidden',
        field: 'headers.authorization',
      },
    ],
    [
      'a reviewer below the escalation’s level',
      {
        route: 'approve',
        key: { level: 1 },
        arrange: { step: { authorityLevel: 2 } },
        status: 403,
        code: 'insufficient_authority',
        field: 'headers.authorization',
      },
    ],
    [
      'an expired deadline',
      {
        route: 'approve',
        key: { level: 3 },
        arrange: { ageMs: 5000, slaSeconds: 1 },
        status: 409,
        code: 'escalation_expired',
        field: 'deadline',
      },
    ],
    [
      'a rejection without a reason',
      {
        route: 'reject',
        key: { level: 1 },
        body: {},
        status: 400,
        code: 'validation_failed',
        field: 'reason',
      },
    ],
    [
      'a rejection with a blank reason',
      {
        route: 'reject',
        key: { level: 1 },
        body: { reason: '   ' },
        status: 400,
        code: 'validation_failed',
        field: 'reason',
      },
    ],
    [
      'a rejection without a body',
      { route: 'reject', key: { level: 1 }, status: 400, code: 'missing_body', field: 'body' },
    ],
    [
      'an approval with an unknown field',
      {
        route: 'approve',
        key: { level: 1 },
        body: { comment: 'ok', approved: true },
        status: 400,
        code: 'validation_failed',
        field: 'approved',
      },
    ],
    [
      'another tenant’s escalation',
      {
        route: 'approve',
        key: { level: 3, tenant: 'intruder-tenant' },
        status: 404,
        code: 'escalation_not_found',
        field: 'pathParameters.id',
      },
    ],
  ];

  it.each(cases)('%s', async (_, refusal) => {
    const tenant = 'refusal-tenant';
    const { opened, workflow } = await escalated(tenant, refusal.arrange);
    const item = await escalationItem(opened.escalationId);
    const { level = 3, roles = ['reviewer'], tenant: keyTenant = tenant } = refusal.key;
    const caller = testCaller(keyTenant, roles, roles.includes('reviewer') ? level : undefined);

    const response = await answer(`POST /v1/escalations/{id}/${refusal.route}`, {
      pathParameters: { id: opened.escalationId },
      caller,
      ...(refusal.body === undefined ? {} : { body: refusal.body }),
    });

    expect(response.statusCode).toBe(refusal.status);
    const error = responseError(response);
    expect(error.code).toBe(refusal.code);
    if (refusal.field) expect(error.details.map((detail) => detail.field)).toContain(refusal.field);
    expect(await escalationItem(opened.escalationId)).toEqual(item);
    expect(await stored(workflow)).toEqual(workflow);
    expect(tasks.calls).toEqual([]);
  });

  it('names both levels when the reviewer’s authority is insufficient', async () => {
    const { opened } = await escalated('authority-tenant', { step: { authorityLevel: 3 } });
    const response = await answer('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: opened.escalationId },
      ...reviewer(2, 'authority-tenant'),
    });
    expect(responseError(response).message).toBe("reviewer level 2 is below the escalation's level 3");
  });

  it('answers 404 for an unknown escalation', async () => {
    const response = await answer('POST /v1/escalations/{id}/reject', {
      pathParameters: { id: escalationIdFor({ workflowId: 'x', stepIndex: 0, intentId: 'y', level: 1 }) },
      ...reviewer(3),
      body: { reason: 'unknown' },
    });
    expect(response.statusCode).toBe(404);
    expect(responseError(response).code).toBe('escalation_not_found');
  });

  it('answers 409 not pending, with the status, to a second answer', async () => {
    const { opened, workflow } = await escalated('twice-tenant');
    const asReviewer = reviewer(1, 'twice-tenant');
    const first = await answer('POST /v1/escalations/{id}/reject', {
      pathParameters: { id: opened.escalationId },
      ...asReviewer,
      body: { reason: 'no' },
    });
    expect(first.statusCode).toBe(200);
    const item = await escalationItem(opened.escalationId);
    const afterFirst = await stored(workflow);
    tasks.calls.length = 0;

    const second = await answer('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: opened.escalationId },
      ...asReviewer,
    });

    expect(second.statusCode).toBe(409);
    expect(responseError(second)).toMatchObject({
      code: 'escalation_not_pending',
      details: [{ field: 'status', message: 'REJECTED' }],
    });
    expect(await escalationItem(opened.escalationId)).toEqual(item);
    expect(await stored(workflow)).toEqual(afterFirst);
    expect(tasks.calls).toEqual([]);
  });

  it('answers 409 not pending when the workflow no longer waits on the escalation, writing nothing', async () => {
    const { opened, workflow } = await escalated('ended-tenant');
    const ended = await putWorkflow(environment.documents, environment.tables, {
      ...workflow,
      status: 'FAILED',
    });
    const item = await escalationItem(opened.escalationId);

    const response = await answer('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: opened.escalationId },
      ...reviewer(1, 'ended-tenant'),
    });

    expect(response.statusCode).toBe(409);
    expect(responseError(response).code).toBe('escalation_not_pending');
    expect(await escalationItem(opened.escalationId)).toEqual(item);
    expect(await stored(workflow)).toEqual(ended);
    expect(tasks.calls).toEqual([]);
  });
});

describe('answers Step Functions does not take', () => {
  it('marks the escalation TIMED_OUT and removes the approval when the task timed out', async () => {
    const { opened, workflow } = await escalated('late-tenant');
    tasks.failWith = Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' });

    const response = await answer('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: opened.escalationId },
      ...reviewer(1, 'late-tenant', 'carol'),
    });

    expect(response.statusCode).toBe(409);
    expect(responseError(response).code).toBe('escalation_expired');
    expect(await escalationItem(opened.escalationId)).toMatchObject({
      status: 'TIMED_OUT',
      tenantStatus: 'late-tenant#TIMED_OUT',
    });
    const step = (await stored(workflow)).steps[ESCALATED_STEP]!;
    expect(step.escalation?.status).toBe('TIMED_OUT');
    expect(step.approval).toBeUndefined();
  });

  it('keeps the answer on record and fails with a 5xx when the send fails otherwise', async () => {
    const { opened } = await escalated('flaky-tenant');
    tasks.failWith = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

    const response = await answer('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: opened.escalationId },
      ...reviewer(1, 'flaky-tenant'),
    });

    expect(response.statusCode).toBe(500);
    expect((await escalationItem(opened.escalationId))?.status).toBe('APPROVED');
  });
});
