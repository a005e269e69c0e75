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

/**
 * A schedule from its configuration text (WEBHOOK_RETRY_DELAYS_SECONDS, "5,15,45,135,405"): positive
 * whole seconds, at most SQS's 12-hour visibility limit each. Throws RangeError naming the bad entry.
 */
export function parseRetryDelays(text: string | undefined): readonly number[] {
  if (text === undefined || text.trim() === '') return RETRY_DELAYS_SECONDS;
  return text.split(',').map((entry) => {
    const value = Number(entry.trim());
    if (!/^\d+$/.test(entry.trim()) || value < 1 || value > 43_200) {
      throw new RangeError(`retry delays are whole seconds from 1 to 43200, got "${entry}"`);
    }
    return value;
  });
}

/**
 * Seconds until the next attempt after failed attempt `attempt` under `delays`; 0 once the schedule is
 * spent, so the message is received once more at once and the queue's redrive policy (maxReceiveCount =
 * delays.length + 1) moves it to the dead-letter queue.
 */
export function scheduledRetryDelay(delays: readonly number[], attempt: number): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  }
  return delays[attempt - 1] ?? 0;
}
