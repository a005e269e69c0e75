// Which delivery failures EventBridge retries: throttling, server-side and network errors. Client
// errors such as a missing queue, function or state machine go to the dead-letter queue at once.

import { AwsServiceError } from '../../contracts.ts';

const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestThrottled',
  'ThrottledException',
  'KMSThrottlingException',
]);

export function isRetryableDeliveryError(error: unknown): boolean {
  if (error instanceof AwsServiceError) {
    return error.statusCode >= 500 || error.statusCode === 429 || THROTTLING_CODES.has(error.code);
  }
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  // No HTTP status: the request never got an answer (connection refused, reset, timeout).
  if (status === undefined) return true;
  return status >= 500 || status === 429 || (name !== undefined && THROTTLING_CODES.has(name));
}

export function errorCode(error: unknown): string {
  if (error instanceof AwsServiceError) return error.code;
  return (error as { name?: string }).name ?? 'Error';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
