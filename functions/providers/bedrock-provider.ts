// Amazon Bedrock through the Converse API: one request shape for every Bedrock model family. The SDK's
// own retries are switched off (maxAttempts 1): the caller owns the retry policy, reading
// ProviderError.retryable, so one gated step is one model call the breaker and the budget can count.
// Which SDK errors are retryable is bedrock-failure.ts, shared with the Bedrock embedder.
import {
  BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { throwIfAborted } from './abort-error.ts';
import { errorFromBedrock } from './bedrock-failure.ts';
import type { AiProvider, CompletionRequest, CompletionResult, ProviderConfig } from './provider.ts';
import { providerErrors } from './service-failure.ts';

export type BedrockProviderConfig = Extract<ProviderConfig, { kind: 'bedrock' }>;

const ERRORS = providerErrors('bedrock');

export interface BedrockProviderOptions {
  /** Overrides the Bedrock runtime endpoint (a loopback server in tests); AWS_ENDPOINT_URL_BEDROCK_RUNTIME works too. */
  endpoint?: string;
}

export class BedrockProvider implements AiProvider {
  readonly kind = 'bedrock';
  readonly #modelId: string;
  readonly #client: BedrockRuntimeClient;

  constructor(config: BedrockProviderConfig, options: BedrockProviderOptions = {}) {
    this.#modelId = config.modelId;
    this.#client = new BedrockRuntimeClient({
      maxAttempts: 1,
      ...(config.region === undefined ? {} : { region: config.region }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    });
  }

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    throwIfAborted(signal, this.kind);
    let output: ConverseCommandOutput;
    try {
      output = await this.#client.send(
        new ConverseCommand({
          modelId: this.#modelId,
          // Bedrock rejects empty text blocks, so an empty system prompt is left out rather than sent.
          ...(request.system === '' ? {} : { system: [{ text: request.system }] }),
          messages: request.messages.map(({ role, content }) => ({ role, content: [{ text: content }] })),
          inferenceConfig: { maxTokens: request.maxTokens },
        }),
        signal === undefined ? {} : { abortSignal: signal },
      );
    } catch (error) {
      throw errorFromBedrock(error, signal, ERRORS);
    }
    return {
      text: textOf(output.output?.message?.content ?? []),
      usage: { inputTokens: output.usage?.inputTokens ?? 0, outputTokens: output.usage?.outputTokens ?? 0 },
      model: this.#modelId,
      stopReason: output.stopReason ?? 'end_turn',
    };
  }
}

// A reply may interleave text with other blocks (reasoning, tool use); the completion is its text.
function textOf(content: readonly ContentBlock[]): string {
  return content.map((block) => block.text ?? '').join('');
}
