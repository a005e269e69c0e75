// What context assembly needs from a summarizer. Asynchronous because the summarizers worth having
// beyond the built-in extractive one call a model.

export interface Summarizer {
  /**
   * A summary of `texts` (oldest first) of at most `maxTokens` tokens. Context assembly enforces the
   * limit: a longer answer is cut on a token boundary.
   */
  summarize(texts: readonly string[], maxTokens: number): Promise<string>;
}
