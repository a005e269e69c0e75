// Cedar's answer is a pure function of the pre-parsed policy set and the request (principal, action,
// resource, context — which carries the hour — and the entity slice with tier, score and capabilities).
// With cedar-wasm, handing a request across the wasm boundary costs far more than evaluating it
// (≈ 130 µs of a ≈ 150 µs call on our machines), while a warm gate keeps asking the same questions: the
// same agent, action and resource at the same tier within the hour. So answers are memoized, keyed by the
// set's id and the exact request Cedar would see — any changed fact is a different key, so a hit can never
// hide a new score, tier, capability or hour. Bounded (least recently used goes first); errors are never
// memoized, so a failure is evaluated again, and still fails closed, next time.
import { type CedarOutcome, evaluatePreparsed } from './cedar-evaluation.ts';
import type { CedarRequest } from './cedar-request.ts';

export const DEFAULT_MEMO_CAPACITY = 4096;

export class CedarAnswerMemo {
  private readonly answers = new Map<string, CedarOutcome>();
  private readonly capacity: number;

  /** A capacity of 0 turns memoization off: every request is evaluated by Cedar. */
  constructor(capacity = DEFAULT_MEMO_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`memo capacity must be a non-negative integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.answers.size;
  }

  readonly evaluate = (preparsedPolicySetId: string, request: CedarRequest): CedarOutcome => {
    if (this.capacity === 0) return evaluatePreparsed(preparsedPolicySetId, request);
    const key = `${preparsedPolicySetId}\n${JSON.stringify(request)}`;
    const remembered = this.answers.get(key);
    if (remembered) {
      // Re-inserting moves the key to the young end of the Map's insertion order.
      this.answers.delete(key);
      this.answers.set(key, remembered);
      return remembered;
    }
    const outcome = evaluatePreparsed(preparsedPolicySetId, request);
    if (outcome.kind === 'error') return outcome;
    // Frozen because every later hit hands out this same object.
    const shared: CedarOutcome = Object.freeze({
      kind: outcome.kind,
      determiningPolicyIds: Object.freeze([...outcome.determiningPolicyIds]),
    });
    this.answers.set(key, shared);
    if (this.answers.size > this.capacity) this.answers.delete(this.answers.keys().next().value!);
    return shared;
  };
}
