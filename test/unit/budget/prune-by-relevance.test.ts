import { describe, expect, it } from 'vitest';
import { pruneByRelevance } from '../../../functions/core/budget/prune-by-relevance.ts';
import type { SectionItem } from '../../../functions/core/budget/section-items.ts';
import { sectionTokens } from '../../../functions/core/budget/section-items.ts';

function item(id: string, relevance: number, importance = 0, createdAt = 0): SectionItem {
  return {
    id,
    text: `Item ${id} carries a sentence of roughly fixed size for the test.`,
    relevance,
    importance,
    createdAt,
  };
}

describe('pruneByRelevance', () => {
  const items = [item('high', 0.9), item('low', 0.1), item('mid', 0.4, 0.2), item('mid-important', 0.4, 0.8)];

  it('drops the fewest items needed, lowest relevance first, then lowest importance', () => {
    const limit = sectionTokens([items[0]!, items[3]!]);
    const { items: kept, actions } = pruneByRelevance('memory', items, limit, 0.5);
    expect(kept.map((entry) => entry.id)).toEqual(['high', 'mid-important']);
    expect(actions.map((action) => action.id)).toEqual(['low', 'mid']);
    expect(actions[0]).toMatchObject({ strategy: 'prune', section: 'memory', relevance: 0.1 });
  });

  it('stops as soon as the section fits', () => {
    const limit = sectionTokens([items[0]!, items[2]!, items[3]!]);
    expect(pruneByRelevance('memory', items, limit, 0.5).actions.map((action) => action.id)).toEqual(['low']);
  });

  it('never drops an item at or above the threshold, even when still over the limit', () => {
    const { items: kept } = pruneByRelevance('memory', items, 1, 0.4);
    expect(kept.map((entry) => entry.id)).toEqual(['high', 'mid', 'mid-important']);
  });

  it('breaks equal relevance and importance by dropping the oldest first', () => {
    const twins = [item('newer', 0.2, 0, 20), item('older', 0.2, 0, 10), item('keep', 0.9)];
    const limit = sectionTokens([twins[0]!, twins[2]!]);
    expect(pruneByRelevance('memory', twins, limit, 0.5).items.map((entry) => entry.id)).toEqual([
      'newer',
      'keep',
    ]);
  });
});
