// How long a role-routed step waits before the router tries again while no agent qualifies (the bounded
// queue of docs/backend.md "Functions of the flows", route): exponential backoff, capped.
//
//   retryInSeconds = min(maxDelaySeconds, ceil(delaySeconds × backoffRate^(attempt − 1)))
//
// The state machine's Wait state takes whole seconds, hence the ceiling.
import type { WorkflowOptions } from './workflow-item.ts';

export type QueueOptions = WorkflowOptions['queue'];

/** The wait after routing attempt `attempt` (1 = the first) found nobody. */
export function retryInSeconds(queue: Readonly<QueueOptions>, attempt: number): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError(`routing attempt must be a positive integer, got ${attempt}`);
  }
  // backoffRate may be fractional: 10 × 1.1 is 11.000000000000002 in binary floating point, which a plain
  // ceiling would turn into 12. Rounding to 12 significant digits first removes that noise and nothing
  // else (no bounded setting produces a real value that close above an integer). A huge attempt makes
  // the power Infinity, which the cap absorbs.
  const uncapped = queue.delaySeconds * queue.backoffRate ** (attempt - 1);
  const delay = Number.isFinite(uncapped) ? Math.ceil(Number(uncapped.toPrecision(12))) : uncapped;
  return Math.min(queue.maxDelaySeconds, delay);
}

/** The router throws instead of queueing once this attempt has found nobody. */
export function isLastRoutingAttempt(queue: Readonly<QueueOptions>, attempt: number): boolean {
  return attempt >= queue.maxAttempts;
}
