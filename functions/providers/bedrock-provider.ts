// Amazon Bedrock through the Converse API: one request shape for every Bedrock model family. The SDK's
// own retries are switched off (maxAttempts 1): the caller owns the retry policy, reading
// ProviderError.retryable, so one gated step is one model call the breaker and the budget can count.
import {
  BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { providerErrorFromAbort, throwIfAborted } from './abort-error.ts';
import {
  type AiProvider,
  type CompletionRequest,
  type CompletionResult,
  isRetryableStatus,
  type ProviderConfig,
  ProviderError,
} from './provider.ts';

export type BedrockProviderConfig = Extract<ProviderConfig, { kind: 'bedrock' }>;

// Exceptions of the Converse API that describe a passing condition; the rest (ValidationException,
// AccessDeniedException, ResourceNotFoundException, …) repeat until the request or the account changes.
const RETRYABLE_EXCEPTIONS = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelTimeoutException',
  'ModelNotReadyException',
]);

// Connection-level failures: no answer came back, so nothing says the next attempt would fail too. The
// client speaks HTTP/2, whose stream errors wrap the socket error as their cause ("The pending stream has
// been canceled (caused by: connect ECONNREFUSED …)").
const SOCKET_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);
const HTTP2_ERROR_CODE = /^ERR_HTTP2_/;

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
      if (signal?.aborted) throw providerErrorFromAbort(signal, this.kind);
      throw providerErrorFromBedrock(error);
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

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function asShape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

function isTransportFailure(error: SdkErrorShape): boolean {
  for (let current: SdkErrorShape | undefined = error; current !== undefined; ) {
    const { code } = current;
    if (code !== undefined && (SOCKET_ERROR_CODES.has(code) || HTTP2_ERROR_CODE.test(code))) return true;
    current = current.cause === undefined ? undefined : asShape(current.cause);
  }
  return false;
}

function providerErrorFromBedrock(error: unknown): ProviderError {
  const shape = asShape(error);
  const statusCode = shape.$metadata?.httpStatusCode;
  const name = shape.name ?? 'Error';
  // A service answer (it has a status) is judged by its exception, never as a dropped connection.
  const transportFailure = statusCode === undefined && isTransportFailure(shape);
  const retryable =
    RETRYABLE_EXCEPTIONS.has(name) ||
    transportFailure ||
    (statusCode !== undefined && isRetryableStatus(statusCode));
  return new ProviderError(`Bedrock ${name}: ${shape.message ?? String(error)}`, {
    providerKind: 'bedrock',
    retryable,
    ...(statusCode === undefined ? {} : { statusCode }),
    code: transportFailure ? 'network_error' : name,
    cause: error,
  });
}
