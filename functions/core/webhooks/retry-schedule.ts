// Webhook delivery retries (SPEC §5): after a failed delivery, wait 5, 15, 45, 135, 405 seconds
// (×3 each time, about ten minutes in all); when the sixth attempt (the fifth retry) fails too, the
// delivery goes to the dead-letter queue, from which a redrive command replays it.

export const RETRY_DELAYS_SECONDS: readonly number[] = [5, 15, 45, 135, 405];

export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/**
 * What to do after delivery attempt `attempt` (1 = the first delivery) has failed: wait that many
 * seconds before the next attempt, or give up to the dead-letter queue.
 */
export function nextRetryDelaySeconds(attempt: number): number | 'dead_letter' {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  }
  return RETRY_DELAYS_SECONDS[attempt - 1] ?? 'dead_letter';
}
