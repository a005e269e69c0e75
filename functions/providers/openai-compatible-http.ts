// The HTTP side shared by the OpenAI-compatible adapters (chat completions for the gate, embeddings for
// long-term memory): POST JSON to {baseUrl}/<path>, authenticated by the key in the environment variable
// the config names, and every way that can fail described once. One request per call and no retries:
// the callers own the retry policy and read `retryable`. The failures become the adapter's own error
// class through its ErrorMapping, so a ProviderError and an EmbedderError say the same things the same way.
import { z } from 'zod';
import { parseJson } from './parse-json.ts';
import { isRetryableStatus } from './provider.ts';
import type { ErrorMapping, ServiceFailure } from './service-failure.ts';

export interface OpenAiCompatibleEndpoint {
  baseUrl: string;
  /** The environment variable that holds the API key; without one no authorization header is sent. */
  apiKeyEnv?: string;
}

export interface OpenAiCompatibleOptions {
  /**
   * When an error body has no `code`, take its `type` (`server_error`, `invalid_request_error`) as the
   * code. The embedder reads it so; the chat-completions provider keeps the `code` alone.
   */
  codeFromType?: boolean;
}

/** A 2xx answer: its status and its body as JSON (undefined when the body is not JSON). */
export interface OpenAiCompatibleAnswer {
  status: number;
  json: unknown;
}

const ErrorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    code: z.union([z.string(), z.number()]).nullish(),
    // Read only with codeFromType; a malformed type must not cost the error its message.
    type: z.string().nullish().catch(undefined),
  }),
});

export class OpenAiCompatibleClient<E extends Error> {
  readonly #url: string;
  readonly #apiKeyEnv: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #errors: ErrorMapping<E>;
  readonly #codeFromType: boolean;

  constructor(
    endpoint: OpenAiCompatibleEndpoint,
    fetchImplementation: typeof fetch,
    errors: ErrorMapping<E>,
    options: OpenAiCompatibleOptions = {},
  ) {
    this.#url = endpoint.baseUrl.replace(/\/+$/, '');
    this.#apiKeyEnv = endpoint.apiKeyEnv;
    this.#fetch = fetchImplementation;
    this.#errors = errors;
    this.#codeFromType = options.codeFromType ?? false;
  }

  /** POSTs `payload` to {baseUrl}/{path}; throws the adapter's error for anything but a 2xx answer. */
  async post(
    path: string,
    payload: unknown,
    signal: AbortSignal | undefined,
  ): Promise<OpenAiCompatibleAnswer> {
    const headers = this.#headers();
    let response: Response;
    try {
      response = await this.#fetch(`${this.#url}/${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        signal: signal ?? null,
      });
    } catch (error) {
      // fetch rejects only when no HTTP answer arrived (refused, reset, DNS): transient by nature.
      throw this.#failure(signal, {
        message: `the endpoint could not be reached: ${messageOf(error)}`,
        retryable: true,
        code: 'network_error',
        cause: error,
      });
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      throw this.#failure(signal, {
        message: `the connection dropped while reading the answer: ${messageOf(error)}`,
        retryable: true,
        statusCode: response.status,
        code: 'network_error',
        cause: error,
      });
    }
    if (!response.ok) throw this.#errors.fromFailure(this.#failureOfStatus(response.status, body));
    return { status: response.status, json: parseJson(body) };
  }

  /** The error for a 2xx answer whose body is not what the adapter asked for (`what` it was instead). */
  invalidResponse(statusCode: number, what: string): E {
    return this.#errors.fromFailure({
      message: `the endpoint answered ${statusCode} with ${what}`,
      retryable: false,
      statusCode,
      code: 'invalid_response',
    });
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const apiKeyEnv = this.#apiKeyEnv;
    if (apiKeyEnv === undefined) return headers;
    const apiKey = process.env[apiKeyEnv];
    // Sending the request unauthenticated would only earn a 401; say what is actually missing instead.
    if (apiKey === undefined || apiKey === '') {
      throw this.#errors.fromFailure({
        message: `the API key variable ${apiKeyEnv} is not set`,
        retryable: false,
        code: 'missing_api_key',
      });
    }
    headers.authorization = `Bearer ${apiKey}`;
    return headers;
  }

  // A transport failure after the caller's signal fired is the abort, not a network problem.
  #failure(signal: AbortSignal | undefined, failure: ServiceFailure): E {
    return signal?.aborted ? this.#errors.fromAbort(signal) : this.#errors.fromFailure(failure);
  }

  #failureOfStatus(statusCode: number, body: string): ServiceFailure {
    const parsed = ErrorBodySchema.safeParse(parseJson(body));
    const error = parsed.success ? parsed.data.error : undefined;
    const detail = error === undefined ? body.slice(0, 200) : error.message;
    const code = this.#codeFromType ? (error?.code ?? error?.type) : error?.code;
    return {
      message: `the endpoint answered ${statusCode}${detail === '' ? '' : `: ${detail}`}`,
      retryable: isRetryableStatus(statusCode),
      statusCode,
      ...(code === undefined || code === null ? {} : { code: String(code) }),
    };
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici hides the socket error ("ECONNREFUSED …") behind a generic "fetch failed".
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
