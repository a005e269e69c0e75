// Over-budget strategy 1: replace the oldest items of a section by one summary.
//
// Candidates are, oldest first, the items other than the newest one (the one the current step most
// likely builds on) whose relevance reaches the pruning threshold: below it an item is noise, and
// summarizing noise would spend summary tokens that pruning frees for nothing. Of those it takes the
// fewest oldest whose summary (at most `summaryRatio` of their size) lets the section fit; if none
// does, it summarizes all candidates and leaves the rest to pruning and compression.
import type { SummarizationAction } from './assembly-report.ts';
import type { FittedSectionName, SectionItem } from './section-items.ts';
import { SECTION_SEPARATOR, sectionTokens } from './section-items.ts';
import type { Summarizer } from './summarizer.ts';
import { countTokens, truncateToTokens } from './tokenizer.ts';

export interface SummarizeStep {
  items: SectionItem[];
  action?: SummarizationAction;
}

export interface SummarizeOptions {
  summarizer: Summarizer;
  summaryRatio: number;
  relevanceThreshold: number;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export async function summarizeOldest(
  section: FittedSectionName,
  items: readonly SectionItem[],
  limit: number,
  options: SummarizeOptions,
): Promise<SummarizeStep> {
  const unchanged = { items: [...items] };
  const tokensBefore = sectionTokens(items);
  if (tokensBefore <= limit) return unchanged;

  const chronological = items
    .map((item, index) => ({ item, index, tokens: countTokens(item.text) }))
    .sort((a, b) => a.item.createdAt - b.item.createdAt || a.index - b.index);
  const candidates = chronological
    .slice(0, -1)
    .filter((entry) => entry.item.relevance >= options.relevanceThreshold);
  if (candidates.length === 0) return unchanged;

  const separatorTokens = countTokens(SECTION_SEPARATOR);
  const allTokens = sum(chronological.map((entry) => entry.tokens));
  const maxSummaryTokensFor = (count: number) =>
    Math.floor(sum(candidates.slice(0, count).map((entry) => entry.tokens)) * options.summaryRatio);
  const fitsWithSummaryOf = (count: number): boolean => {
    const summarizedTokens = sum(candidates.slice(0, count).map((entry) => entry.tokens));
    const itemsAfter = chronological.length - count + 1;
    const room = limit - (allTokens - summarizedTokens) - (itemsAfter - 1) * separatorTokens;
    return maxSummaryTokensFor(count) <= room;
  };
  let count = 1;
  while (count < candidates.length && !fitsWithSummaryOf(count)) count++;

  const oldest = candidates.slice(0, count);
  const oldestTokens = sum(oldest.map((entry) => entry.tokens));
  const maxSummaryTokens = maxSummaryTokensFor(count);
  const answer = await options.summarizer.summarize(
    oldest.map((entry) => entry.item.text),
    maxSummaryTokens,
  );
  // The summarizer's limit is enforced, whatever implementation is plugged in.
  const summaryText = truncateToTokens(answer.trim(), maxSummaryTokens);
  // A summary that saves nothing would only lose detail.
  if (summaryText === '' || countTokens(summaryText) >= oldestTokens) return unchanged;

  const summary: SectionItem = {
    id: `summary:oldest-${count}`,
    text: summaryText,
    relevance: Math.max(...oldest.map((entry) => entry.item.relevance)),
    importance: Math.max(...oldest.map((entry) => entry.item.importance)),
    createdAt: Math.max(...oldest.map((entry) => entry.item.createdAt)),
  };
  // The summary takes the place of the first summarized item, keeping the caller's ordering.
  const summarizedIndexes = new Set(oldest.map((entry) => entry.index));
  const firstIndex = Math.min(...summarizedIndexes);
  const result = items.flatMap((item, index) => {
    if (index === firstIndex) return [summary];
    return summarizedIndexes.has(index) ? [] : [item];
  });
  return {
    items: result,
    action: {
      strategy: 'summarize',
      section,
      summaryId: summary.id,
      summarizedIds: oldest.map((entry) => entry.item.id),
      tokensBefore,
      tokensAfter: sectionTokens(result),
    },
  };
}
