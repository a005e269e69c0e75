// Over-budget strategy 2: drop low-relevance items, lowest relevance first (then lowest
// importance, then oldest), and no more of them than needed. Only items below the threshold are
// candidates: pruning is for noise, and a relevant item that does not fit is better shortened by
// compression than lost.
import type { PruningAction } from './assembly-report.ts';
import type { FittedSectionName, SectionItem } from './section-items.ts';
import { sectionTokens } from './section-items.ts';
import { countTokens } from './tokenizer.ts';

export interface PruneStep {
  items: SectionItem[];
  actions: PruningAction[];
}

export function pruneByRelevance(
  section: FittedSectionName,
  items: readonly SectionItem[],
  limit: number,
  relevanceThreshold: number,
): PruneStep {
  if (sectionTokens(items) <= limit) return { items: [...items], actions: [] };
  const pruneOrder = items
    .filter((item) => item.relevance < relevanceThreshold)
    .sort((a, b) => a.relevance - b.relevance || a.importance - b.importance || a.createdAt - b.createdAt);
  const without = (count: number): SectionItem[] => {
    const dropped = new Set(pruneOrder.slice(0, count));
    return items.filter((item) => !dropped.has(item));
  };
  // Fewer remaining items never need more tokens, so the smallest sufficient count is found by
  // bisection: a handful of token counts instead of one per candidate.
  let low = 1;
  let high = pruneOrder.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (sectionTokens(without(middle)) <= limit) high = middle;
    else low = middle + 1;
  }
  const count = pruneOrder.length === 0 ? 0 : low;
  return {
    items: without(count),
    actions: pruneOrder.slice(0, count).map((item) => ({
      strategy: 'prune' as const,
      section,
      id: item.id,
      relevance: item.relevance,
      tokens: countTokens(item.text),
    })),
  };
}
