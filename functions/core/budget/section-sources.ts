// Which original items reached the agent through a fitted section: the section's items, with every summary
// replaced by the items it summarized (a summary carries their content, so they were used). Pruned items and
// items compression removed are not in the section, so they are not listed.
//
// Summaries are resolved in the order they were made, each into original items at once, so a summary of an
// earlier summary expands to that summary's items — even when the later one reuses the earlier one's id.
import type { AssemblyAction } from './assembly-report.ts';
import type { FittedSectionName } from './section-items.ts';

export function sectionSourceIds(
  section: FittedSectionName,
  itemIds: readonly string[],
  actions: readonly AssemblyAction[],
): string[] {
  const sources = new Map<string, readonly string[]>();
  const expand = (id: string): readonly string[] => sources.get(id) ?? [id];
  for (const action of actions) {
    if (action.strategy === 'summarize' && action.section === section) {
      sources.set(action.summaryId, action.summarizedIds.flatMap(expand));
    }
  }
  return [...new Set(itemIds.flatMap(expand))];
}
