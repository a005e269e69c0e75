// What serves an allowed step whose agent's breaker refuses calls (SPEC §6: "while OPEN: cached last good
// result for the same input, or graceful degradation (fallback agent / explicit degraded answer)"), in
// this order, and never silently: whatever served the step says so on the step and in the gate's outcome.
//
//   1. cache      the agent's last good result for the very same completion request, not expired
//   2. fallback   another agent of the same role that qualifies now (tier, breaker) takes the step over and
//                 runs it through the whole gate: its own intent, decision, provider call and proof. Once
//                 per step, so a fallback whose own breaker opens does not pass the step on again.
//   3. degraded   an explicit degraded answer: the step SUCCEEDS marked degraded, its output saying that no
//                 agent produced it, why, and when the agent takes calls again
//
// A saga step is an effect (reserve, charge), not an answer. A cached result would claim an effect that did
// not happen now, and a degraded answer would let the next step build on an effect that never happened
// while the compensations "undo" it. So a saga step gets a fallback agent only, else it is refused
// (Trustgate.CircuitOpen) and the saga compensates as for any failed step.

/** Why the breaker refused the call: canPass's reason (OPEN, or HALF_OPEN with every probe slot taken). */
export type OpenCircuitReason = 'circuit_open' | 'probe_limit';

/** How a SUCCEEDED step got its output when not from its agent's provider call. */
export type StepServing =
  | {
      kind: 'cache';
      /** ISO 8601: when the agent produced the cached result. */
      cachedAt: string;
      /** How old the result was when it served the step. */
      ageMs: number;
      /** The proof of the result when it was produced. */
      sourceProofHash: string;
    }
  | { kind: 'degraded'; reason: OpenCircuitReason; retryAfterMs: number };

/** Whether a cached result may serve a step of this kind of workflow. */
export function cacheMayServe(workflowType: string): boolean {
  return workflowType !== 'saga';
}

/** Whether a degraded answer may end a step of this kind of workflow (else the step is refused). */
export function degradedMayServe(workflowType: string): boolean {
  return workflowType !== 'saga';
}

/**
 * A cache entry serves only before it expires. DynamoDB's TTL deletes lazily (up to days later), so an
 * entry past its expiry may still be read and must count as a miss.
 */
export function isFreshEntry(entry: { expiresAt: number }, nowMs: number): boolean {
  return nowMs < entry.expiresAt * 1000;
}

/** A clock behind the writer's must not report a negative age. */
export function cacheAgeMs(cachedAtMs: number, nowMs: number): number {
  return Math.max(0, nowMs - cachedAtMs);
}

export interface DegradedFacts {
  agentId: string;
  role: string;
  reason: OpenCircuitReason;
  retryAfterMs: number;
  /** Why no fallback took the step: selectAgent's reason, or that the step was handed over once already. */
  noFallbackBecause: string;
  nowMs: number;
}

/** The output of a degraded step: plainly not an answer to the task, and saying when to try again. */
export function degradedAnswer(facts: DegradedFacts): string {
  const retryAt = new Date(facts.nowMs + facts.retryAfterMs).toISOString();
  const why = facts.reason === 'circuit_open' ? 'is open' : 'is half-open with every probe slot taken';
  return (
    `[degraded] No agent produced this output. The circuit breaker of agent "${facts.agentId}" ${why}, ` +
    `no cached result for this input exists, and no fallback of role "${facts.role}" took the step ` +
    `(${facts.noFallbackBecause}). The agent takes calls again from ${retryAt}.`
  );
}
