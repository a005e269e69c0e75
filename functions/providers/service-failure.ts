// A failed call to a remote model service, described once for completions and embeddings alike: the
// OpenAI-compatible HTTP client and the Bedrock error classification describe what went wrong without
// knowing which contract called them, and each contract's error class (ProviderError for the gate's
// providers, EmbedderError for long-term memory) is made from the description here. An abort by the
// caller's signal is not described: each contract words it its own way ("the completion timed out", "the
// embedding timed out"), so the mapping hands it the signal.
import { EmbedderError, type EmbedderKind, embedderErrorFromAbort } from '../core/memory/embedder.ts';
import { providerErrorFromAbort } from './abort-error.ts';
import { ProviderError, type ProviderKind } from './provider.ts';

export interface ServiceFailure {
  message: string;
  /** Whether the same request may succeed later (throttling, 5xx, dropped connections). */
  retryable: boolean;
  statusCode?: number;
  /** The service's own error code when it gave one, else ours (`network_error`, `missing_api_key`, `invalid_response`). */
  code?: string;
  cause?: unknown;
}

/** How one contract turns a failure, or an abort by the caller's signal, into its own error. */
export interface ErrorMapping<E extends Error> {
  fromFailure(failure: ServiceFailure): E;
  fromAbort(signal: AbortSignal): E;
}

export function providerErrors(providerKind: ProviderKind): ErrorMapping<ProviderError> {
  return {
    fromFailure: ({ message, ...details }) => new ProviderError(message, { providerKind, ...details }),
    fromAbort: (signal) => providerErrorFromAbort(signal, providerKind),
  };
}

export function embedderErrors(embedderKind: EmbedderKind): ErrorMapping<EmbedderError> {
  return {
    fromFailure: ({ message, ...details }) => new EmbedderError(message, { embedderKind, ...details }),
    fromAbort: (signal) => embedderErrorFromAbort(signal, embedderKind),
  };
}
