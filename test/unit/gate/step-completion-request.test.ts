import { describe, expect, it } from 'vitest';
import { stepCompletionRequest } from '../../../functions/app/gate/step-completion-request.ts';
import { templateSteps } from '../../../functions/app/workflows/report-template.ts';
import type { StepState, WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
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
