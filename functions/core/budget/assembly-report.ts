// The transparent account of what context assembly changed to fit the budget, in the order it
// happened, so a reviewer can tell exactly what the agent did and did not see.
import type { FittedSectionName } from './section-items.ts';

export type OverBudgetStrategy = 'summarize' | 'prune' | 'compress';

export interface SummarizationAction {
  strategy: 'summarize';
  section: FittedSectionName;
  /** Id of the item that replaced them. */
  summaryId: string;
  summarizedIds: string[];
  tokensBefore: number;
  tokensAfter: number;
}

export interface PruningAction {
  strategy: 'prune';
  section: FittedSectionName;
  id: string;
  relevance: number;
  tokens: number;
}

export interface CompressionAction {
  strategy: 'compress';
  section: FittedSectionName;
  /** `normalize`: whitespace and duplicate lines collapsed; `truncate`: cut on a token boundary. */
  method: 'normalize' | 'truncate';
  tokensBefore: number;
  tokensAfter: number;
  /** Items that disappeared entirely (all duplicate lines, or past the truncation point). */
  removedIds: string[];
  /** The item cut in the middle by truncation, if any. */
  truncatedId?: string;
}

export type AssemblyAction = SummarizationAction | PruningAction | CompressionAction;
