// Raised when a context cannot be assembled within the budget without changing something the
// platform must not change on its own:
//   request_too_large       — the caller's request is theirs; silently cutting it would make the
//                             agent answer a different question, so it is refused (API: 4xx).
//   system_prompt_too_large — the operator's instructions; truncating them would drop rules.
//   strategies_exhausted    — the configured strategies (without `compress`, the one that always
//                             succeeds) could not make a section fit.

export type ContextBudgetErrorCode = 'request_too_large' | 'system_prompt_too_large' | 'strategies_exhausted';

export class ContextBudgetError extends Error {
  override readonly name = 'ContextBudgetError';

  constructor(
    readonly code: ContextBudgetErrorCode,
    readonly section: string,
    readonly tokens: number,
    readonly limit: number,
  ) {
    super(`${section} needs ${tokens} tokens but its budget is ${limit} (${code})`);
  }
}
