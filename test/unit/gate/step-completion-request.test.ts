import { describe, expect, it } from 'vitest';
import { stepCompletionRequest } from '../../../functions/app/gate/step-completion-request.ts';
import type {
  StepState,
  WorkflowItem,
  WorkflowOptions,
} from '../../../functions/app/workflows/workflow-item.ts';
import { templateSteps } from '../../../functions/app/workflows/workflow-templates.ts';
import { ExtractiveSummarizer } from '../../../functions/core/budget/extractive-summarizer.ts';
import { countTokens } from '../../../functions/core/budget/tokenizer.ts';
import type { ExecutionLimits } from '../../../functions/core/policy/execution-limits.ts';

const TASK = 'Write report on AI trends';
const agent = { agentId: 'writing-agent', name: 'Writing Agent', role: 'writing' };
const limits: ExecutionLimits = {
  maxTokens: 4_000,
  timeoutMs: 15_000,
  allowedCapabilities: ['generate_document'],
};

const OPTIONS: WorkflowOptions = {
  preference: 'cost',
  escalation: { slaSeconds: 3600, maxLevel: 3 },
  queue: { maxAttempts: 5, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 300 },
};

function workflowWithOutputs(outputs: (string | undefined)[]): WorkflowItem {
  const steps: StepState[] = templateSteps('report').map((step, index) => {
    const output = outputs[index];
    return output === undefined
      ? { ...step, status: 'PENDING' }
      : { ...step, status: 'SUCCEEDED', output, completedAt: `2026-01-01T00:00:0${index}.000Z` };
  });
  return {
    workflowId: 'wf-1',
    tenantId: 'acme',
    type: 'sequential',
    input: { task: TASK },
    options: OPTIONS,
    steps,
    status: 'RUNNING',
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:pipeline:wf-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('stepCompletionRequest', () => {
  it('asks the first step with the task alone', async () => {
    const { request } = await stepCompletionRequest(
      workflowWithOutputs([]),
      0,
      agent,
      limits,
      new ExtractiveSummarizer(),
    );

    expect(request.messages).toEqual([{ role: 'user', content: TASK }]);
    expect(request.action).toBe('search_web');
    expect(request.agentRole).toBe('writing');
    expect(request.maxTokens).toBe(4_000);
    expect(request.system).toContain('step 1 of 3, "research"');
  });

  it('gives a later step every earlier output, oldest first, in turns that alternate and end with the task', async () => {
    const { request, context } = await stepCompletionRequest(
      workflowWithOutputs(['Research digest: agents and tooling.', 'Analysis: 1. agents 2. evaluation']),
      2,
      agent,
      limits,
      new ExtractiveSummarizer(),
    );

    expect(request.messages).toEqual([
      { role: 'user', content: 'The output of step 1, "research" (agent research-agent):' },
      { role: 'assistant', content: 'Research digest: agents and tooling.' },
      { role: 'user', content: 'The output of step 2, "analysis" (agent analysis-agent):' },
      { role: 'assistant', content: 'Analysis: 1. agents 2. evaluation' },
      { role: 'user', content: TASK },
    ]);
    expect(request.action).toBe('generate_document');
    expect(context.previousOutputs.itemIds).toEqual(['research', 'analysis']);
    expect(context.actions).toEqual([]);
  });

  it('reserves at least the allowed response for the answer', async () => {
    const generous: ExecutionLimits = { ...limits, maxTokens: 32_000 };
    const { context } = await stepCompletionRequest(
      workflowWithOutputs(['a', 'b']),
      2,
      agent,
      generous,
      new ExtractiveSummarizer(),
    );

    expect(context.budget.responseReserve).toBe(32_000);
    expect(context.responseTokensAvailable).toBeGreaterThanOrEqual(32_000);
  });

  it('condenses earlier outputs that exceed the budget into one turn that fits it', async () => {
    // Each sentence is distinct so the outputs cannot be compressed by dropping repeated lines.
    const longOutput = (topic: string) =>
      Array.from(
        { length: 6_000 },
        (_, i) => `Finding ${i} about ${topic} shows measurable change ${i * 7}.`,
      ).join(' ');
    const { request, context } = await stepCompletionRequest(
      workflowWithOutputs([longOutput('research'), longOutput('analysis')]),
      2,
      agent,
      { ...limits, maxTokens: 32_000 },
      new ExtractiveSummarizer(),
    );

    expect(context.actions.length).toBeGreaterThan(0);
    expect(request.messages).toHaveLength(3);
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    const promptTokens =
      countTokens(request.system) +
      request.messages.reduce((sum, message) => sum + countTokens(message.content), 0);
    expect(promptTokens + request.maxTokens).toBeLessThanOrEqual(context.budget.total);
  });
});

describe('stepCompletionRequest for a parallel workflow', () => {
  const PARALLEL_TASK = 'Assess the market for AI agents';

  /** The parallel template's three sub-tasks; the first one has already succeeded. */
  function parallelWorkflow(subtasks: (string | undefined)[]): WorkflowItem {
    const steps: StepState[] = templateSteps('parallel').map((step, index) => ({
      ...step,
      status: index === 0 ? 'SUCCEEDED' : 'PENDING',
      ...(index === 0
        ? { output: 'Market digest: demand grows.', completedAt: '2026-01-01T00:00:01.000Z' }
        : {}),
      ...(subtasks[index] === undefined ? {} : { subtask: subtasks[index] }),
    }));
    return {
      ...workflowWithOutputs([]),
      type: 'parallel',
      input: { task: PARALLEL_TASK },
      options: { ...OPTIONS, parallel: { maxConcurrency: 3, onSubtaskFailure: 'fail' } },
      steps,
    };
  }

  it("asks a sub-task with its own sub-task alone, without the siblings' outputs", async () => {
    const { request, context } = await stepCompletionRequest(
      parallelWorkflow(['Size the market', 'Collect the figures', 'List the risks']),
      2,
      agent,
      limits,
      new ExtractiveSummarizer(),
    );

    expect(request.messages).toEqual([{ role: 'user', content: 'List the risks' }]);
    expect(context.previousOutputs.itemIds).toEqual([]);
    expect(request.system).toContain('sub-task 3 of 3 of a parallel workflow, "risks"');
    expect(request.system).not.toContain('earlier steps');
    expect(request.action).toBe('review_document');
  });

  it('falls back to the whole task when the decomposer wrote no sub-task', async () => {
    const { request } = await stepCompletionRequest(
      parallelWorkflow([]),
      1,
      agent,
      limits,
      new ExtractiveSummarizer(),
    );

    expect(request.messages).toEqual([{ role: 'user', content: PARALLEL_TASK }]);
    expect(request.system).toContain('sub-task 2 of 3 of a parallel workflow, "figures"');
  });

  it('keeps a sequential step on the task even when a sub-task is present', async () => {
    const workflow = workflowWithOutputs([]);
    workflow.steps[0] = { ...workflow.steps[0]!, subtask: 'not for sequential steps' };
    const { request } = await stepCompletionRequest(workflow, 0, agent, limits, new ExtractiveSummarizer());

    expect(request.messages).toEqual([{ role: 'user', content: TASK }]);
    expect(request.system).not.toContain('parallel');
  });
});
