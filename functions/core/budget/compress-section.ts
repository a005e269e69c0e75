// Over-budget strategy 3: compress, in two stages.
//   normalize — runs of blanks become one space, line ends are trimmed, blank-line runs collapse to
//               one, and a line already present earlier in the section is dropped (retrieval and
//               step outputs repeat themselves a lot). Meaning survives; only bytes go.
//   truncate  — the last resort: the section is cut on a token boundary where it reaches the limit,
//               and a marker says how many tokens were cut. The section's tail goes first, which is
//               the caller's lowest-ranked content.
import type { CompressionAction } from './assembly-report.ts';
import type { FittedSectionName, SectionItem } from './section-items.ts';
import { SECTION_SEPARATOR, sectionText, sectionTokens } from './section-items.ts';
import { countTokens, truncateToTokens } from './tokenizer.ts';

export interface CompressStep {
  items: SectionItem[];
  actions: CompressionAction[];
}

function truncationMarker(omittedTokens: number): string {
  return `\n[truncated: ${omittedTokens} tokens omitted]`;
}

export function normalizeItems(items: readonly SectionItem[]): SectionItem[] {
  const seenLines = new Set<string>();
  const normalized: SectionItem[] = [];
  for (const item of items) {
    const lines: string[] = [];
    for (const rawLine of item.text.split(/\r?\n/)) {
      const line = rawLine.replace(/[^\S\r\n]+/g, ' ').trim();
      if (line === '') {
        if (lines.length > 0 && lines.at(-1) !== '') lines.push('');
        continue;
      }
      if (seenLines.has(line)) continue;
      seenLines.add(line);
      lines.push(line);
    }
    while (lines.at(-1) === '') lines.pop();
    if (lines.length > 0) normalized.push({ ...item, text: lines.join('\n') });
  }
  return normalized;
}

interface Truncation {
  items: SectionItem[];
  removedIds: string[];
  truncatedId?: string;
}

/** Keeps the items that start before `cut` characters of the section text; the last one is cut. */
function cutAt(items: readonly SectionItem[], cut: number, marker: string): Truncation {
  const kept: SectionItem[] = [];
  const removedIds: string[] = [];
  let truncatedId: string | undefined;
  let start = 0;
  for (const item of items) {
    if (start >= cut) {
      removedIds.push(item.id);
    } else if (start + item.text.length > cut) {
      truncatedId = item.id;
      kept.push({ ...item, text: item.text.slice(0, cut - start) });
    } else {
      kept.push(item);
    }
    start += item.text.length + SECTION_SEPARATOR.length;
  }
  const last = kept.at(-1);
  if (last !== undefined) kept[kept.length - 1] = { ...last, text: last.text + marker };
  return truncatedId === undefined ? { items: kept, removedIds } : { items: kept, removedIds, truncatedId };
}

function truncateItems(items: readonly SectionItem[], limit: number): Truncation {
  const text = sectionText(items);
  const total = countTokens(text);
  let keep = limit - countTokens(truncationMarker(total));
  for (;;) {
    if (keep <= 0) return { items: [], removedIds: items.map((item) => item.id) };
    const prefix = truncateToTokens(text, keep);
    const truncation = cutAt(items, prefix.length, truncationMarker(total - countTokens(prefix)));
    const tokens = sectionTokens(truncation.items);
    if (tokens <= limit) return truncation;
    keep -= tokens - limit;
  }
}

export function compressSection(
  section: FittedSectionName,
  items: readonly SectionItem[],
  limit: number,
): CompressStep {
  const actions: CompressionAction[] = [];
  const tokensBefore = sectionTokens(items);
  if (tokensBefore <= limit) return { items: [...items], actions };

  let current = [...items];
  let currentTokens = tokensBefore;
  const normalized = normalizeItems(items);
  const normalizedTokens = sectionTokens(normalized);
  // Text the agent sees changes only when that buys tokens.
  if (normalizedTokens < tokensBefore) {
    const remaining = new Set(normalized.map((item) => item.id));
    actions.push({
      strategy: 'compress',
      section,
      method: 'normalize',
      tokensBefore,
      tokensAfter: normalizedTokens,
      removedIds: items.filter((item) => !remaining.has(item.id)).map((item) => item.id),
    });
    current = normalized;
    currentTokens = normalizedTokens;
  }
  if (currentTokens <= limit) return { items: current, actions };

  const truncation = truncateItems(current, limit);
  const action: CompressionAction = {
    strategy: 'compress',
    section,
    method: 'truncate',
    tokensBefore: currentTokens,
    tokensAfter: sectionTokens(truncation.items),
    removedIds: truncation.removedIds,
  };
  if (truncation.truncatedId !== undefined) action.truncatedId = truncation.truncatedId;
  actions.push(action);
  return { items: truncation.items, actions };
}
