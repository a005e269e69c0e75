// The default provider: deterministic and offline, so the whole platform runs without credentials. It
// writes real text from its inputs, shaped by the action (see local/): a research digest, an analysis,
// a written report, a review, or a generic structured answer, followed by the memories it was given, if any. No randomness and no clock: equal requests
// get equal completions. Usage is counted with the platform's tokenizer; the text is cut at maxTokens.
import { countTokens, truncateToTokens } from '../core/budget/tokenizer.ts';
import { throwIfAborted } from './abort-error.ts';
import { analysisPoints } from './local/analysis-points.ts';
import { documentReview } from './local/document-review.ts';
import { genericAnswer } from './local/generic-answer.ts';
import { type LocalInput, readLocalInput } from './local/local-input.ts';
import { recalledMemoriesSection } from './local/recalled-memories.ts';
import { researchDigest } from './local/research-digest.ts';
import { writtenReport } from './local/written-report.ts';
import { countPromptTokens } from './prompt-tokens.ts';
import type { AiProvider, CompletionRequest, CompletionResult } from './provider.ts';

export const LOCAL_MODEL = 'trustgate-local-1';

const COMPOSERS: Readonly<Record<string, (input: LocalInput) => string>> = {
  search_web: researchDigest,
  process_data: analysisPoints,
  generate_document: writtenReport,
  review_document: documentReview,
};

export class LocalProvider implements AiProvider {
  readonly kind = 'local';

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    throwIfAborted(signal, this.kind);
    const input = readLocalInput(request);
    const compose = COMPOSERS[input.action] ?? genericAnswer;
    const recalled = recalledMemoriesSection(request.system);
    const composed = compose(input);
    const full = recalled === '' ? composed : `${composed}\n\n${recalled}`;
    const text = truncateToTokens(full, request.maxTokens);
    return {
      text,
      usage: { inputTokens: countPromptTokens(request), outputTokens: countTokens(text) },
      model: LOCAL_MODEL,
      stopReason: text === full ? 'end_turn' : 'max_tokens',
    };
  }
}
