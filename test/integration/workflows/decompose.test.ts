// The decomposer (workflow/decompose) invoked as the parallel flow's Decompose state invokes it, against
// DynamoDB Local: parallel workflows written directly, the sub-tasks read back from the item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE_ERROR_NAMES } from '../../../functions/app/gate/gate-errors.ts';
import { SUBTASK_TRUNCATION_NOTICE } from '../../../functions/app/workflows/decompose-task.ts';
import type { DecomposeOutcome } from '../../../functions/app/workflows/decompose-workflow.ts';
import { MAX_TASK_TOKENS } from '../../../functions/app/workflows/start-workflow-request.ts';
import type { StepState, WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import { countTokens } from '../../../functions/core/budget/tokenizer.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import {
  DEFAULT_OPTIONS,
  flowWorkflowItem,
  type Invoke,
  invocationFailure,
  putWorkflow,
  storedWorkflow,
} from './flow-workflow-item.ts';

let environment: ApiTestEnvironment;
let decompose: Invoke<DecomposeOutcome>;

beforeAll(async () => {
  environment = await startApiTestEnvironment('decompose');
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  ({ handler: decompose } = (await import('../../../functions/workflow/decompose.handler.ts')) as unknown as {
    handler: Invoke<DecomposeOutcome>;
  });
});

afterAll(async () => {
  await environment?.stop();
});

const TENANT = 'decompose';

// The `parallel` template's steps.
const PARALLEL_STEPS: StepState[] = [
  parallelStep('market', 'research-agent', 'search_web', 'topic'),
  parallelStep('figures', 'analysis-agent', 'process_data', 'dataset'),
  parallelStep('risks', 'review-agent', 'review_document', 'document'),
];

function parallelStep(
  name: string,
  agentId: string,
  intent: StepState['intent'],
  resourceType: string,
): StepState {
  return {
    name,
    agentId,
    requiredTier: 'T3',
    intent,
    resource: { id: name, type: resourceType },
    status: 'PENDING',
  };
}

function putParallelWorkflow(
  input: WorkflowItem['input'],
  overrides: Partial<WorkflowItem> = {},
): Promise<WorkflowItem> {
  return putWorkflow(
    environment.documents,
    environment.tables.workflows,
    flowWorkflowItem(TENANT, {
      type: 'parallel',
      template: 'parallel',
      input,
      steps: PARALLEL_STEPS,
      options: { ...DEFAULT_OPTIONS, parallel: { maxConcurrency: 10, onSubtaskFailure: 'fail' } },
      ...overrides,
    }),
  );
}

async function storedSubtasks(workflowId: string): Promise<(string | undefined)[]> {
  const workflow = await storedWorkflow(environment.documents, environment.tables.workflows, workflowId);
  return workflow.steps.map((step) => step.subtask);
}

function decomposeEvent(workflow: WorkflowItem) {
  return { workflowId: workflow.workflowId, tenantId: workflow.tenantId };
}

function decomposeFailure(event: unknown): Promise<Error> {
  return invocationFailure(decompose, event);
}

describe('decomposing a parallel workflow', () => {
  it('writes the given subtasks, one per step', async () => {
    const subtasks = ['Size the EV charging market', 'Compute the growth figures', 'List the main risks'];
    const workflow = await putParallelWorkflow({ task: 'Assess the EV charging market', subtasks });

    const outcome = await decompose(decomposeEvent(workflow), testLambdaContext);

    expect(outcome).toEqual({ subtasks: 3 });
    expect(await storedSubtasks(workflow.workflowId)).toEqual(subtasks);
  });

  it('writes line i of a task with one line per step', async () => {
    const task = '1. Size the EV charging market\n2. Compute the growth figures\n3. List the main risks';
    const workflow = await putParallelWorkflow({ task });

    await decompose(decomposeEvent(workflow), testLambdaContext);

    expect(await storedSubtasks(workflow.workflowId)).toEqual([
      'Size the EV charging market',
      'Compute the growth figures',
      'List the main risks',
    ]);
  });

  it("writes the whole task with each step's focus otherwise", async () => {
    const task = 'Assess the EV charging market in Europe for 2026.';
    const workflow = await putParallelWorkflow({ task });

    await decompose(decomposeEvent(workflow), testLambdaContext);

    expect(await storedSubtasks(workflow.workflowId)).toEqual([
      `${task}\n\nYour part: market — search_web on topic "market".`,
      `${task}\n\nYour part: figures — process_data on dataset "figures".`,
      `${task}\n\nYour part: risks — review_document on document "risks".`,
    ]);
  });

  it('keeps every sub-task of a task at the bound within the budget, saying where it was cut', async () => {
    const task = `Assess${' market'.repeat(MAX_TASK_TOKENS - 1)}`;
    expect(countTokens(task)).toBe(MAX_TASK_TOKENS);
    const workflow = await putParallelWorkflow({ task });

    await decompose(decomposeEvent(workflow), testLambdaContext);

    const subtasks = await storedSubtasks(workflow.workflowId);
    for (const [index, subtask] of subtasks.entries()) {
      expect(countTokens(subtask!)).toBeLessThanOrEqual(MAX_TASK_TOKENS);
      expect(subtask).toContain(
        `\n${SUBTASK_TRUNCATION_NOTICE}\n\nYour part: ${PARALLEL_STEPS[index]!.name} —`,
      );
    }
  });

  it('writes the same sub-tasks again when invoked again', async () => {
    const workflow = await putParallelWorkflow({ task: 'Assess the EV charging market' });
    await decompose(decomposeEvent(workflow), testLambdaContext);
    const first = await storedSubtasks(workflow.workflowId);

    const again = await decompose(decomposeEvent(workflow), testLambdaContext);

    expect(again).toEqual({ subtasks: 3 });
    expect(await storedSubtasks(workflow.workflowId)).toEqual(first);
  });

  it('leaves the rest of the item as it was', async () => {
    const workflow = await putParallelWorkflow({ task: 'Assess the EV charging market' });

    await decompose(decomposeEvent(workflow), testLambdaContext);

    const stored = await storedWorkflow(
      environment.documents,
      environment.tables.workflows,
      workflow.workflowId,
    );
    expect({ ...stored, updatedAt: workflow.updatedAt, steps: workflow.steps }).toEqual(workflow);
    stored.steps.forEach((step, index) => {
      const { subtask, ...definition } = step;
      expect(definition).toEqual(workflow.steps[index]);
    });
  });
});

describe('workflows that cannot be decomposed', () => {
  it('refuses a sequential workflow', async () => {
    const workflow = await putParallelWorkflow({ task: 'Assess' }, { type: 'sequential' });

    const error = await decomposeFailure(decomposeEvent(workflow));

    expect(error.name).toBe(GATE_ERROR_NAMES.stepInvalid);
    expect(error.message).toContain('only a parallel one is decomposed');
    expect(await storedSubtasks(workflow.workflowId)).toEqual([undefined, undefined, undefined]);
  });

  it("refuses a workflow that is not RUNNING, another tenant's, and subtasks that are not one per step", async () => {
    const finished = await putParallelWorkflow({ task: 'Assess' }, { status: 'SUCCEEDED' });
    const mismatched = await putParallelWorkflow({ task: 'Assess', subtasks: ['only one'] });

    const errors = [
      await decomposeFailure(decomposeEvent(finished)),
      await decomposeFailure({ ...decomposeEvent(mismatched), tenantId: 'someone-else' }),
      await decomposeFailure(decomposeEvent(mismatched)),
    ];

    expect(errors.map((error) => error.name)).toEqual([
      GATE_ERROR_NAMES.stepInvalid,
      GATE_ERROR_NAMES.stepInvalid,
      GATE_ERROR_NAMES.stepInvalid,
    ]);
    expect(errors[0]!.message).toContain('is SUCCEEDED, not RUNNING');
    expect(errors[1]!.message).toContain('does not exist in tenant "someone-else"');
    expect(errors[2]!.message).toContain('1 input.subtasks for 3 steps');
  });

  it('refuses a task that, copied into every step, outgrows the workflow item', async () => {
    const task = `Assess${' market'.repeat(MAX_TASK_TOKENS - 1)}`;
    // 8 steps outgrow the 400 KB item; 20 (the most a workflow has) outgrow one update expression too.
    for (const stepCount of [8, 20]) {
      const steps = Array.from({ length: stepCount }, (_, index) =>
        parallelStep(`part-${index}`, 'research-agent', 'search_web', 'topic'),
      );
      const workflow = await putParallelWorkflow({ task }, { steps });

      const error = await decomposeFailure(decomposeEvent(workflow));

      expect(error.name).toBe(GATE_ERROR_NAMES.stepInvalid);
      expect(error.message).toContain(`the ${stepCount} sub-tasks of workflow`);
      expect(error.message).toContain('do not fit in the workflow item');
      expect(new Set(await storedSubtasks(workflow.workflowId))).toEqual(new Set([undefined]));
    }
  });

  it('refuses an input with an unknown key, naming it', async () => {
    const error = await decomposeFailure({ workflowId: 'w', tenantId: 't', steps: [] });

    expect(error.name).toBe(GATE_ERROR_NAMES.stepInvalid);
    expect(error.message).toContain('steps');
  });
});
