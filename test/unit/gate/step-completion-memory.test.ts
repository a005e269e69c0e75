import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepCompletionRequest } from '../../../functions/app/gate/step-completion-request.ts';
import type {
  StepState,
  WorkflowItem,
  WorkflowOptions,
} from '../../../functions/app/workflows/workflow-item.ts';
import { templateSteps } from '../../../functions/app/workflows/workflow-templates.ts';
import {
  allocateBudget,
  MIN_RESPONSE_RESERVE_TOKENS,
} from '../../../functions/core/budget/budget-allocation.ts';
import type { MemoryItem } from '../../../functions/core/budget/context-assembly.ts';
import { ExtractiveSummarizer } from '../../../functions/core/budget/extractive-summarizer.ts';
import { SECTION_SEPARATOR } from '../../../functions/core/budget/section-items.ts';
import { sectionSourceIds } from '../../../functions/core/budget/section-sources.ts';
import { countTokens } from '../../../functions/core/budget/tokenizer.ts';
import type { ExecutionLimits } from '../../../functions/core/policy/execution-limits.ts';
import {
  MEMORY_BLOCK_FRAME,
  MEMORY_BLOCK_HEADER,
  memoryParagraph,
  readMemoryBlock,
  withMemoryBlock,
} from '../../../functions/providers/memory-block.ts';
import type { CompletionRequest } from '../../../functions/providers/provider.ts';

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

/** A recalled memory as recallForStep hands it over: its text already a memory paragraph. */
function recalled(memoryId: string, text: string, relevance: number, createdAt: number): MemoryItem {
  return { id: memoryId, text: memoryParagraph(memoryId, text), relevance, importance: 0.5, createdAt };
}

/** About `sentences` × 15 tokens of distinct sentences on one topic. */
function prose(topic: string, sentences: number): string {
  return Array.from(
    { length: sentences },
    (_, i) => `Observation ${i} on the ${topic} shows the ${topic} queue depth at ${i * 7 + 3} items.`,
  ).join(' ');
}

function requestTokens(request: CompletionRequest): number {
  return (
    countTokens(request.system) +
    request.messages.reduce((sum, message) => sum + countTokens(message.content), 0)
  );
}

const FRAME_TOKENS = countTokens(MEMORY_BLOCK_FRAME);
const ALLOCATION = allocateBudget({
  responseReserveTokens: Math.max(MIN_RESPONSE_RESERVE_TOKENS, limits.maxTokens),
});

describe('stepCompletionRequest with recalled memories', () => {
  const memories = [
    recalled('lt_0001', 'The board prefers one-page summaries. Charts beat tables.', 0.92, 3_000),
    recalled('st_7', 'Agent tooling was the top trend last quarter.\n\nEvaluation came second.', 0.81, 1_000),
    recalled('lt_0002', 'Reports go out on Mondays.', 0.55, 2_000),
  ];

  it('puts the memories after the system prompt, in ranking order, and the rest as before', async () => {
    const summarizer = new ExtractiveSummarizer();
    const workflow = workflowWithOutputs(['Research digest: agents and tooling.']);
    const without = await stepCompletionRequest(workflow, 1, agent, limits, summarizer);
    const { request, context } = await stepCompletionRequest(
      workflow,
      1,
      agent,
      limits,
      summarizer,
      memories,
    );

    expect(request.system).toBe(
      withMemoryBlock(without.request.system, memories.map((memory) => memory.text).join(SECTION_SEPARATOR)),
    );
    expect(request.system.startsWith(`${without.request.system}\n\n${MEMORY_BLOCK_HEADER}\n`)).toBe(true);
    expect(readMemoryBlock(request.system)).toEqual({
      systemPrompt: without.request.system,
      memories: [
        { memoryId: 'lt_0001', text: 'The board prefers one-page summaries. Charts beat tables.' },
        { memoryId: 'st_7', text: 'Agent tooling was the top trend last quarter.\nEvaluation came second.' },
        { memoryId: 'lt_0002', text: 'Reports go out on Mondays.' },
      ],
    });
    expect(context.memory.itemIds).toEqual(['lt_0001', 'st_7', 'lt_0002']);
    expect(context.actions).toEqual([]);
    // The memories change nothing else.
    expect(request.messages).toEqual(without.request.messages);
    expect(request.maxTokens).toBe(without.request.maxTokens);
    expect(context.systemPrompt).toEqual(without.context.systemPrompt);
  });

  it("takes the block's frame out of the memory allocation", async () => {
    const { context } = await stepCompletionRequest(
      workflowWithOutputs([]),
      0,
      agent,
      limits,
      new ExtractiveSummarizer(),
      memories,
    );

    expect(FRAME_TOKENS).toBeGreaterThan(0);
    expect(context.memory.limit).toBe(ALLOCATION.memory - FRAME_TOKENS);
    expect(context.memory.tokens).toBeLessThanOrEqual(ALLOCATION.memory - FRAME_TOKENS);
  });

  it('sends the system prompt alone when nothing was recalled', async () => {
    for (const memory of [undefined, []]) {
      const { request, context } = await stepCompletionRequest(
        workflowWithOutputs(['Research digest.']),
        1,
        agent,
        limits,
        new ExtractiveSummarizer(),
        memory,
      );

      expect(request.system).toBe(context.systemPrompt.text);
      expect(request.system).not.toContain(MEMORY_BLOCK_HEADER);
      expect(request.system.startsWith('You are Writing Agent (writing-agent)')).toBe(true);
      expect(context.memory).toMatchObject({ text: '', tokens: 0, itemIds: [] });
    }
  });
});

describe('stepCompletionRequest with more memory than its 16K', () => {
  const topics = ['billing', 'shipping', 'pricing', 'support', 'hiring', 'security', 'latency', 'storage'];
  const memoryArb = (maxSentences: number, minSentences = 1) =>
    fc.record({
      topic: fc.constantFrom(...topics),
      sentences: fc.integer({ min: minSentences, max: maxSentences }),
      relevance: fc.oneof(fc.constantFrom(0.2, 0.5, 0.9), fc.double({ min: 0, max: 1, noNaN: true })),
      importance: fc.double({ min: 0, max: 1, noNaN: true }),
      createdAt: fc.integer({ min: 0, max: 1_000_000 }),
    });
  // Any recall, or one close to the most a step recalls (20 memories of up to about 1 024 tokens each), which
  // goes over the 16K.
  const recallArb = fc
    .oneof(
      fc.array(memoryArb(58), { minLength: 1, maxLength: 20 }),
      fc.array(memoryArb(58, 45), { minLength: 17, maxLength: 20 }),
    )
    .map((drawn) =>
      drawn.map(
        ({ topic, sentences, relevance, importance, createdAt }, index): MemoryItem => ({
          ...recalled(
            `lt_${String(index).padStart(4, '0')}`,
            prose(`${topic}${index}`, sentences),
            relevance,
            createdAt,
          ),
          importance,
        }),
      ),
    );
  const previousArb = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 2 });

  it('fits the memory section to its share and the request to the total less the reserve', async () => {
    const summarizer = new ExtractiveSummarizer();
    let overBudget = 0;
    await fc.assert(
      fc.asyncProperty(recallArb, previousArb, async (memory, previous) => {
        const outputs = previous.map((sentences, index) => prose(`step${index}`, sentences));
        const workflow = workflowWithOutputs(outputs);
        const { request, context } = await stepCompletionRequest(
          workflow,
          outputs.length,
          agent,
          limits,
          summarizer,
          memory,
        );
        const memoryLimit = ALLOCATION.memory - FRAME_TOKENS;
        const rawTokens = countTokens(memory.map((item) => item.text).join(SECTION_SEPARATOR));

        expect(context.memory.limit).toBe(memoryLimit);
        expect(context.memory.tokens).toBeLessThanOrEqual(memoryLimit);
        // The block, frame included, is paid for by the memory share.
        expect(countTokens(request.system)).toBeLessThanOrEqual(
          context.systemPrompt.tokens + ALLOCATION.memory,
        );
        expect(requestTokens(request)).toBeLessThanOrEqual(ALLOCATION.total - ALLOCATION.responseReserve);
        expect(requestTokens(request) + request.maxTokens).toBeLessThanOrEqual(ALLOCATION.total);

        const memoryActions = context.actions.filter((action) => action.section === 'memory');
        if (rawTokens > memoryLimit) {
          overBudget++;
          expect(memoryActions.length).toBeGreaterThan(0);
        } else {
          expect(memoryActions).toEqual([]);
          expect(request.system).toBe(
            withMemoryBlock(
              context.systemPrompt.text,
              memory.map((item) => item.text).join(SECTION_SEPARATOR),
            ),
          );
        }
        // Whatever the strategies did, a paragraph named after a memory comes from a memory that reached the agent.
        const sources = sectionSourceIds('memory', context.memory.itemIds, context.actions);
        for (const { memoryId } of readMemoryBlock(request.system).memories) {
          if (memoryId !== undefined) expect(sources).toContain(memoryId);
        }
        expect(readMemoryBlock(request.system).systemPrompt).toBe(context.systemPrompt.text);
      }),
      { numRuns: 30 },
    );
    // The property is about the strategies: make sure the runs exercised them.
    expect(overBudget).toBeGreaterThan(0);
  }, 120_000);

  it('keeps the whole request within the total when the earlier outputs fill their share too', async () => {
    const longOutput = (topic: string) =>
      Array.from(
        { length: 6_000 },
        (_, i) => `Finding ${i} about ${topic} shows measurable change ${i * 7}.`,
      ).join(' ');
    const memory = Array.from({ length: 20 }, (_, i) =>
      recalled(`st_${i + 1}`, prose(topics[i % topics.length]! + i, 60), i % 2 === 0 ? 0.9 : 0.3, i),
    );
    const generous: ExecutionLimits = { ...limits, maxTokens: 32_000 };

    const { request, context } = await stepCompletionRequest(
      workflowWithOutputs([longOutput('research'), longOutput('analysis')]),
      2,
      agent,
      generous,
      new ExtractiveSummarizer(),
      memory,
    );

    expect(context.actions.some((action) => action.section === 'memory')).toBe(true);
    expect(context.actions.some((action) => action.section === 'previousOutputs')).toBe(true);
    expect(context.memory.tokens).toBeLessThanOrEqual(context.budget.memory);
    expect(context.budget.memory).toBe(allocateBudget().memory - FRAME_TOKENS);
    expect(requestTokens(request) + request.maxTokens).toBeLessThanOrEqual(context.budget.total);
    expect(requestTokens(request)).toBeLessThanOrEqual(context.budget.total - context.budget.responseReserve);
  }, 60_000);

  // KNOWN BUG (fails today): memories reach context assembly as memory paragraphs ("[memory <id>] …"), and
  // the extractive summarizer keeps their lead sentences, prefix and all. A summary of several memories so
  // starts with the first one's "[memory <id>]": readMemoryBlock attributes the summary to that one memory
  // (the local provider then labels it "memory <id>", never "summary of earlier memories"), and the model is
  // told a summary of several memories is one memory's text.
  it('reads a summary of several memories back as a summary, not as one of them', async () => {
    const memory = [
      recalled('lt_recent', prose('deployment', 65), 0.9, 100),
      recalled('lt_old', prose('billing', 65), 0.8, 20),
      recalled('lt_oldest', prose('shipping', 65), 0.7, 10),
      ...Array.from({ length: 16 }, (_, i) => recalled(`st_${i + 1}`, prose(`noise${i}`, 65), 0.2, 30 + i)),
    ];

    const { request, context } = await stepCompletionRequest(
      workflowWithOutputs([]),
      0,
      agent,
      limits,
      new ExtractiveSummarizer(),
      memory,
    );
    const summary = context.actions.find((action) => action.strategy === 'summarize');
    expect(summary).toMatchObject({ section: 'memory', summarizedIds: ['lt_oldest', 'lt_old'] });

    const read = readMemoryBlock(request.system).memories;
    // Each paragraph named after a memory is that memory's own text, in the section as an item of its own.
    for (const { memoryId } of read) {
      if (memoryId !== undefined) expect(context.memory.itemIds).toContain(memoryId);
    }
    expect(read.filter((paragraph) => paragraph.memoryId === undefined)).toHaveLength(1);
  }, 60_000);
});
