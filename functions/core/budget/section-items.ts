// The unit the over-budget strategies work on: one memory item or previous output inside a
// context section. A section's text is its items' texts joined by a blank line, and its size is
// the token count of that text (not a sum of item counts: BPE merges across joins).
import { countTokens } from './tokenizer.ts';

export const SECTION_SEPARATOR = '\n\n';

export interface SectionItem {
  id: string;
  text: string;
  /** 0..1; items below the pruning threshold may be dropped. */
  relevance: number;
  /** 0..1; breaks relevance ties when pruning (less important goes first). */
  importance: number;
  /** Epoch milliseconds; "old" for summarization means smallest createdAt. */
  createdAt: number;
}

export type FittedSectionName = 'memory' | 'previousOutputs';

export function sectionText(items: readonly SectionItem[]): string {
  return items.map((item) => item.text).join(SECTION_SEPARATOR);
}

export function sectionTokens(items: readonly SectionItem[]): number {
  return countTokens(sectionText(items));
}
