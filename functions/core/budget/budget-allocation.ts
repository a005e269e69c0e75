// The token budget of one agent call (SPEC §7): a fixed system prompt, capped memory and request
// sections, a response reserve that context assembly never uses, and the rest for the workflow's
// previous outputs.
//
// "128K" is read the way model context windows are specified: K = 1024, so the default total is
// 131 072 tokens. With 2K system, 16K memory, 8K request and 4K reserve this leaves 100 352 tokens
// (98K), the figure the seed shows.

export const TOKENS_PER_K = 1024;

/** SPEC §7: the response reserve is at least 4K; configurations may raise it, never lower it. */
export const MIN_RESPONSE_RESERVE_TOKENS = 4 * TOKENS_PER_K;

export interface BudgetConfig {
  totalTokens: number;
  systemPromptTokens: number;
  memoryMaxTokens: number;
  requestMaxTokens: number;
  responseReserveTokens: number;
}

export const DEFAULT_BUDGET_CONFIG: Readonly<BudgetConfig> = {
  totalTokens: 128 * TOKENS_PER_K,
  systemPromptTokens: 2 * TOKENS_PER_K,
  memoryMaxTokens: 16 * TOKENS_PER_K,
  requestMaxTokens: 8 * TOKENS_PER_K,
  responseReserveTokens: MIN_RESPONSE_RESERVE_TOKENS,
};

/** Per-section limits in tokens. They add up to `total`. */
export interface BudgetAllocation {
  total: number;
  systemPrompt: number;
  memory: number;
  request: number;
  responseReserve: number;
  /** What is left for previous outputs (the workflow's running context). */
  available: number;
}

export function allocateBudget(overrides: Partial<BudgetConfig> = {}): BudgetAllocation {
  const config: BudgetConfig = { ...DEFAULT_BUDGET_CONFIG, ...overrides };
  for (const [name, value] of Object.entries(config)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`budget ${name} must be a non-negative integer, got ${value}`);
    }
  }
  if (config.responseReserveTokens < MIN_RESPONSE_RESERVE_TOKENS) {
    throw new RangeError(
      `budget responseReserveTokens must be at least ${MIN_RESPONSE_RESERVE_TOKENS}, got ${config.responseReserveTokens}`,
    );
  }
  const available =
    config.totalTokens -
    config.systemPromptTokens -
    config.memoryMaxTokens -
    config.requestMaxTokens -
    config.responseReserveTokens;
  if (available < 0) {
    throw new RangeError(
      `budget sections need ${config.totalTokens - available} tokens but the total is ${config.totalTokens}`,
    );
  }
  return {
    total: config.totalTokens,
    systemPrompt: config.systemPromptTokens,
    memory: config.memoryMaxTokens,
    request: config.requestMaxTokens,
    responseReserve: config.responseReserveTokens,
    available,
  };
}
