// The escalate function, invoked as the state machine's AwaitApproval task invokes it, against DynamoDB
// Local: open, refresh on retry, raise, timeout past the maximum level, refusal and invalid steps, with
// the escalation items and the workflow step checked after each.
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { escalationIdFor } from '../../../functions/app/escalations/escalation-id.ts';
import type { EscalationItem } from '../../../functions/app/escalations/escalation-item.ts';
import { ESCALATION_METRICS } from '../../../functions/app/escalations/escalation-metrics.ts';
import type { OpenedEscalation } from '../../../functions/app/escalations/open-escalation.ts';
import type { WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import {
  ESCALATED_STEP,
  escalatedWorkflowItem,
  escalateEvent,
  putWorkflow,
  readEscalation,
  readWorkflow,
} from './escalated-workflow.ts';

type Escalate = (event: unknown, context: typeof testLambdaContext) => Promise<OpenedEscalation>;

let environment: ApiTestEnvironment;
let escalate: Escalate;

beforeAll(async () => {
  environment = await startApiTestEnvironment('escalate');
  // Refusals are logged as warnings by design; here they are what the tests provoke.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  ({ handler: escalate } = (await import('../../../functions/workflow/escalate.handler.ts')) as unknown as {
    handler: Escalate;
  });
});

afterAll(async () => {
  await environment?.stop();
});

async function arrange(...args: Parameters<typeof escalatedWorkflowItem>): Promise<WorkflowItem> {
  return putWorkflow(environment.documents, environment.tables, escalatedWorkflowItem(...args));
}

const workflowOf = (workflow: WorkflowItem) =>
  readWorkflow(environment.documents, environment.tables, workflow.workflowId);
const escalationItem = (escalationId: string) =>
  readEscalation(environment.documents, environment.tables, escalationId);

async function escalationsOf(workflowId: string): Promise<EscalationItem[]> {
  const { Items } = await environment.documents.send(
    new ScanCommand({
      TableName: environment.tables.escalations,
      FilterExpression: 'workflowId = :workflowId',
      ExpressionAttributeValues: { ':workflowId': workflowId },
      ConsistentRead: true,
    }),
  );
  return ((Items ?? []) as EscalationItem[]).sort((a, b) => a.level - b.level);
}

/** The error an escalate invocation fails with: its name is what Step Functions matches. */
async function failure(event: unknown): Promise<Error> {
  try {
    await escalate(event, testLambdaContext);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the escalate function did not fail');
}

describe('open', () => {
  it('counts the SLA from when the waiting state was entered, where Step Functions starts its timeout', async () => {
    const workflow = await arrange('entered-tenant');
    const enteredAt = new Date(Date.now() - 4_000).toISOString();

    const opened = await escalate(
      { ...escalateEvent(workflow, { slaSeconds: 600 }), enteredAt },
      testLambdaContext,
    );

    expect(opened.deadline).toBe(new Date(Date.parse(enteredAt) + 600_000).toISOString());
  });

  it('opens a PENDING escalation at the decision’s level and puts the step in WAITING_APPROVAL', async () => {
    const workflow = await arrange('open-tenant');
    const step = workflow.steps[ESCALATED_STEP]!;
    const event = escalateEvent(workflow, { slaSeconds: 600 });
    const before = Date.now();

    const opened = await escalate(event, testLambdaContext);

    const escalationId = escalationIdFor({
      workflowId: workflow.workflowId,
      stepIndex: ESCALATED_STEP,
      intentId: step.intentId!,
      level: 1,
    });
    expect(opened).toEqual({ escalationId, level: 1, deadline: expect.any(String) });
    const deadline = Date.parse(opened.deadline);
    expect(deadline).toBeGreaterThanOrEqual(before + 600_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 600_000);

    const item = await escalationItem(escalationId);
    expect(item).toEqual({
      escalationId,
      tenantId: 'open-tenant',
      tenantStatus: 'open-tenant#PENDING',
      workflowId: workflow.workflowId,
      stepIndex: ESCALATED_STEP,
      step: 'draft',
      agentId: 'writing-agent',
      intent: 'generate_document',
      requiredTier: 'T3',
      agentTier: 'T2',
      reasons: ['agent tier T2 is below the required tier T3'],
      level: 1,
      maxLevel: 3,
      slaSeconds: 600,
      deadline: opened.deadline,
      status: 'PENDING',
      taskToken: event.taskToken,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const stored = await workflowOf(workflow);
    expect(stored.steps[ESCALATED_STEP]).toMatchObject({
      status: 'WAITING_APPROVAL',
      escalation: { escalationId, level: 1, deadline: opened.deadline, status: 'PENDING' },
    });
    expect(stored.steps[0]).toEqual(workflow.steps[0]);
  });

  it('refreshes the task token when the invocation is retried, keeping one item and its creation time', async () => {
    const workflow = await arrange('refresh-tenant');
    const first = await escalate(escalateEvent(workflow, { taskToken: 'first-token' }), testLambdaContext);
    const created = (await escalationItem(first.escalationId))!.createdAt;
    await new Promise((resolve) => setTimeout(resolve, 5));

    const retried = await escalate(escalateEvent(workflow, { taskToken: 'retry-token' }), testLambdaContext);

    expect(retried.escalationId).toBe(first.escalationId);
    const items = await escalationsOf(workflow.workflowId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ taskToken: 'retry-token', status: 'PENDING', createdAt: created });
  });

  it('never reopens an escalation a reviewer already answered: the recorded one is reported', async () => {
    const workflow = await arrange('answered-tenant');
    const opened = await escalate(
      escalateEvent(workflow, { taskToken: 'answered-token' }),
      testLambdaContext,
    );
    await environment.documents.send(
      new UpdateCommand({
        TableName: environment.tables.escalations,
        Key: { escalationId: opened.escalationId },
        UpdateExpression: 'SET #status = :approved, tenantStatus = :tenantStatus',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':approved': 'APPROVED', ':tenantStatus': 'answered-tenant#APPROVED' },
      }),
    );
    const answered = await escalationItem(opened.escalationId);

    const again = await escalate(escalateEvent(workflow, { taskToken: 'late-token' }), testLambdaContext);

    expect(again).toEqual(opened);
    expect(await escalationItem(opened.escalationId)).toEqual(answered);
  });

  it('refuses a decision whose level is above the workflow’s maximum, writing nothing', async () => {
    const workflow = await arrange('refused-tenant', { authorityLevel: 3 });

    const error = await failure(escalateEvent(workflow, { maxLevel: 2 }));

    expect(error.name).toBe('Trustgate.EscalationRefused');
    expect(error.message).toContain('authority level 3');
    expect(error.message).toContain('maximum level 2');
    expect(await escalationsOf(workflow.workflowId)).toEqual([]);
    expect(await workflowOf(workflow)).toEqual(workflow);
  });
});

describe('raise', () => {
  it('times out the current level and opens level + 1 in one step; a retried raise does not raise twice', async () => {
    const workflow = await arrange('raise-tenant');
    const level1 = await escalate(escalateEvent(workflow, { taskToken: 'token-level-1' }), testLambdaContext);

    const raise = escalateEvent(workflow, { mode: 'raise', slaSeconds: 120, taskToken: 'token-level-2' });
    const level2 = await escalate(raise, testLambdaContext);

    expect(level2.level).toBe(2);
    expect(level2.escalationId).toBe(
      escalationIdFor({
        workflowId: workflow.workflowId,
        stepIndex: ESCALATED_STEP,
        intentId: workflow.steps[ESCALATED_STEP]!.intentId!,
        level: 2,
      }),
    );
    const [first, second] = await escalationsOf(workflow.workflowId);
    expect(first).toMatchObject({
      escalationId: level1.escalationId,
      status: 'TIMED_OUT',
      tenantStatus: 'raise-tenant#TIMED_OUT',
    });
    expect(second).toMatchObject({
      escalationId: level2.escalationId,
      level: 2,
      status: 'PENDING',
      tenantStatus: 'raise-tenant#PENDING',
      slaSeconds: 120,
      taskToken: 'token-level-2',
    });
    expect((await workflowOf(workflow)).steps[ESCALATED_STEP]).toMatchObject({
      status: 'WAITING_APPROVAL',
      escalation: { escalationId: level2.escalationId, level: 2, status: 'PENDING' },
    });

    const retried = await escalate(raise, testLambdaContext);

    expect(retried.escalationId).toBe(level2.escalationId);
    expect(retried.level).toBe(2);
    expect(await escalationsOf(workflow.workflowId)).toHaveLength(2);
  });

  it('fails closed past the maximum level: the last escalation TIMED_OUT, then EscalationTimedOut', async () => {
    const workflow = await arrange('timeout-tenant');
    await escalate(escalateEvent(workflow, { maxLevel: 2, taskToken: 't1' }), testLambdaContext);
    const level2 = await escalate(
      escalateEvent(workflow, { mode: 'raise', maxLevel: 2, taskToken: 't2' }),
      testLambdaContext,
    );

    const error = await failure(escalateEvent(workflow, { mode: 'raise', maxLevel: 2, taskToken: 't3' }));

    expect(error.name).toBe('Trustgate.EscalationTimedOut');
    expect(error.message).toBe('no reviewer answered within the SLA at levels 1, 2; timeout = deny');
    const items = await escalationsOf(workflow.workflowId);
    expect(items.map(({ level, status, tenantStatus }) => ({ level, status, tenantStatus }))).toEqual([
      { level: 1, status: 'TIMED_OUT', tenantStatus: 'timeout-tenant#TIMED_OUT' },
      { level: 2, status: 'TIMED_OUT', tenantStatus: 'timeout-tenant#TIMED_OUT' },
    ]);
    expect((await workflowOf(workflow)).steps[ESCALATED_STEP]!.escalation).toEqual({
      escalationId: level2.escalationId,
      level: 2,
      deadline: level2.deadline,
      status: 'TIMED_OUT',
    });
  });

  it('counts each raise, and the final timeout as EscalationTimedOut: the metric its alarm watches', async () => {
    const { metrics } = await import('../../../functions/observability/powertools.ts');
    const added = vi.spyOn(metrics, 'addMetric');
    const counted = () => added.mock.calls.map(([name]) => name);
    try {
      const workflow = await arrange('timeout-metric-tenant');
      await escalate(escalateEvent(workflow, { maxLevel: 2, taskToken: 't1' }), testLambdaContext);
      await escalate(
        escalateEvent(workflow, { mode: 'raise', maxLevel: 2, taskToken: 't2' }),
        testLambdaContext,
      );
      expect(counted()).toEqual(['EscalationOpened', 'EscalationRaised']);

      await failure(escalateEvent(workflow, { mode: 'raise', maxLevel: 2, taskToken: 't3' }));
      expect(counted().slice(2)).toEqual(['EscalationFailed', ESCALATION_METRICS.timedOut]);
      // Any other failure is no timeout: here, a step the gate allowed has nothing to escalate.
      const allowed = await arrange('timeout-metric-tenant', { decision: 'ALLOW' });
      expect((await failure(escalateEvent(allowed))).name).toBe('Trustgate.StepInvalid');
      expect(counted().slice(4)).toEqual(['EscalationFailed']);
    } finally {
      added.mockRestore();
    }
  });

  it('removes an approval that never reached the task when the level is raised', async () => {
    const workflow = await arrange('stale-approval-tenant');
    const level1 = await escalate(escalateEvent(workflow, { taskToken: 'stale-1' }), testLambdaContext);
    await environment.documents.send(
      new UpdateCommand({
        TableName: environment.tables.workflows,
        Key: { workflowId: workflow.workflowId },
        UpdateExpression: `SET steps[${ESCALATED_STEP}].approval = :approval, steps[${ESCALATED_STEP}].#status = :approved`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':approved': 'APPROVED',
          ':approval': {
            escalationId: level1.escalationId,
            level: 1,
            reviewer: 'alice',
            reviewerLevel: 1,
            approvedAt: new Date().toISOString(),
          },
        },
      }),
    );

    await escalate(escalateEvent(workflow, { mode: 'raise', taskToken: 'stale-2' }), testLambdaContext);

    const step = (await workflowOf(workflow)).steps[ESCALATED_STEP]!;
    expect(step.status).toBe('WAITING_APPROVAL');
    expect(step.approval).toBeUndefined();
    expect(step.escalation?.level).toBe(2);
  });
});

describe('steps that cannot be escalated', () => {
  it.each([
    ['open without an authority level', { authorityLevel: undefined }, 'open', 'no authority level'],
    ['raise without an escalation', {}, 'raise', 'no escalation to raise'],
    ['a step decided ALLOW', { decision: 'ALLOW' as const }, 'open', 'not ESCALATE'],
  ] as const)('%s → StepInvalid, nothing written', async (_, step, mode, reason) => {
    const workflow = await arrange('invalid-tenant', step);

    const error = await failure(escalateEvent(workflow, { mode }));

    expect(error.name).toBe('Trustgate.StepInvalid');
    expect(error.message).toContain(reason);
    expect(await escalationsOf(workflow.workflowId)).toEqual([]);
    expect(await workflowOf(workflow)).toEqual(workflow);
  });

  it('refuses another tenant’s workflow, a finished workflow, a missing step and malformed input', async () => {
    const workflow = await arrange('owner-tenant');
    const finished = await arrange('owner-tenant', {}, { status: 'FAILED' });

    const errors = await Promise.all([
      failure({ ...escalateEvent(workflow), tenantId: 'intruder' }),
      failure(escalateEvent(finished)),
      failure({ ...escalateEvent(workflow), stepIndex: 7 }),
      failure({ ...escalateEvent(workflow), maxLevel: 4 }),
      failure({ ...escalateEvent(workflow), slaSeconds: 0 }),
      failure({ ...escalateEvent(workflow), extra: true }),
    ]);

    expect(errors.map((error) => error.name)).toEqual(Array(6).fill('Trustgate.StepInvalid'));
    expect(errors[0]!.message).toContain('does not exist in tenant "intruder"');
    expect(errors[1]!.message).toContain('is FAILED, not RUNNING');
    expect(await escalationsOf(workflow.workflowId)).toEqual([]);
  });
});
