// Assembles the context of one agent call within its token budget (SPEC §7).
//
// Sections, in the order a provider receives them: system prompt, memory, previous outputs, request.
//   system prompt    — must fit its fixed allocation, else ContextBudgetError.
//   request          — must fit its cap, else ContextBudgetError (refused, never truncated).
//   memory           — fitted to its cap by the over-budget strategies.
//   previous outputs — the workflow's earlier step outputs, fitted to the `available` remainder.
//                      They are the chain of results, so pruning never drops them (relevance 1);
//                      summarization and compression still apply.
// Each section stays within its own limit and the limits leave the response reserve out, so the
// reserve is never eaten. Section sizes are counted on their final text; the total is their sum.
import type { AssemblyAction, OverBudgetStrategy } from './assembly-report.ts';
import type { BudgetAllocation } from './budget-allocation.ts';
import { compressSection } from './compress-section.ts';
import { ContextBudgetError } from './context-budget-error.ts';
import { pruneByRelevance } from './prune-by-relevance.ts';
import type { FittedSectionName, SectionItem } from './section-items.ts';
import { sectionText, sectionTokens } from './section-items.ts';
import { summarizeOldest } from './summarize-oldest.ts';
import type { Summarizer } from './summarizer.ts';
import { countTokens, TOKENIZER_ENCODING } from './tokenizer.ts';

export interface MemoryItem {
  id: string;
  text: string;
  /** 0..1, from retrieval (SPEC §7 merges recency, similarity and importance into it). */
  relevance: number;
  /** 0..1; defaults to 0. */
  importance?: number;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface PreviousOutput {
  /** E.g. the step name. */
  id: string;
  text: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface ContextInput {
  systemPrompt: string;
  /** In the caller's ranking order; the assembled section keeps it. */
  memory: readonly MemoryItem[];
  request: string;
  previousOutputs?: readonly PreviousOutput[];
}

export interface OverBudgetStrategies {
  summarizer: Summarizer;
  /** Applied in this order until a section fits. Default: summarize, prune, compress. */
  order?: readonly OverBudgetStrategy[];
  /** Items with relevance below this are noise: pruned, never summarized. Default 0.5. */
  pruneBelowRelevance?: number;
  /** A summary may use at most this share of the tokens it replaces. Default 0.25. */
  summaryRatio?: number;
}

export const DEFAULT_STRATEGY_ORDER: readonly OverBudgetStrategy[] = ['summarize', 'prune', 'compress'];
export const DEFAULT_PRUNE_BELOW_RELEVANCE = 0.5;
export const DEFAULT_SUMMARY_RATIO = 0.25;

export interface AssembledSection {
  text: string;
  tokens: number;
  limit: number;
  /** Ids of the items whose (possibly shortened) text is in the section, in order. */
  itemIds: string[];
}

export interface AssembledContext {
  systemPrompt: AssembledSection;
  memory: AssembledSection;
  previousOutputs: AssembledSection;
  request: AssembledSection;
  totalTokens: number;
  /** The encoding every count above was made with. */
  tokenizer: typeof TOKENIZER_ENCODING;
  /** total − totalTokens: never less than the response reserve. */
  responseTokensAvailable: number;
  budget: BudgetAllocation;
  /** What the over-budget strategies did, in the order they did it; empty when all fitted. */
  actions: AssemblyAction[];
}

function requireUniqueIds(section: FittedSectionName, ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new RangeError(`${section} item id "${id}" appears more than once`);
    seen.add(id);
  }
}

function requireUnitInterval(what: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${what} must be within [0, 1], got ${value}`);
}

function requireTimestamp(what: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be epoch milliseconds, got ${value}`);
}

function memoryToItems(memory: readonly MemoryItem[]): SectionItem[] {
  requireUniqueIds(
    'memory',
    memory.map((item) => item.id),
  );
  return memory.map((item) => {
    requireUnitInterval(`relevance of memory item "${item.id}"`, item.relevance);
    const importance = item.importance ?? 0;
    requireUnitInterval(`importance of memory item "${item.id}"`, importance);
    requireTimestamp(`createdAt of memory item "${item.id}"`, item.createdAt);
    return { id: item.id, text: item.text, relevance: item.relevance, importance, createdAt: item.createdAt };
  });
}

function previousOutputsToItems(outputs: readonly PreviousOutput[]): SectionItem[] {
  requireUniqueIds(
    'previousOutputs',
    outputs.map((output) => output.id),
  );
  return outputs.map((output) => {
    requireTimestamp(`createdAt of previous output "${output.id}"`, output.createdAt);
    return { id: output.id, text: output.text, relevance: 1, importance: 1, createdAt: output.createdAt };
  });
}

async function fitSection(
  section: FittedSectionName,
  initial: readonly SectionItem[],
  limit: number,
  strategies: OverBudgetStrategies,
  actions: AssemblyAction[],
): Promise<AssembledSection> {
  let items = [...initial];
  const relevanceThreshold = strategies.pruneBelowRelevance ?? DEFAULT_PRUNE_BELOW_RELEVANCE;
  for (const strategy of strategies.order ?? DEFAULT_STRATEGY_ORDER) {
    if (sectionTokens(items) <= limit) break;
    if (strategy === 'summarize') {
      const step = await summarizeOldest(section, items, limit, {
        summarizer: strategies.summarizer,
        summaryRatio: strategies.summaryRatio ?? DEFAULT_SUMMARY_RATIO,
        relevanceThreshold,
      });
      items = step.items;
      if (step.action) actions.push(step.action);
    } else if (strategy === 'prune') {
      const step = pruneByRelevance(section, items, limit, relevanceThreshold);
      items = step.items;
      actions.push(...step.actions);
    } else {
      const step = compressSection(section, items, limit);
      items = step.items;
      actions.push(...step.actions);
    }
  }
  const text = sectionText(items);
  const tokens = countTokens(text);
  if (tokens > limit) throw new ContextBudgetError('strategies_exhausted', section, tokens, limit);
  return { text, tokens, limit, itemIds: items.map((item) => item.id) };
}

function fixedSection(
  name: 'systemPrompt' | 'request',
  text: string,
  limit: number,
  code: 'system_prompt_too_large' | 'request_too_large',
): AssembledSection {
  const tokens = countTokens(text);
  if (tokens > limit) throw new ContextBudgetError(code, name, tokens, limit);
  return { text, tokens, limit, itemIds: [] };
}

export async function assembleContext(
  input: ContextInput,
  budget: BudgetAllocation,
  strategies: OverBudgetStrategies,
): Promise<AssembledContext> {
  // The fixed sections are checked first: a refused request should not cost a summarizer call.
  const systemPrompt = fixedSection(
    'systemPrompt',
    input.systemPrompt,
    budget.systemPrompt,
    'system_prompt_too_large',
  );
  const request = fixedSection('request', input.request, budget.request, 'request_too_large');
  const actions: AssemblyAction[] = [];
  const memory = await fitSection('memory', memoryToItems(input.memory), budget.memory, strategies, actions);
  const previousOutputs = await fitSection(
    'previousOutputs',
    previousOutputsToItems(input.previousOutputs ?? []),
    budget.available,
    strategies,
    actions,
  );
  const totalTokens = systemPrompt.tokens + memory.tokens + previousOutputs.tokens + request.tokens;
  return {
    systemPrompt,
    memory,
    previousOutputs,
    request,
    totalTokens,
    tokenizer: TOKENIZER_ENCODING,
    responseTokensAvailable: budget.total - totalTokens,
    budget,
    actions,
  };
}
