import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateBudget } from '../../../functions/core/budget/budget-allocation.ts';
import type { MemoryItem, OverBudgetStrategies } from '../../../functions/core/budget/context-assembly.ts';
import { assembleContext } from '../../../functions/core/budget/context-assembly.ts';
import { ContextBudgetError } from '../../../functions/core/budget/context-budget-error.ts';
import { ExtractiveSummarizer } from '../../../functions/core/budget/extractive-summarizer.ts';
import type { Summarizer } from '../../../functions/core/budget/summarizer.ts';
import { countTokens, truncateToTokens } from '../../../functions/core/budget/tokenizer.ts';

/** Distinct sentences that share topic words, so an extractive summary has something to rank. */
function prose(topic: string, sentences: number): string {
  return Array.from(
    { length: sentences },
    (_, i) => `Observation ${i} on the ${topic} shows the ${topic} queue depth at ${i * 7} items.`,
  ).join(' ');
}

class RecordingSummarizer implements Summarizer {
  readonly calls: { texts: readonly string[]; maxTokens: number }[] = [];
  private readonly inner = new ExtractiveSummarizer();

  async summarize(texts: readonly string[], maxTokens: number): Promise<string> {
    this.calls.push({ texts, maxTokens });
    return this.inner.summarize(texts, maxTokens);
  }
}

function memoryItem(id: string, text: string, relevance: number, createdAt: number): MemoryItem {
  return { id, text, relevance, createdAt };
}

const strategies = (summarizer: Summarizer = new ExtractiveSummarizer()): OverBudgetStrategies => ({
  summarizer,
});

describe('assembleContext within budget', () => {
  it('keeps every section as given and reports no action', async () => {
    const budget = allocateBudget();
    const context = await assembleContext(
      {
        systemPrompt: 'You are the research agent.',
        memory: [memoryItem('m1', 'The customer prefers weekly reports.', 0.9, 1)],
        previousOutputs: [{ id: 'research', text: 'Three suppliers match the criteria.', createdAt: 2 }],
        request: 'Summarize the supplier findings.',
      },
      budget,
      strategies(),
    );
    expect(context.actions).toEqual([]);
    expect(context.memory).toEqual({
      text: 'The customer prefers weekly reports.',
      tokens: countTokens('The customer prefers weekly reports.'),
      limit: 16_384,
      itemIds: ['m1'],
    });
    expect(context.previousOutputs.itemIds).toEqual(['research']);
    expect(context.request.text).toBe('Summarize the supplier findings.');
    expect(context.totalTokens).toBe(
      context.systemPrompt.tokens +
        context.memory.tokens +
        context.previousOutputs.tokens +
        context.request.tokens,
    );
    expect(context.responseTokensAvailable).toBe(131_072 - context.totalTokens);
    expect(context.tokenizer).toBe('o200k_base');
  });
});

describe('assembleContext over budget', () => {
  it('summarizes the oldest items first and stops once the section fits', async () => {
    const summarizer = new RecordingSummarizer();
    const budget = allocateBudget({ memoryMaxTokens: 300 });
    const memory = [
      memoryItem('recent', 'The latest deployment succeeded.', 0.9, 30),
      memoryItem('oldest', prose('billing', 12), 0.8, 10),
      memoryItem('older', prose('shipping', 12), 0.7, 20),
    ];
    const context = await assembleContext({ systemPrompt: '', memory, request: 'status?' }, budget, {
      summarizer,
    });
    // Summarizing the oldest item alone is enough, so the older one stays verbatim.
    expect(summarizer.calls).toEqual([
      { texts: [memory[1]!.text], maxTokens: Math.floor(countTokens(memory[1]!.text) * 0.25) },
    ]);
    expect(context.actions).toEqual([
      expect.objectContaining({
        strategy: 'summarize',
        summarizedIds: ['oldest'],
        summaryId: 'summary:oldest-1',
      }),
    ]);
    expect(context.memory.itemIds).toEqual(['recent', 'summary:oldest-1', 'older']);
    expect(context.memory.tokens).toBeLessThanOrEqual(300);
    expect(
      context.memory.text.startsWith('The latest deployment succeeded.\n\nObservation 0 on the billing'),
    ).toBe(true);
    expect(context.memory.text.endsWith(memory[2]!.text)).toBe(true);
  });

  it('summarizes, then prunes, then compresses until memory fits, and says so in that order', async () => {
    const summarizer = new RecordingSummarizer();
    const budget = allocateBudget({ memoryMaxTokens: 400 });
    const incidentLines = Array.from(
      { length: 40 },
      (_, i) => `Incident   step ${i}: replica ${i} failed over.`,
    );
    const incident = [...incidentLines, ...incidentLines.slice(0, 20)].join('\n');
    const memory = [
      memoryItem('incident', incident, 0.95, 50),
      memoryItem('old-1', prose('database', 10), 0.8, 10),
      memoryItem('old-2', prose('database', 10).replaceAll('Observation', 'Note'), 0.7, 20),
      memoryItem('noise', prose('cafeteria', 6), 0.1, 30),
    ];
    expect(countTokens(incident)).toBeGreaterThan(400);

    const context = await assembleContext({ systemPrompt: '', memory, request: 'what failed?' }, budget, {
      summarizer,
    });

    expect(context.actions.map((action) => action.strategy)).toEqual([
      'summarize',
      'prune',
      'compress',
      'compress',
    ]);
    expect(context.actions[0]).toMatchObject({
      summarizedIds: ['old-1', 'old-2'],
      summaryId: 'summary:oldest-2',
    });
    expect(context.actions[1]).toMatchObject({ id: 'noise', relevance: 0.1 });
    expect(context.actions[2]).toMatchObject({ method: 'normalize' });
    expect(context.actions[3]).toMatchObject({ method: 'truncate', truncatedId: 'incident' });
    expect(context.memory.tokens).toBeLessThanOrEqual(400);
    expect(context.memory.tokens).toBe(countTokens(context.memory.text));
    expect(context.memory.text).toContain('Incident step 0: replica 0 failed over.');
    expect(context.memory.text).toMatch(/\[truncated: \d+ tokens omitted\]$/);
    expect(context.memory.text).not.toContain('cafeteria');
  });

  it('enforces the token limit on a summarizer that ignores it', async () => {
    const verbose: Summarizer = { summarize: async (texts) => texts.join(' ') };
    const memory = [
      memoryItem('old', prose('billing', 40), 0.8, 1),
      memoryItem('new', 'Latest note.', 0.8, 2),
    ];
    const context = await assembleContext(
      { systemPrompt: '', memory, request: 'x' },
      allocateBudget({ memoryMaxTokens: 200 }),
      { summarizer: verbose },
    );
    expect(context.actions).toEqual([expect.objectContaining({ strategy: 'summarize' })]);
    const summary = context.memory.text.replace(/\n\nLatest note\.$/, '');
    expect(countTokens(summary)).toBeLessThanOrEqual(Math.floor(countTokens(memory[0]!.text) * 0.25));
    expect(memory[0]!.text.startsWith(summary)).toBe(true);
    expect(context.memory.tokens).toBeLessThanOrEqual(200);
  });

  it('fits previous outputs into the available remainder without ever pruning them', async () => {
    const budget = allocateBudget({ totalTokens: 2_048 + 16_384 + 8_192 + 4_096 + 300 });
    expect(budget.available).toBe(300);
    const context = await assembleContext(
      {
        systemPrompt: '',
        memory: [],
        request: 'write the report',
        previousOutputs: [
          { id: 'research', text: prose('supplier', 20), createdAt: 1 },
          { id: 'analysis', text: prose('supplier', 20).replaceAll('Observation', 'Analysis'), createdAt: 2 },
        ],
      },
      budget,
      strategies(),
    );
    expect(context.actions.some((action) => action.strategy === 'prune')).toBe(false);
    expect(context.actions[0]).toMatchObject({ section: 'previousOutputs', summarizedIds: ['research'] });
    expect(context.previousOutputs.tokens).toBeLessThanOrEqual(300);
  });

  it('fails clearly when the configured strategies cannot make a section fit', async () => {
    const attempt = assembleContext(
      { systemPrompt: '', memory: [memoryItem('only', prose('billing', 40), 0.9, 1)], request: 'x' },
      allocateBudget({ memoryMaxTokens: 50 }),
      { summarizer: new ExtractiveSummarizer(), order: ['summarize', 'prune'] },
    );
    await expect(attempt).rejects.toMatchObject({
      code: 'strategies_exhausted',
      section: 'memory',
      limit: 50,
    });
  });

  it('never eats the response reserve, whatever the inputs', async () => {
    const budget = allocateBudget({ totalTokens: 30_720 + 600, memoryMaxTokens: 16_384 });
    const item = fc.record({
      sentences: fc.integer({ min: 1, max: 30 }),
      relevance: fc.double({ min: 0, max: 1, noNaN: true }),
      createdAt: fc.integer({ min: 0, max: 1_000 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { maxLength: 6 }),
        fc.array(item, { maxLength: 4 }),
        async (memory, outputs) => {
          const context = await assembleContext(
            {
              systemPrompt: 'system',
              memory: memory.map((entry, i) =>
                memoryItem(
                  `m${i}`,
                  prose(`topic${i}`, entry.sentences * 20),
                  entry.relevance,
                  entry.createdAt,
                ),
              ),
              previousOutputs: outputs.map((entry, i) => ({
                id: `o${i}`,
                text: prose(`step${i}`, entry.sentences),
                createdAt: entry.createdAt,
              })),
              request: 'go',
            },
            budget,
            strategies(),
          );
          expect(context.memory.tokens).toBeLessThanOrEqual(budget.memory);
          expect(context.previousOutputs.tokens).toBeLessThanOrEqual(budget.available);
          expect(context.responseTokensAvailable).toBeGreaterThanOrEqual(budget.responseReserve);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('assembleContext refusals', () => {
  const longText = prose('logistics', 1_000);

  it('accepts a request of exactly 8K tokens', async () => {
    const request = truncateToTokens(longText, 8_192);
    expect(countTokens(request)).toBe(8_192);
    const context = await assembleContext(
      { systemPrompt: '', memory: [], request },
      allocateBudget(),
      strategies(),
    );
    expect(context.request.tokens).toBe(8_192);
  });

  it('rejects a request over 8K tokens instead of truncating it, before any summarizer call', async () => {
    const summarizer = new RecordingSummarizer();
    const request = truncateToTokens(longText, 8_193);
    const memory = [memoryItem('a', prose('billing', 2_000), 0.9, 1), memoryItem('b', 'b', 0.9, 2)];
    const attempt = assembleContext({ systemPrompt: '', memory, request }, allocateBudget(), { summarizer });
    await expect(attempt).rejects.toBeInstanceOf(ContextBudgetError);
    await expect(attempt).rejects.toMatchObject({
      code: 'request_too_large',
      section: 'request',
      tokens: 8_193,
      limit: 8_192,
    });
    expect(summarizer.calls).toEqual([]);
  });

  it('rejects a system prompt over its fixed 2K', async () => {
    const attempt = assembleContext(
      { systemPrompt: truncateToTokens(longText, 2_049), memory: [], request: 'x' },
      allocateBudget(),
      strategies(),
    );
    await expect(attempt).rejects.toMatchObject({
      code: 'system_prompt_too_large',
      tokens: 2_049,
      limit: 2_048,
    });
  });

  it('rejects memory items with duplicate ids or relevance outside [0, 1]', async () => {
    const budget = allocateBudget();
    await expect(
      assembleContext(
        {
          systemPrompt: '',
          memory: [memoryItem('a', 'x', 0.5, 1), memoryItem('a', 'y', 0.5, 2)],
          request: 'x',
        },
        budget,
        strategies(),
      ),
    ).rejects.toThrow(/"a" appears more than once/);
    await expect(
      assembleContext(
        { systemPrompt: '', memory: [memoryItem('a', 'x', 1.5, 1)], request: 'x' },
        budget,
        strategies(),
      ),
    ).rejects.toThrow(/relevance of memory item "a"/);
  });
});
