// What one delivery attempt does to its webhook's health (docs/backend.md "Webhooks"):
//   2xx          delivered: `failingSince` is cleared, `lastDelivery` records the success
//   otherwise    failed: `failingSince` keeps the first failure of the current run, `lastDelivery` records
//                this one, and once the webhook has been failing for longer than the disable threshold
//                (5 days by default) it is disabled, so a dead endpoint stops costing deliveries.
export const DEFAULT_DISABLE_AFTER_SECONDS = 5 * 24 * 3600;

export interface LastDelivery {
  /** ISO 8601, when the attempt ended. */
  at: string;
  /** The HTTP status the endpoint answered, or null when there was no answer (timeout, refused, …). */
  status: number | null;
  /** Why the attempt failed; null for a delivered one. */
  error: string | null;
}

export type AttemptResult = { kind: 'answered'; status: number } | { kind: 'no_answer'; error: string };

export function isDelivered(result: AttemptResult): boolean {
  return result.kind === 'answered' && result.status >= 200 && result.status < 300;
}

export function lastDeliveryOf(result: AttemptResult, atMs: number): LastDelivery {
  const at = new Date(atMs).toISOString();
  if (result.kind === 'no_answer') return { at, status: null, error: result.error };
  return { at, status: result.status, error: isDelivered(result) ? null : `HTTP ${result.status}` };
}

/** Whether a webhook failing since `failingSince` (ISO) is to be disabled at `nowMs`. */
export function shouldDisable(failingSince: string, nowMs: number, disableAfterSeconds: number): boolean {
  const since = Date.parse(failingSince);
  return Number.isFinite(since) && nowMs - since > disableAfterSeconds * 1000;
}
