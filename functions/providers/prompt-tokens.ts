// The prompt's size in tokens, counted with the platform's real tokenizer: what the local provider reports
// as input usage, and the fallback for endpoints that answer without usage figures.
import { countTokens } from '../core/budget/tokenizer.ts';
import type { CompletionRequest } from './provider.ts';

export function countPromptTokens(request: Pick<CompletionRequest, 'system' | 'messages'>): number {
  return request.messages.reduce(
    (sum, message) => sum + countTokens(message.content),
    countTokens(request.system),
  );
}
