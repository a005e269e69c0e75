// A completion cut short by the caller's AbortSignal. `AbortSignal.timeout(ms)` aborts with a
// TimeoutError: the provider was slow, and a later attempt may be fast enough (retryable). Any other
// reason means the caller gave up on purpose (shutdown, workflow cancelled): retrying is not ours to decide.
import { ProviderError, type ProviderKind } from './provider.ts';

function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

export function providerErrorFromAbort(signal: AbortSignal, providerKind: ProviderKind): ProviderError {
  const timedOut = isTimeout(signal.reason);
  return new ProviderError(timedOut ? 'the completion timed out' : 'the completion was aborted', {
    providerKind,
    retryable: timedOut,
    code: timedOut ? 'timeout' : 'aborted',
    cause: signal.reason,
  });
}

/** Throws the abort as a ProviderError when the signal has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, providerKind: ProviderKind): void {
  if (signal?.aborted) throw providerErrorFromAbort(signal, providerKind);
}
