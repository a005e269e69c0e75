// The finish function at the end of the parallel and saga flows, invoked as the state machine invokes it
// (Aggregate, RecordFailure, RecordCompensated), against a real DynamoDB Local. The workflows and proofs
// are written directly, in the state the steps' functions would have left them.
import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinishOutcome } from '../../../functions/app/workflows/finish-workflow.ts';
import type {
  StepState,
  WorkflowItem,
  WorkflowType,
} from '../../../functions/app/workflows/workflow-item.ts';
import { verifyMerklePath } from '../../../functions/core/proofs/merkle-tree.ts';
import type { ProofItem } from '../../../functions/data/proofs-repository.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import {
  caught,
  DEFAULT_OPTIONS,
  type Invoke,
  invocationFailure,
  storedWorkflow,
} from './flow-workflow-item.ts';

let environment: ApiTestEnvironment;
let finish: Invoke<FinishOutcome>;

beforeAll(async () => {
  environment = await startApiTestEnvironment('finish-flows');
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  ({ handler: finish } = (await import('../../../functions/workflow/finish.handler.ts')) as unknown as {
    handler: Invoke<FinishOutcome>;
  });
});

afterAll(async () => {
  await environment?.stop();
});

const TENANT = 'finishing';
/** A step as the gate leaves it: SUCCEEDED with output and proof (the proof item is written too). */
async function succeededStep(workflowId: string, index: number, name: string): Promise<StepState> {
  const intentId = randomUUID();
  const proofHash = createHash('sha256').update(`${workflowId}|${index}|${name}`).digest('hex');
  const proof: ProofItem = {
    resultHash: proofHash,
    tenantId: TENANT,
    intentId,
    agentId: 'analysis-agent',
    workflowId,
    step: index,
    timestamp: new Date().toISOString(),
  };
  await environment.documents.send(new PutCommand({ TableName: environment.tables.proofs, Item: proof }));
  return {
    ...definition(name),
    status: 'SUCCEEDED',
    decision: 'ALLOW',
    intentId,
    output: `The ${name} findings.`,
    proofHash,
    completedAt: new Date().toISOString(),
  };
}

/** A step as record-step-failure leaves it. */
function failedStep(name: string, code: string, message: string): StepState {
  return { ...definition(name), status: 'FAILED', error: { code, message } };
}

function definition(name: string): StepState {
  return {
    name,
    agentId: 'analysis-agent',
    requiredTier: 'T3',
    intent: 'process_data',
    resource: { id: name, type: 'dataset' },
    status: 'PENDING',
  };
}

async function putWorkflow(
  workflowId: string,
  type: WorkflowType,
  steps: StepState[],
  extra: Partial<WorkflowItem> = {},
): Promise<void> {
  const now = new Date().toISOString();
  const item: WorkflowItem = {
    workflowId,
    tenantId: TENANT,
    type,
    input: { task: 'Assess the Q3 expansion' },
    options:
      type === 'parallel'
        ? { ...DEFAULT_OPTIONS, parallel: { maxConcurrency: 3, onSubtaskFailure: 'aggregate' } }
        : DEFAULT_OPTIONS,
    steps,
    status: 'RUNNING',
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:flow:${workflowId}`,
    createdAt: now,
    updatedAt: now,
    ...extra,
  };
  await environment.documents.send(new PutCommand({ TableName: environment.tables.workflows, Item: item }));
}

function workflowItem(workflowId: string): Promise<WorkflowItem> {
  return storedWorkflow(environment.documents, environment.tables.workflows, workflowId);
}

async function proofItem(resultHash: string): Promise<ProofItem> {
  const { Item } = await environment.documents.send(
    new GetCommand({ TableName: environment.tables.proofs, Key: { resultHash } }),
  );
  return Item as ProofItem;
}

function finishFailure(event: unknown): Promise<Error> {
  return invocationFailure(finish, event);
}

describe('the aggregate of a parallel workflow', () => {
  const workflowId = `parallel-${randomUUID()}`;
  let steps: StepState[];
  let finished: FinishOutcome;

  beforeAll(async () => {
    steps = [
      await succeededStep(workflowId, 0, 'market'),
      failedStep('figures', 'provider_failed', 'the openai provider failed: 503'),
      await succeededStep(workflowId, 2, 'risks'),
    ];
    await putWorkflow(workflowId, 'parallel', steps);
    finished = await finish({ workflowId, tenantId: TENANT, status: 'SUCCEEDED' }, testLambdaContext);
  });

  it('records SUCCEEDED with the outputs in step order and the failed sub-task as a named gap', async () => {
    const workflow = await workflowItem(workflowId);

    expect(finished).toMatchObject({ workflowId, status: 'SUCCEEDED', gaps: ['figures'] });
    expect(workflow.status).toBe('SUCCEEDED');
    expect(workflow.result).toBe(
      [
        '## market\nThe market findings.',
        '## figures\n[gap: provider_failed: the openai provider failed: 503]',
        '## risks\nThe risks findings.',
      ].join('\n\n'),
    );
    expect(workflow.gaps).toEqual(['figures']);
    expect(workflow.error).toBeUndefined();
  });

  it('seals only the proofs of the sub-tasks that succeeded, under one Merkle root', async () => {
    const sealed = [steps[0]!, steps[2]!];
    for (const [leafIndex, step] of sealed.entries()) {
      const proof = await proofItem(step.proofHash!);
      expect(proof).toMatchObject({ batchId: workflowId, leafIndex, merkleRoot: finished.merkleRoot });
      expect(verifyMerklePath(step.proofHash!, proof.merklePath!, finished.merkleRoot!)).toBe(true);
    }
  });

  it('finishes once: a retried finish answers the recorded outcome and changes nothing', async () => {
    const before = await workflowItem(workflowId);
    const sealedBefore = await proofItem(steps[2]!.proofHash!);

    const again = await finish({ workflowId, tenantId: TENANT, status: 'SUCCEEDED' }, testLambdaContext);

    expect(again).toEqual({ workflowId, status: 'SUCCEEDED', gaps: ['figures'] });
    expect(await workflowItem(workflowId)).toEqual(before);
    expect(await proofItem(steps[2]!.proofHash!)).toEqual(sealedBefore);
  });
});

describe('a saga that succeeded', () => {
  it("records the last step's output as result, no gaps, and seals every proof", async () => {
    const workflowId = `saga-succeeded-${randomUUID()}`;
    const steps = [
      await succeededStep(workflowId, 0, 'reserve-budget'),
      await succeededStep(workflowId, 1, 'process'),
      await succeededStep(workflowId, 2, 'commit'),
    ];
    await putWorkflow(workflowId, 'saga', steps, { template: 'saga' });

    const finished = await finish({ workflowId, tenantId: TENANT, status: 'SUCCEEDED' }, testLambdaContext);
    const workflow = await workflowItem(workflowId);

    expect(finished).toEqual({ workflowId, status: 'SUCCEEDED', merkleRoot: expect.any(String) });
    expect(workflow).toMatchObject({ status: 'SUCCEEDED', result: 'The commit findings.' });
    expect(workflow.gaps).toBeUndefined();
    for (const [leafIndex, step] of steps.entries()) {
      expect(await proofItem(step.proofHash!)).toMatchObject({ leafIndex, merkleRoot: finished.merkleRoot });
    }
  });
});

describe('a parallel workflow whose sub-tasks all failed', () => {
  it('records FAILED all_subtasks_failed, listing the failures, with no result', async () => {
    const workflowId = `all-failed-${randomUUID()}`;
    await putWorkflow(workflowId, 'parallel', [
      failedStep('market', 'step_denied', 'agent "analysis-agent" does not declare "search_web"'),
      failedStep('figures', 'circuit_open', 'the circuit breaker is open'),
    ]);

    const finished = await finish({ workflowId, tenantId: TENANT, status: 'SUCCEEDED' }, testLambdaContext);
    const workflow = await workflowItem(workflowId);

    const error = {
      code: 'all_subtasks_failed',
      message:
        'no sub-task succeeded: market (step_denied: agent "analysis-agent" does not declare "search_web"); figures (circuit_open: the circuit breaker is open)',
    };
    expect(finished).toEqual({ workflowId, status: 'FAILED', error });
    expect(workflow.status).toBe('FAILED');
    expect(workflow.error).toEqual(error);
    expect(workflow.result).toBeUndefined();
    expect(workflow.gaps).toBeUndefined();
  });
});

describe('a FAILED finish', () => {
  it('names the FAILED sub-task of a parallel run, not an earlier one still PENDING, and keeps its own error', async () => {
    const workflowId = `parallel-failed-${randomUUID()}`;
    await putWorkflow(workflowId, 'parallel', [
      await succeededStep(workflowId, 0, 'market'),
      definition('figures'),
      failedStep('risks', 'provider_rejected', 'the model refused the request'),
    ]);

    const finished = await finish(
      {
        workflowId,
        tenantId: TENANT,
        status: 'FAILED',
        error: caught('Trustgate.ProviderRejected', 'the model refused the request'),
      },
      testLambdaContext,
    );
    const workflow = await workflowItem(workflowId);

    const error = { code: 'provider_rejected', message: 'the model refused the request', step: 'risks' };
    expect(finished).toMatchObject({ status: 'FAILED', error });
    expect(workflow.error).toEqual(error);
    expect(workflow.steps.map((step) => step.status)).toEqual(['SUCCEEDED', 'PENDING', 'FAILED']);
    expect(workflow.steps[2]!.error).toEqual({
      code: 'provider_rejected',
      message: 'the model refused the request',
    });
    expect((await proofItem(workflow.steps[0]!.proofHash!)).batchId).toBe(workflowId);
  });

  it('marks a step nobody recorded as failed FAILED, with the workflow error as its reason', async () => {
    const workflowId = `sequential-failed-${randomUUID()}`;
    await putWorkflow(workflowId, 'sequential', [
      await succeededStep(workflowId, 0, 'research'),
      { ...definition('analysis'), status: 'DECIDED', decision: 'DENY' },
      definition('writing'),
    ]);

    await finish(
      {
        workflowId,
        tenantId: TENANT,
        status: 'FAILED',
        error: caught('Trustgate.StepDenied', 'no capability'),
      },
      testLambdaContext,
    );
    const workflow = await workflowItem(workflowId);

    expect(workflow.error).toEqual({ code: 'step_denied', message: 'no capability', step: 'analysis' });
    expect(workflow.steps.map((step) => step.status)).toEqual(['SUCCEEDED', 'FAILED', 'PENDING']);
    expect(workflow.steps[1]!.error).toEqual({ code: 'step_denied', message: 'no capability' });
  });
});

describe('a COMPENSATED finish', () => {
  it('records COMPENSATED naming the failed step, and seals the proofs of the compensated steps', async () => {
    const workflowId = `saga-${randomUUID()}`;
    const compensated = async (index: number, name: string, order: number): Promise<StepState> => ({
      ...(await succeededStep(workflowId, index, name)),
      status: 'COMPENSATED',
      compensation: { order, action: `undid ${name}`, compensatedAt: new Date().toISOString() },
    });
    const steps = [
      await compensated(0, 'reserve-budget', 2),
      await compensated(1, 'process', 1),
      { ...definition('commit'), status: 'DECIDED' as const, decision: 'ALLOW' as const },
    ];
    await putWorkflow(workflowId, 'saga', steps, { template: 'saga' });

    const finished = await finish(
      {
        workflowId,
        tenantId: TENANT,
        status: 'COMPENSATED',
        error: caught('Trustgate.InjectedFailure', 'input.failAt named step "commit"'),
      },
      testLambdaContext,
    );
    const workflow = await workflowItem(workflowId);

    const error = { code: 'injected_failure', message: 'input.failAt named step "commit"', step: 'commit' };
    expect(finished).toMatchObject({ workflowId, status: 'COMPENSATED', error });
    expect(workflow.status).toBe('COMPENSATED');
    expect(workflow.error).toEqual(error);
    expect(workflow.steps.map((step) => step.status)).toEqual(['COMPENSATED', 'COMPENSATED', 'FAILED']);
    expect(workflow.steps[0]!.compensation!.order).toBe(2);
    for (const [leafIndex, step] of steps.slice(0, 2).entries()) {
      const proof = await proofItem(step.proofHash!);
      expect(proof).toMatchObject({ batchId: workflowId, leafIndex, merkleRoot: finished.merkleRoot });
      expect(verifyMerklePath(step.proofHash!, proof.merklePath!, finished.merkleRoot!)).toBe(true);
    }
  });

  it('refuses a COMPENSATED finish without the error that triggered it, naming the field', async () => {
    const workflowId = `saga-no-error-${randomUUID()}`;
    await putWorkflow(workflowId, 'saga', [failedStep('reserve-budget', 'step_denied', 'no')]);

    const error = await finishFailure({ workflowId, tenantId: TENANT, status: 'COMPENSATED' });

    expect(error.name).toBe('Trustgate.StepInvalid');
    expect(error.message).toMatch(/^invalid finish input: error: /);
    expect((await workflowItem(workflowId)).status).toBe('RUNNING');
  });
});
