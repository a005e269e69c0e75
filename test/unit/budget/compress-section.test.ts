import { describe, expect, it } from 'vitest';
import { compressSection, normalizeItems } from '../../../functions/core/budget/compress-section.ts';
import type { SectionItem } from '../../../functions/core/budget/section-items.ts';
import { sectionText, sectionTokens } from '../../../functions/core/budget/section-items.ts';

function item(id: string, text: string): SectionItem {
  return { id, text, relevance: 0.9, importance: 0, createdAt: 0 };
}

const prose = (topic: string, count: number): string =>
  Array.from({ length: count }, (_, i) => `Finding ${i} about ${topic} is recorded in detail here.`).join(
    '\n',
  );

describe('normalizeItems', () => {
  it('collapses blank runs, trims lines, collapses blank lines and drops lines seen earlier', () => {
    const normalized = normalizeItems([
      item('a', 'alpha   beta\t\tgamma  \n\n\n\nrepeated line\n'),
      item('b', '  repeated line  \nnew   line'),
      item('c', 'repeated line\n\nalpha beta gamma'),
    ]);
    expect(normalized).toEqual([item('a', 'alpha beta gamma\n\nrepeated line'), item('b', 'new line')]);
  });
});

describe('compressSection', () => {
  it('leaves a section that fits alone', () => {
    const items = [item('a', 'short   text')];
    expect(compressSection('memory', items, 100)).toEqual({ items, actions: [] });
  });

  it('stops after normalizing when that is enough', () => {
    const items = [item('a', prose('billing', 10)), item('b', prose('billing', 10))];
    const limit = sectionTokens([items[0]!]);
    const { items: compressed, actions } = compressSection('memory', items, limit);
    expect(compressed.map((entry) => entry.id)).toEqual(['a']);
    expect(actions).toEqual([
      {
        strategy: 'compress',
        section: 'memory',
        method: 'normalize',
        tokensBefore: sectionTokens(items),
        tokensAfter: limit,
        removedIds: ['b'],
      },
    ]);
  });

  it('truncates on a token boundary with a marker as the last resort, tail first', () => {
    const items = [
      item('a', prose('billing', 20)),
      item('b', prose('shipping', 20)),
      item('c', prose('tax', 20)),
    ];
    const limit = sectionTokens([items[0]!]) + 50;
    const { items: compressed, actions } = compressSection('memory', items, limit);
    const text = sectionText(compressed);
    expect(sectionTokens(compressed)).toBeLessThanOrEqual(limit);
    expect(text).toMatch(/\n\[truncated: \d+ tokens omitted\]$/);
    expect(sectionText(items).startsWith(text.replace(/\n\[truncated: \d+ tokens omitted\]$/, ''))).toBe(
      true,
    );
    expect(compressed.map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(actions).toEqual([
      expect.objectContaining({ method: 'truncate', removedIds: ['c'], truncatedId: 'b' }),
    ]);
  });

  it('empties a section whose limit cannot even hold the marker', () => {
    const { items, actions } = compressSection('memory', [item('a', prose('billing', 5))], 3);
    expect(items).toEqual([]);
    expect(actions).toEqual([
      expect.objectContaining({ method: 'truncate', tokensAfter: 0, removedIds: ['a'] }),
    ]);
  });
});

describe('compressSection without anything to normalize', () => {
  it('truncates the original text and reports no normalization', () => {
    const items = [item('a', prose('billing', 30))];
    const { items: compressed, actions } = compressSection('memory', items, 60);
    expect(actions.map((action) => action.method)).toEqual(['truncate']);
    expect(
      compressed[0]!.text.startsWith('Finding 0 about billing is recorded in detail here.\nFinding 1'),
    ).toBe(true);
  });
});
