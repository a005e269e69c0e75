import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECTION_SEPARATOR } from '../../../functions/core/budget/section-items.ts';
import {
  MEMORY_BLOCK_FRAME,
  MEMORY_BLOCK_HEADER,
  memoryParagraph,
  readMemoryBlock,
  withMemoryBlock,
} from '../../../functions/providers/memory-block.ts';

const PROMPT = 'You are the research agent.\nAnswer in at most 4000 tokens.';

// Ids as the repository makes them (lt_<hex>, st_<n>) next to arbitrary ones without brackets or blanks.
const memoryIdArb = fc.oneof(
  fc.stringMatching(/^lt_[0-9a-f]{32}$/),
  fc.stringMatching(/^st_[1-9][0-9]{0,5}$/),
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,24}$/),
);

// Text with the line structure that matters: blank lines, blank lines holding spaces or tabs, CRLF, and
// things that look like the block's own markup.
const textArb = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
      // Any code point, Unicode blanks (U+00A0, U+2028, …) among them.
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
      {
        weight: 3,
        arbitrary: fc.constantFrom('\n', '\n\n', '\n\n\n', '\n \n', '\n\t\n\n', '\r\n\r\n', ' ', '\t'),
      },
      { weight: 1, arbitrary: fc.constantFrom('[memory other] ', '[memory', ']', '. ', '## ') },
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

const promptArb = fc.oneof(fc.string(), textArb);

const memoryArb = fc.record({ memoryId: memoryIdArb, text: textArb });

/**
 * What a memory's text reads back as: trimmed, with its blank lines (however blank) left out and a memory
 * marker of its own neutralized.
 */
function withoutBlankLines(text: string): string {
  return text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n')
    .replaceAll('[memory ', '(memory ');
}

describe('withMemoryBlock and readMemoryBlock', () => {
  it('read back the prompt and every memory, in order, with its id and its text without blank lines', () => {
    fc.assert(
      fc.property(promptArb, fc.array(memoryArb, { minLength: 1, maxLength: 8 }), (prompt, memories) => {
        const section = memories
          .map(({ memoryId, text }) => memoryParagraph(memoryId, text))
          .join(SECTION_SEPARATOR);

        const read = readMemoryBlock(withMemoryBlock(prompt, section));

        expect(read.systemPrompt).toBe(prompt);
        expect(read.memories).toEqual(
          memories.map(({ memoryId, text }) => ({ memoryId, text: withoutBlankLines(text) })),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('close up the blank lines inside a memory so it stays one paragraph', () => {
    const system = withMemoryBlock(
      PROMPT,
      [
        memoryParagraph('lt_1', 'First finding.\n\nSecond finding.\n  \n\nThird finding.'),
        memoryParagraph('st_2', '  Another memory.  '),
      ].join(SECTION_SEPARATOR),
    );

    expect(readMemoryBlock(system).memories).toEqual([
      { memoryId: 'lt_1', text: 'First finding.\nSecond finding.\nThird finding.' },
      { memoryId: 'st_2', text: 'Another memory.' },
    ]);
  });

  it('read a paragraph without a memory prefix (a summary of several) back without a memoryId', () => {
    const summary = 'The customer prefers weekly reports. Deployments happen on Tuesdays.';
    const system = withMemoryBlock(
      PROMPT,
      [memoryParagraph('lt_1', 'Latest deployment succeeded.'), summary, memoryParagraph('st_3', 'x')].join(
        SECTION_SEPARATOR,
      ),
    );

    const { memories } = readMemoryBlock(system);

    expect(memories.map((memory) => memory.memoryId)).toEqual(['lt_1', undefined, 'st_3']);
    expect(memories[1]).toEqual({ text: summary });
    expect(memories[1]).not.toHaveProperty('memoryId');
  });

  it.each([
    ['empty', ''],
    ['blank', '  \n\n\t '],
  ])('leave the prompt unchanged when the section is %s', (_case, section) => {
    expect(withMemoryBlock(PROMPT, section)).toBe(PROMPT);
    expect(readMemoryBlock(withMemoryBlock(PROMPT, section))).toEqual({ systemPrompt: PROMPT, memories: [] });
  });

  it('find no memories in a prompt that has no block', () => {
    fc.assert(
      fc.property(promptArb, (prompt) => {
        expect(readMemoryBlock(prompt)).toEqual({ systemPrompt: prompt, memories: [] });
      }),
    );
    // The header alone, not after a blank line, is part of the prompt, not a block.
    const quoted = `Quote: ${MEMORY_BLOCK_HEADER}\n[memory lt_1] not a memory`;
    expect(readMemoryBlock(quoted)).toEqual({ systemPrompt: quoted, memories: [] });
  });
});

describe('MEMORY_BLOCK_FRAME', () => {
  it('is exactly what withMemoryBlock adds besides the section', () => {
    fc.assert(
      fc.property(
        promptArb,
        textArb.filter((section) => section.trim() !== ''),
        (prompt, section) => {
          expect(withMemoryBlock(prompt, section)).toBe(`${prompt}${MEMORY_BLOCK_FRAME}${section}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is a blank line, the header and a line break', () => {
    expect(MEMORY_BLOCK_FRAME).toBe(`\n\n${MEMORY_BLOCK_HEADER}\n`);
    expect(MEMORY_BLOCK_HEADER).not.toContain('\n');
  });
});
