// The provider contract of docs/backend.md ("Providers"): how the gate asks an AI model for a completion,
// whichever model serves the agent. The config is stored on the agent (AgentsTable `provider`) and is
// validated at registration by ProviderConfigSchema, so a provider built from a stored config is valid.
import { z } from 'zod';

export type ProviderConfig =
  | { kind: 'local' }
  | { kind: 'bedrock'; modelId: string; region?: string }
  | { kind: 'openai'; baseUrl: string; model: string; apiKeyEnv?: string };

export type ProviderKind = ProviderConfig['kind'];

export interface CompletionMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  system: string;
  messages: CompletionMessage[];
  maxTokens: number;
  /** research | analysis | writing | review | … */
  agentRole: string;
  /** search_web | process_data | generate_document | … */
  action: string;
}

export interface CompletionResult {
  text: string;
  usage: { inputTokens: number; outputTokens: number };
  model: string;
  /**
   * Why generation stopped, in Bedrock's vocabulary whichever provider answered (`end_turn`, `max_tokens`,
   * `stop_sequence`, `tool_use`, `content_filtered`, …), so callers test truncation one way.
   */
  stopReason: string;
}

export interface AiProvider {
  readonly kind: ProviderKind;
  complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult>;
}

// An environment variable name: the API key itself is never stored on the agent, only where to find it.
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const ProviderConfigSchema: z.ZodType<ProviderConfig> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local') }),
  z.strictObject({
    kind: z.literal('bedrock'),
    modelId: z.string().min(1).max(256),
    region: z.string().regex(AWS_REGION, 'an AWS region such as us-east-1').optional(),
  }),
  z.strictObject({
    kind: z.literal('openai'),
    baseUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2048),
    model: z.string().min(1).max(256),
    apiKeyEnv: z.string().regex(ENV_VAR_NAME, 'an environment variable name').max(128).optional(),
  }),
]);

export interface ProviderErrorOptions {
  providerKind: ProviderKind;
  retryable: boolean;
  statusCode?: number;
  /** The provider's own error code when it gave one (`ThrottlingException`, `rate_limit_exceeded`), else ours (`timeout`, `network_error`). */
  code?: string;
  cause?: unknown;
}

/**
 * A failed completion. `retryable` says whether the same request may succeed later (throttling, 5xx,
 * timeouts, dropped connections) or will fail again until something changes (4xx: bad request, denied
 * access, unknown model). The adapters never retry themselves: the caller owns the retry policy.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly providerKind: ProviderKind;
  readonly retryable: boolean;
  readonly statusCode?: number;
  readonly code?: string;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.providerKind = options.providerKind;
    this.retryable = options.retryable;
    this.statusCode = options.statusCode;
    this.code = options.code;
  }
}

/** Throttling, server-side failures and request timeouts are worth retrying; other 4xx are not. */
export function isRetryableStatus(statusCode: number): boolean {
  return statusCode === 408 || statusCode === 429 || statusCode >= 500;
}
