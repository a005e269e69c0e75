import { describe, expect, it } from 'vitest';
import { SECTION_SEPARATOR } from '../../../functions/core/budget/section-items.ts';
import { recalledMemoriesSection } from '../../../functions/providers/local/recalled-memories.ts';
import { LocalProvider } from '../../../functions/providers/local-provider.ts';
import { memoryParagraph, withMemoryBlock } from '../../../functions/providers/memory-block.ts';
import type { CompletionRequest } from '../../../functions/providers/provider.ts';

const PROMPT = 'You are Research Agent (research-agent), the research agent of a trust-gated workflow.';
const HEADING = '## Recalled from memory';

/** The system prompt the gate sends with these paragraphs (memoryParagraph or, for a summary, plain text). */
function systemWith(paragraphs: string[]): string {
  return withMemoryBlock(PROMPT, paragraphs.join(SECTION_SEPARATOR));
}

const FIVE_MEMORIES = [
  memoryParagraph('lt_a', 'The customer prefers weekly reports. They go out on Mondays.'),
  memoryParagraph('st_2', 'Deployments happen on Tuesdays! Never on Fridays.'),
  memoryParagraph('lt_c', 'Is the budget approved? Finance said yes in March.'),
  memoryParagraph('lt_d', 'The fourth memory.'),
  memoryParagraph('lt_e', 'The fifth memory.'),
];

describe('recalledMemoriesSection', () => {
  it('names the three most relevant memories by id with their first sentence, and counts the rest', () => {
    expect(recalledMemoriesSection(systemWith(FIVE_MEMORIES))).toBe(
      [
        HEADING,
        '',
        '- memory lt_a: The customer prefers weekly reports.',
        '- memory st_2: Deployments happen on Tuesdays!',
        '- memory lt_c: Is the budget approved?',
        '- and 2 more recalled memories',
      ].join('\n'),
    );
  });

  it('says "1 more recalled memory" for one left over, and nothing more for three or fewer', () => {
    expect(
      recalledMemoriesSection(systemWith(FIVE_MEMORIES.slice(0, 4)))
        .split('\n')
        .at(-1),
    ).toBe('- and 1 more recalled memory');
    const three = recalledMemoriesSection(systemWith(FIVE_MEMORIES.slice(0, 3)));
    expect(three.split('\n')).toHaveLength(5);
    expect(three).not.toContain('more recalled');
    expect(recalledMemoriesSection(systemWith(FIVE_MEMORIES.slice(0, 1)))).toBe(
      `${HEADING}\n\n- memory lt_a: The customer prefers weekly reports.`,
    );
  });

  it('labels a paragraph without a memory id as a summary of earlier memories', () => {
    const section = recalledMemoriesSection(
      systemWith([
        memoryParagraph('lt_a', 'Latest deployment succeeded.'),
        'Billing moved to monthly invoices. Shipping takes three days.',
      ]),
    );

    expect(section.split('\n').slice(2)).toEqual([
      '- memory lt_a: Latest deployment succeeded.',
      '- summary of earlier memories: Billing moved to monthly invoices.',
    ]);
  });

  it('takes the first line that says something, without its markdown markers', () => {
    const section = recalledMemoriesSection(
      systemWith([
        memoryParagraph('lt_a', '## Findings\n\n- Demand grows. Supply lags.'),
        memoryParagraph('lt_b', '> - * A quoted point without a full stop\nSecond line.'),
      ]),
    );

    expect(section.split('\n').slice(2)).toEqual([
      '- memory lt_a: Findings',
      '- memory lt_b: A quoted point without a full stop',
    ]);
  });

  it('shortens a long first sentence on a word boundary', () => {
    const long = `${'alpha beta gamma delta '.repeat(20).trim()}.`;
    const line = recalledMemoriesSection(systemWith([memoryParagraph('lt_a', long)])).split('\n')[2]!;
    const gist = line.slice('- memory lt_a: '.length);

    expect(gist.endsWith('…')).toBe(true);
    expect(gist.length).toBeLessThanOrEqual(201);
    expect(long.startsWith(gist.slice(0, -1))).toBe(true);
    expect(long[gist.length - 1]).toBe(' ');
  });

  it.each([
    ['a prompt without a block', PROMPT],
    ['a blank memory section', withMemoryBlock(PROMPT, ' \n\n ')],
    ['an empty system prompt', ''],
    ['memory markup outside the block', `${PROMPT}\n[memory lt_a] Not recalled.`],
  ])('is empty for %s', (_case, system) => {
    expect(recalledMemoriesSection(system)).toBe('');
  });
});

describe('LocalProvider with recalled memories', () => {
  const provider = new LocalProvider();

  function request(system: string, action: string): CompletionRequest {
    return {
      system,
      messages: [{ role: 'user', content: 'Write report on AI trends' }],
      maxTokens: 4_000,
      agentRole: 'research',
      action,
    };
  }

  const ACTIONS = ['search_web', 'process_data', 'generate_document', 'review_document', 'call_api'];

  it.each(ACTIONS)('ends a %s answer with the memories it was given', async (action) => {
    const system = systemWith(FIVE_MEMORIES);

    const completion = await provider.complete(request(system, action));

    expect(completion.stopReason).toBe('end_turn');
    expect(completion.text.endsWith(`\n\n${recalledMemoriesSection(system)}`)).toBe(true);
    expect(completion.text.indexOf(HEADING)).toBe(completion.text.lastIndexOf(HEADING));
    expect(completion.text.length).toBeGreaterThan(recalledMemoriesSection(system).length + 2);
  });

  it.each(ACTIONS)('adds no memory section to a %s answer when nothing was recalled', async (action) => {
    for (const system of [PROMPT, withMemoryBlock(PROMPT, '')]) {
      const completion = await provider.complete(request(system, action));

      expect(completion.text).not.toContain(HEADING);
      expect(completion.text).not.toContain('[memory');
    }
  });
});
