// Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI's v1 surface, vLLM, Ollama,
// LiteLLM, …): POST {baseUrl}/chat/completions, one request per completion, no retries (the caller
// owns the retry policy and reads ProviderError.retryable).
import { z } from 'zod';
import { countTokens } from '../core/budget/tokenizer.ts';
import { providerErrorFromAbort, throwIfAborted } from './abort-error.ts';
import { countPromptTokens } from './prompt-tokens.ts';
import {
  type AiProvider,
  type CompletionRequest,
  type CompletionResult,
  isRetryableStatus,
  type ProviderConfig,
  ProviderError,
} from './provider.ts';

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

const ErrorBodySchema = z.object({
  error: z.object({ message: z.string(), code: z.union([z.string(), z.number()]).nullish() }),
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
  readonly #fetch: typeof fetch;

  constructor(config: OpenAiProviderConfig, fetchImplementation: typeof fetch = fetch) {
    this.#config = config;
    this.#fetch = fetchImplementation;
  }

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    throwIfAborted(signal, this.kind);
    const response = await this.#post(request, signal);
    const body = await this.#readBody(response, signal);
    if (!response.ok) throw errorFromResponse(response.status, body);

    const parsed = ChatCompletionSchema.safeParse(parseJson(body));
    if (!parsed.success) {
      throw new ProviderError(
        `the endpoint answered ${response.status} with a body that is not a chat completion`,
        {
          providerKind: this.kind,
          retryable: false,
          statusCode: response.status,
          code: 'invalid_response',
        },
      );
    }
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

  async #post(request: CompletionRequest, signal: AbortSignal | undefined): Promise<Response> {
    const url = `${this.#config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const system = request.system === '' ? [] : [{ role: 'system', content: request.system }];
    const headers = this.#headers();
    try {
      return await this.#fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: this.#config.model,
          messages: [...system, ...request.messages.map(({ role, content }) => ({ role, content }))],
          max_tokens: request.maxTokens,
        }),
        signal: signal ?? null,
      });
    } catch (error) {
      if (signal?.aborted) throw providerErrorFromAbort(signal, this.kind);
      // fetch rejects only when no HTTP answer arrived (refused, reset, DNS): transient by nature.
      throw new ProviderError(`the endpoint could not be reached: ${messageOf(error)}`, {
        providerKind: this.kind,
        retryable: true,
        code: 'network_error',
        cause: error,
      });
    }
  }

  async #readBody(response: Response, signal: AbortSignal | undefined): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      if (signal?.aborted) throw providerErrorFromAbort(signal, this.kind);
      throw new ProviderError(`the connection dropped while reading the answer: ${messageOf(error)}`, {
        providerKind: this.kind,
        retryable: true,
        statusCode: response.status,
        code: 'network_error',
        cause: error,
      });
    }
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const { apiKeyEnv } = this.#config;
    if (apiKeyEnv === undefined) return headers;
    const apiKey = process.env[apiKeyEnv];
    // Sending the request unauthenticated would only earn a 401; say what is actually missing instead.
    if (apiKey === undefined || apiKey === '') {
      throw new ProviderError(`the API key variable ${apiKeyEnv} is not set`, {
        providerKind: this.kind,
        retryable: false,
        code: 'missing_api_key',
      });
    }
    headers.authorization = `Bearer ${apiKey}`;
    return headers;
  }
}

function errorFromResponse(statusCode: number, body: string): ProviderError {
  const parsed = ErrorBodySchema.safeParse(parseJson(body));
  const detail = parsed.success ? parsed.data.error.message : body.slice(0, 200);
  const code = parsed.success ? parsed.data.error.code : undefined;
  return new ProviderError(`the endpoint answered ${statusCode}${detail === '' ? '' : `: ${detail}`}`, {
    providerKind: 'openai',
    retryable: isRetryableStatus(statusCode),
    statusCode,
    ...(code === undefined || code === null ? {} : { code: String(code) }),
  });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici hides the socket error ("ECONNREFUSED …") behind a generic "fetch failed".
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
