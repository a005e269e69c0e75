// The saga's compensation functions (plan-compensation, compensate) and its COMPENSATED finish, invoked as
// statemachines/saga.asl.json invokes them, against a real DynamoDB Local. The workflows are written
// directly, in the state the gate and record-step-failure would have left them.
import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompensateStepOutcome } from '../../../functions/app/workflows/compensate-step.ts';
import type { FinishOutcome } from '../../../functions/app/workflows/finish-workflow.ts';
import type { CompensationPlan } from '../../../functions/app/workflows/plan-compensation.ts';
import type {
  StepDefinition,
  StepState,
  WorkflowItem,
  WorkflowType,
} from '../../../functions/app/workflows/workflow-item.ts';
import { verifyMerklePath } from '../../../functions/core/proofs/merkle-tree.ts';
import type { ProofItem } from '../../../functions/data/proofs-repository.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { DEFAULT_OPTIONS, type Invoke, invocationFailure, storedWorkflow } from './flow-workflow-item.ts';

let environment: ApiTestEnvironment;
let planCompensation: Invoke<CompensationPlan>;
let compensate: Invoke<CompensateStepOutcome>;
let finish: Invoke<FinishOutcome>;

beforeAll(async () => {
  environment = await startApiTestEnvironment('saga');
  // Refused compensations are logged as warnings by design; here they are what the tests provoke.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  ({ handler: planCompensation } = (await import(
    '../../../functions/workflow/plan-compensation.handler.ts'
  )) as unknown as { handler: Invoke<CompensationPlan> });
  ({ handler: compensate } = (await import(
    '../../../functions/workflow/compensate.handler.ts'
  )) as unknown as {
    handler: Invoke<CompensateStepOutcome>;
  });
  ({ handler: finish } = (await import('../../../functions/workflow/finish.handler.ts')) as unknown as {
    handler: Invoke<FinishOutcome>;
  });
});

afterAll(async () => {
  await environment?.stop();
});

const TENANT = 'saga';

// The saga template's steps (workflow-templates.ts), as POST /v1/workflows stores them.
const SAGA_STEPS: StepDefinition[] = [
  {
    name: 'reserve-budget',
    agentId: 'analysis-agent',
    requiredTier: 'T3',
    intent: 'process_data',
    resource: { id: 'budget', type: 'dataset' },
  },
  {
    name: 'process',
    agentId: 'analysis-agent',
    requiredTier: 'T4',
    intent: 'process_data',
    resource: { id: 'process', type: 'dataset' },
  },
  {
    name: 'commit',
    agentId: 'writing-agent',
    requiredTier: 'T2',
    intent: 'generate_document',
    resource: { id: 'ledger', type: 'document' },
  },
];

/** A step as the gate leaves it: SUCCEEDED with output and proof (the proof item is written too). */
async function succeeded(workflowId: string, index: number, step: StepDefinition): Promise<StepState> {
  const intentId = randomUUID();
  const proofHash = createHash('sha256').update(`${workflowId}|${index}`).digest('hex');
  const proof: ProofItem = {
    resultHash: proofHash,
    tenantId: TENANT,
    intentId,
    agentId: step.agentId!,
    workflowId,
    step: index,
    timestamp: new Date().toISOString(),
  };
  await environment.documents.send(new PutCommand({ TableName: environment.tables.proofs, Item: proof }));
  return {
    ...step,
    status: 'SUCCEEDED',
    decision: 'ALLOW',
    intentId,
    output: `${step.name} done`,
    proofHash,
  };
}

/** A step as record-step-failure leaves it. */
function failed(step: StepDefinition, code: string, message: string): StepState {
  return { ...step, status: 'FAILED', decision: 'ALLOW', error: { code, message } };
}

/** A saga whose first two steps succeeded and whose commit failed (input.failAt, as in the demo). */
async function failedAtCommit(extra: Partial<WorkflowItem> = {}): Promise<WorkflowItem> {
  const workflowId = `saga-${randomUUID()}`;
  const steps = [
    await succeeded(workflowId, 0, SAGA_STEPS[0]!),
    await succeeded(workflowId, 1, SAGA_STEPS[1]!),
    failed(SAGA_STEPS[2]!, 'injected_failure', 'input.failAt named step "commit"'),
  ];
  return putWorkflow(workflowId, 'saga', steps, { template: 'saga', ...extra });
}

async function putWorkflow(
  workflowId: string,
  type: WorkflowType,
  steps: StepState[],
  extra: Partial<WorkflowItem> = {},
): Promise<WorkflowItem> {
  const now = new Date().toISOString();
  const item: WorkflowItem = {
    workflowId,
    tenantId: TENANT,
    type,
    input: { task: 'Book the Q3 campaign', failAt: 'commit' },
    options: DEFAULT_OPTIONS,
    steps,
    status: 'RUNNING',
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:saga:${workflowId}`,
    createdAt: now,
    updatedAt: now,
    ...extra,
  };
  await environment.documents.send(new PutCommand({ TableName: environment.tables.workflows, Item: item }));
  return item;
}

function workflowItem(workflowId: string): Promise<WorkflowItem> {
  return storedWorkflow(environment.documents, environment.tables.workflows, workflowId);
}

describe('plan-compensation', () => {
  it('plans the succeeded steps last first and names the failed step', async () => {
    const workflow = await failedAtCommit();

    const plan = await planCompensation(
      { workflowId: workflow.workflowId, tenantId: TENANT },
      testLambdaContext,
    );

    expect(plan).toEqual({ failedStep: 'commit', steps: [{ index: 1 }, { index: 0 }] });
    expect(await workflowItem(workflow.workflowId)).toEqual(workflow);
  });

  it('leaves out steps already compensated and names no step when none failed', async () => {
    const workflowId = `saga-${randomUUID()}`;
    await putWorkflow(workflowId, 'saga', [
      await succeeded(workflowId, 0, SAGA_STEPS[0]!),
      {
        ...(await succeeded(workflowId, 1, SAGA_STEPS[1]!)),
        status: 'COMPENSATED',
        compensation: { order: 1, action: 'discarded', compensatedAt: new Date().toISOString() },
      },
    ]);

    const plan = await planCompensation({ workflowId, tenantId: TENANT }, testLambdaContext);

    expect(plan).toEqual({ failedStep: null, steps: [{ index: 0 }] });
  });

  it('refuses a workflow that is not a saga, or not of the tenant, with Trustgate.StepInvalid', async () => {
    const workflowId = `sequential-${randomUUID()}`;
    await putWorkflow(workflowId, 'sequential', [await succeeded(workflowId, 0, SAGA_STEPS[0]!)]);

    const notSaga = await invocationFailure(planCompensation, { workflowId, tenantId: TENANT });
    const elsewhere = await invocationFailure(planCompensation, { workflowId, tenantId: 'someone-else' });
    const malformed = await invocationFailure(planCompensation, { workflowId });

    expect(notSaga.name).toBe('Trustgate.StepInvalid');
    expect(notSaga.message).toMatch(/is sequential, not a saga/);
    expect(elsewhere.name).toBe('Trustgate.StepInvalid');
    expect(elsewhere.message).toBe(`workflow "${workflowId}" does not exist in tenant "someone-else"`);
    expect(malformed.name).toBe('Trustgate.StepInvalid');
    expect(malformed.message).toMatch(/^invalid plan-compensation input: tenantId: /);
  });
});

describe('compensate', () => {
  it('compensates a step exactly once: a second call answers the recorded order and writes nothing', async () => {
    const workflow = await failedAtCommit();
    const { workflowId } = workflow;

    const first = await compensate(
      { workflowId, tenantId: TENANT, stepIndex: 1, order: 1 },
      testLambdaContext,
    );
    const afterFirst = await workflowItem(workflowId);
    const second = await compensate(
      { workflowId, tenantId: TENANT, stepIndex: 1, order: 7 },
      testLambdaContext,
    );

    expect(first).toEqual({ stepIndex: 1, order: 1, alreadyCompensated: false });
    expect(second).toEqual({ stepIndex: 1, order: 1, alreadyCompensated: true });
    expect(afterFirst.steps[1]).toMatchObject({
      status: 'COMPENSATED',
      compensation: { order: 1, action: 'discarded the output of step process' },
    });
    expect(afterFirst.steps[1]!.compensation!.compensatedAt).toBe(afterFirst.updatedAt);
    expect(afterFirst.steps[0]!.status).toBe('SUCCEEDED');
    expect(await workflowItem(workflowId)).toEqual(afterFirst);
  });

  it('lets exactly one of two concurrent invocations compensate the step', async () => {
    const workflow = await failedAtCommit();
    const event = { workflowId: workflow.workflowId, tenantId: TENANT, stepIndex: 0, order: 2 };

    const outcomes = await Promise.all([
      compensate(event, testLambdaContext),
      compensate(event, testLambdaContext),
    ]);

    expect(outcomes.map((outcome) => outcome.alreadyCompensated).sort()).toEqual([false, true]);
    expect(outcomes.map((outcome) => outcome.order)).toEqual([2, 2]);
    expect((await workflowItem(workflow.workflowId)).steps[0]).toMatchObject({
      status: 'COMPENSATED',
      compensation: { order: 2 },
    });
  });

  it('refuses a step that did not succeed with Trustgate.CompensationFailed saying why', async () => {
    const workflow = await failedAtCommit();

    const error = await invocationFailure(compensate, {
      workflowId: workflow.workflowId,
      tenantId: TENANT,
      stepIndex: 2,
      order: 1,
    });

    expect(error.name).toBe('Trustgate.CompensationFailed');
    expect(error.message).toBe(
      `step 2 of workflow "${workflow.workflowId}" cannot be compensated: step "commit" is FAILED, not SUCCEEDED`,
    );
    expect(await workflowItem(workflow.workflowId)).toEqual(workflow);
  });

  it('refuses a workflow that is no longer running with Trustgate.CompensationFailed', async () => {
    const workflow = await failedAtCommit({ status: 'FAILED' });

    const error = await invocationFailure(compensate, {
      workflowId: workflow.workflowId,
      tenantId: TENANT,
      stepIndex: 0,
      order: 1,
    });

    expect(error.name).toBe('Trustgate.CompensationFailed');
    expect(error.message).toMatch(/cannot be compensated: workflow "saga-[^"]+" is FAILED, not RUNNING$/);
    expect(await workflowItem(workflow.workflowId)).toEqual(workflow);
  });

  it('says what undoing meant: the saga template in its own words, other steps by intent and resource', async () => {
    const template = await failedAtCommit();
    const explicitId = `explicit-saga-${randomUUID()}`;
    const explicit = {
      name: 'reserve-seats',
      agentId: 'analysis-agent',
      requiredTier: 'T3',
      intent: 'call_api',
      resource: { id: 'venue-42', type: 'api' },
    } satisfies StepDefinition;
    await putWorkflow(explicitId, 'saga', [
      await succeeded(explicitId, 0, explicit),
      failed(SAGA_STEPS[1]!, 'step_denied', 'no'),
    ]);

    await compensate(
      { workflowId: template.workflowId, tenantId: TENANT, stepIndex: 0, order: 1 },
      testLambdaContext,
    );
    await compensate({ workflowId: explicitId, tenantId: TENANT, stepIndex: 0, order: 1 }, testLambdaContext);

    expect((await workflowItem(template.workflowId)).steps[0]!.compensation!.action).toBe(
      'released the budget reservation made by step reserve-budget',
    );
    expect((await workflowItem(explicitId)).steps[0]!.compensation!.action).toBe(
      'undid call_api on api "venue-42" of step reserve-seats',
    );
  });

  it('refuses a step index the workflow does not have, naming it', async () => {
    const workflow = await failedAtCommit();

    const error = await invocationFailure(compensate, {
      workflowId: workflow.workflowId,
      tenantId: TENANT,
      stepIndex: 5,
      order: 1,
    });
    const malformed = await invocationFailure(compensate, {
      workflowId: workflow.workflowId,
      tenantId: TENANT,
      stepIndex: 0,
      order: 0,
    });

    expect(error.name).toBe('Trustgate.StepInvalid');
    expect(error.message).toBe(`workflow "${workflow.workflowId}" has no step 5 (it has 3)`);
    expect(malformed.name).toBe('Trustgate.StepInvalid');
    expect(malformed.message).toMatch(/^invalid compensate input: order: /);
  });
});

describe('a saga failing at its last step, end to end at the function level', () => {
  let workflow: WorkflowItem;
  let plan: CompensationPlan;
  let compensations: CompensateStepOutcome[];
  let finished: FinishOutcome;

  beforeAll(async () => {
    workflow = await failedAtCommit();
    const { workflowId } = workflow;
    plan = await planCompensation({ workflowId, tenantId: TENANT }, testLambdaContext);
    // The saga's Compensate Map: one at a time, in plan order, `order` counting from 1.
    compensations = [];
    for (const [position, { index }] of plan.steps.entries()) {
      compensations.push(
        await compensate(
          { workflowId, tenantId: TENANT, stepIndex: index, order: position + 1 },
          testLambdaContext,
        ),
      );
    }
    finished = await finish(
      {
        workflowId,
        tenantId: TENANT,
        status: 'COMPENSATED',
        error: {
          Error: 'Trustgate.InjectedFailure',
          Cause: JSON.stringify({
            errorType: 'Trustgate.InjectedFailure',
            errorMessage: 'input.failAt named step "commit"',
          }),
        },
      },
      testLambdaContext,
    );
  });

  it('plans [1, 0] and compensates step 1 first, then step 0', () => {
    expect(plan).toEqual({ failedStep: 'commit', steps: [{ index: 1 }, { index: 0 }] });
    expect(compensations).toEqual([
      { stepIndex: 1, order: 1, alreadyCompensated: false },
      { stepIndex: 0, order: 2, alreadyCompensated: false },
    ]);
  });

  it('records COMPENSATED with the failed step named and the reverse order visible on the steps', async () => {
    const recorded = await workflowItem(workflow.workflowId);

    expect(finished).toMatchObject({
      workflowId: workflow.workflowId,
      status: 'COMPENSATED',
      error: { code: 'injected_failure', step: 'commit' },
    });
    expect(recorded.status).toBe('COMPENSATED');
    expect(recorded.error).toEqual({
      code: 'injected_failure',
      message: 'input.failAt named step "commit"',
      step: 'commit',
    });
    expect(recorded.steps.map((step) => [step.name, step.status, step.compensation?.order])).toEqual([
      ['reserve-budget', 'COMPENSATED', 2],
      ['process', 'COMPENSATED', 1],
      ['commit', 'FAILED', undefined],
    ]);
    expect(recorded.steps[2]!.error).toEqual(workflow.steps[2]!.error);
  });

  it('seals the proofs of the two steps that ran, though they were undone', async () => {
    for (const [leafIndex, step] of workflow.steps.slice(0, 2).entries()) {
      const { Item } = await environment.documents.send(
        new GetCommand({ TableName: environment.tables.proofs, Key: { resultHash: step.proofHash } }),
      );
      const proof = Item as ProofItem;
      expect(proof).toMatchObject({
        batchId: workflow.workflowId,
        leafIndex,
        merkleRoot: finished.merkleRoot,
      });
      expect(verifyMerklePath(step.proofHash!, proof.merklePath!, finished.merkleRoot!)).toBe(true);
    }
  });

  it('answers a late retry of a compensation from the record, after the saga finished', async () => {
    const again = await compensate(
      { workflowId: workflow.workflowId, tenantId: TENANT, stepIndex: 1, order: 3 },
      testLambdaContext,
    );

    expect(again).toEqual({ stepIndex: 1, order: 1, alreadyCompensated: true });
  });
});
