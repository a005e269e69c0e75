// How a failed call of the Bedrock runtime SDK (Converse for the provider, InvokeModel for the embedder)
// is judged, shared by both adapters. Their SDK retries are off (maxAttempts 1), so `retryable` is all
// the caller has to decide on a next attempt. An abort by the caller's signal wins over whatever the SDK
// threw for it; the rest is the service's exception, or a connection that never produced an answer.
import { isRetryableStatus } from './provider.ts';
import type { ErrorMapping, ServiceFailure } from './service-failure.ts';

// Exceptions of the runtime API that describe a passing condition; the rest (ValidationException,
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

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** The adapter's error for what `client.send` threw, `signal` being the caller's. */
export function errorFromBedrock<E extends Error>(
  error: unknown,
  signal: AbortSignal | undefined,
  errors: ErrorMapping<E>,
): E {
  return signal?.aborted ? errors.fromAbort(signal) : errors.fromFailure(bedrockFailure(error));
}

function bedrockFailure(error: unknown): ServiceFailure {
  const shape = asShape(error);
  const statusCode = shape.$metadata?.httpStatusCode;
  const name = shape.name ?? 'Error';
  // A service answer (it has a status) is judged by its exception, never as a dropped connection.
  const transportFailure = statusCode === undefined && isTransportFailure(shape);
  const retryable =
    RETRYABLE_EXCEPTIONS.has(name) ||
    transportFailure ||
    (statusCode !== undefined && isRetryableStatus(statusCode));
  return {
    message: `Bedrock ${name}: ${shape.message ?? String(error)}`,
    retryable,
    ...(statusCode === undefined ? {} : { statusCode }),
    code: transportFailure ? 'network_error' : name,
    cause: error,
  };
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
