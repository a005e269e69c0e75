// Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI's v1 surface, vLLM, Ollama,
// LiteLLM, …): POST {baseUrl}/chat/completions, one request per completion, no retries (the caller
// owns the retry policy and reads ProviderError.retryable). The HTTP call and its failures are
// openai-compatible-http.ts, shared with the OpenAI-compatible embedder.
import { z } from 'zod';
import { countTokens } from '../core/budget/tokenizer.ts';
import { throwIfAborted } from './abort-error.ts';
import { OpenAiCompatibleClient } from './openai-compatible-http.ts';
import { countPromptTokens } from './prompt-tokens.ts';
import type {
  AiProvider,
  CompletionRequest,
  CompletionResult,
  ProviderConfig,
  ProviderError,
} from './provider.ts';
import { providerErrors } from './service-failure.ts';

export type OpenAiProviderConfig = Extract<ProviderConfig, { kind: 'openai' }>;

const ChatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        // null when the model answered with tool calls or a refusal instead of text.
        message: z.object({ content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() }).nullish(),
});

// finish_reason → the common stopReason vocabulary (Bedrock's); unknown reasons pass through unchanged.
const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'content_filtered',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
};

export class OpenAiProvider implements AiProvider {
  readonly kind = 'openai';
  readonly #config: OpenAiProviderConfig;
  readonly #http: OpenAiCompatibleClient<ProviderError>;

  constructor(config: OpenAiProviderConfig, fetchImplementation: typeof fetch = fetch) {
    this.#config = config;
    this.#http = new OpenAiCompatibleClient(config, fetchImplementation, providerErrors(this.kind));
  }

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    throwIfAborted(signal, this.kind);
    const system = request.system === '' ? [] : [{ role: 'system', content: request.system }];
    const { status, json } = await this.#http.post(
      'chat/completions',
      {
        model: this.#config.model,
        messages: [...system, ...request.messages.map(({ role, content }) => ({ role, content }))],
        max_tokens: request.maxTokens,
      },
      signal,
    );
    const parsed = ChatCompletionSchema.safeParse(json);
    if (!parsed.success) throw this.#http.invalidResponse(status, 'a body that is not a chat completion');
    const [choice] = parsed.data.choices;
    const text = choice?.message.content ?? '';
    const finishReason = choice?.finish_reason ?? 'stop';
    // Some compatible servers omit usage; the budget still needs figures, so count them ourselves.
    const usage = parsed.data.usage;
    return {
      text,
      usage: {
        inputTokens: usage?.prompt_tokens ?? countPromptTokens(request),
        outputTokens: usage?.completion_tokens ?? countTokens(text),
      },
      model: this.#config.model,
      stopReason: STOP_REASONS[finishReason] ?? finishReason,
    };
  }
}
