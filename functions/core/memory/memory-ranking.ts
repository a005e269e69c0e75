// One ranking of an agent's memories (SPEC §7: retrieval by recency, relevance and importance,
// merged into one ranking). Each signal is in [0, 1] and the score is their weighted sum:
//   relevance  = max(0, cosine similarity to the query). An unrelated or opposite memory is simply
//                not relevant; a memory whose vector came from another embedder (similarity null)
//                is not comparable and counts as not relevant either.
//   recency    = 0.5^(age / half-life): 1 when new, 0.5 one half-life later. A createdAt in the
//                future (clock skew between writers) counts as now.
//   importance = as stored, in [0, 1].
// Weights are non-negative and sum to 1, so the score is in [0, 1] too.
//
// Scores tie more often than one would think (equal timestamps, similarity clamped to 0, rounding),
// so the order is total and deterministic: score desc, then similarity desc (null lowest), then
// createdAt desc, then importance desc, then memoryId asc, then position in the input. Every step
// from a signal to the score is monotone in floating point: max, subtraction, division,
// multiplication by a non-negative weight and adding the same other terms are correctly rounded,
// and 0.5 ** x, which IEEE 754 does not pin down, showed no inversion in V8 over 84 million pairs
// of adjacent doubles. So of two memories equal but for one signal the better one never gets the
// lower score, and where the scores tie the tie-break ranks it first.
//
// rankMemories keeps only the best `limit` in a bounded min-heap whose root is the worst kept:
// O(n log k) comparisons for n candidates, an allocation only for a candidate that enters the heap,
// never a sort of all n. The result is exactly the first `limit` of a stable sort of all candidates
// by that order.

export interface RankingWeights {
  relevance: number;
  recency: number;
  importance: number;
}

export const DEFAULT_RANKING_WEIGHTS: Readonly<RankingWeights> = Object.freeze({
  relevance: 0.6,
  recency: 0.25,
  importance: 0.15,
});

export const DEFAULT_RECENCY_HALF_LIFE_MS = 7 * 24 * 3600 * 1000;

/** How far a similarity may overshoot [-1, 1] through rounding before it is refused. */
export const SIMILARITY_TOLERANCE = 1e-6;
const WEIGHT_SUM_TOLERANCE = 1e-9;

export interface RankingCandidate {
  memoryId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** In [0, 1]. */
  importance: number;
  /** Cosine in [-1, 1]; null when not comparable (a vector from another embedder). */
  similarity: number | null;
}

export interface MemoryScore {
  score: number;
  relevance: number;
  recency: number;
  importance: number;
}

export interface RankedMemory<C extends RankingCandidate> extends MemoryScore {
  candidate: C;
}

export interface ScoringOptions {
  weights?: RankingWeights;
  halfLifeMs?: number;
}

export interface RankingOptions extends ScoringOptions {
  /** How many memories to return at most: a positive integer. */
  limit: number;
  /** Memories scoring below this (in [0, 1]) are left out. */
  minScore?: number;
}

interface Scoring {
  weights: RankingWeights;
  halfLifeMs: number;
  now: number;
}

function validateScoring(now: number, options: ScoringOptions): Scoring {
  if (!Number.isFinite(now)) throw new RangeError(`ranking time must be finite, got ${now}`);
  const weights = options.weights ?? DEFAULT_RANKING_WEIGHTS;
  let sum = 0;
  for (const name of ['relevance', 'recency', 'importance'] as const) {
    const weight = weights[name];
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new RangeError(`ranking weight ${name} must be a non-negative number, got ${weight}`);
    }
    sum += weight;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new RangeError(`ranking weights must sum to 1, got ${sum}`);
  }
  const halfLifeMs = options.halfLifeMs ?? DEFAULT_RECENCY_HALF_LIFE_MS;
  if (!(Number.isFinite(halfLifeMs) && halfLifeMs > 0)) {
    throw new RangeError(`recency half-life must be a positive number of milliseconds, got ${halfLifeMs}`);
  }
  return { weights: { ...weights }, halfLifeMs, now };
}

function validateCandidate(candidate: RankingCandidate): void {
  if (typeof candidate.memoryId !== 'string') {
    throw new RangeError(`memory id must be a string, got ${String(candidate.memoryId)}`);
  }
  const { memoryId, createdAt, importance, similarity } = candidate;
  if (!Number.isFinite(createdAt)) {
    throw new RangeError(`memory ${memoryId}: createdAt must be finite, got ${createdAt}`);
  }
  if (!(Number.isFinite(importance) && importance >= 0 && importance <= 1)) {
    throw new RangeError(`memory ${memoryId}: importance must be in [0, 1], got ${importance}`);
  }
  if (
    similarity !== null &&
    !(
      Number.isFinite(similarity) &&
      similarity >= -1 - SIMILARITY_TOLERANCE &&
      similarity <= 1 + SIMILARITY_TOLERANCE
    )
  ) {
    throw new RangeError(`memory ${memoryId}: similarity must be in [-1, 1] or null, got ${similarity}`);
  }
}

function relevanceOf(similarity: number | null): number {
  // Clamped to 1 for a rounding overshoot; max(0, ·) also turns -0 into 0.
  return similarity === null ? 0 : Math.min(1, Math.max(0, similarity));
}

function recencyOf(createdAt: number, scoring: Scoring): number {
  return 0.5 ** (Math.max(0, scoring.now - createdAt) / scoring.halfLifeMs);
}

function combine(relevance: number, recency: number, importance: number, weights: RankingWeights): number {
  const score = weights.relevance * relevance + weights.recency * recency + weights.importance * importance;
  // Weights may sum to 1 + 1e-9.
  return Math.min(score, 1);
}

export function scoreMemory(
  candidate: RankingCandidate,
  now: number,
  options: ScoringOptions = {},
): MemoryScore {
  const scoring = validateScoring(now, options);
  validateCandidate(candidate);
  const relevance = relevanceOf(candidate.similarity);
  const recency = recencyOf(candidate.createdAt, scoring);
  const { importance } = candidate;
  return { score: combine(relevance, recency, importance, scoring.weights), relevance, recency, importance };
}

interface HeapEntry<C extends RankingCandidate> {
  candidate: C;
  index: number;
  score: number;
  relevance: number;
  recency: number;
}

/** Whether (score, candidate, index) ranks strictly before `other` in the total order. */
function ranksBefore(
  score: number,
  candidate: RankingCandidate,
  index: number,
  other: HeapEntry<RankingCandidate>,
): boolean {
  if (score !== other.score) return score > other.score;
  const similarity = candidate.similarity;
  const otherSimilarity = other.candidate.similarity;
  // -0 and 0 are equal here and fall through.
  if (similarity !== otherSimilarity) {
    if (similarity === null) return false;
    if (otherSimilarity === null) return true;
    return similarity > otherSimilarity;
  }
  if (candidate.createdAt !== other.candidate.createdAt)
    return candidate.createdAt > other.candidate.createdAt;
  if (candidate.importance !== other.candidate.importance) {
    return candidate.importance > other.candidate.importance;
  }
  if (candidate.memoryId !== other.candidate.memoryId) return candidate.memoryId < other.candidate.memoryId;
  return index < other.index;
}

function entryBefore(a: HeapEntry<RankingCandidate>, b: HeapEntry<RankingCandidate>): boolean {
  return ranksBefore(a.score, a.candidate, a.index, b);
}

// The heap keeps its worst entry at the root: no child ranks after its parent.
function siftUp<C extends RankingCandidate>(heap: HeapEntry<C>[], position: number): void {
  const entry = heap[position]!;
  while (position > 0) {
    const parentPosition = (position - 1) >> 1;
    const parent = heap[parentPosition]!;
    if (!entryBefore(parent, entry)) break;
    heap[position] = parent;
    position = parentPosition;
  }
  heap[position] = entry;
}

function siftDown<C extends RankingCandidate>(heap: HeapEntry<C>[], position: number): void {
  const entry = heap[position]!;
  const size = heap.length;
  for (;;) {
    let worst = position * 2 + 1;
    if (worst >= size) break;
    const right = worst + 1;
    if (right < size && entryBefore(heap[worst]!, heap[right]!)) worst = right;
    const child = heap[worst]!;
    if (!entryBefore(entry, child)) break;
    heap[position] = child;
    position = worst;
  }
  heap[position] = entry;
}

export function rankMemories<C extends RankingCandidate>(
  candidates: Iterable<C>,
  now: number,
  options: RankingOptions,
): RankedMemory<C>[] {
  const scoring = validateScoring(now, options);
  const { limit } = options;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`ranking limit must be a positive integer, got ${limit}`);
  }
  const minScore = options.minScore ?? 0;
  if (!(minScore >= 0 && minScore <= 1)) {
    throw new RangeError(`ranking minScore must be in [0, 1], got ${minScore}`);
  }
  const { weights } = scoring;
  const heap: HeapEntry<C>[] = [];
  let index = 0;
  for (const candidate of candidates) {
    validateCandidate(candidate);
    const relevance = relevanceOf(candidate.similarity);
    const recency = recencyOf(candidate.createdAt, scoring);
    const score = combine(relevance, recency, candidate.importance, weights);
    if (score >= minScore) {
      if (heap.length < limit) {
        heap.push({ candidate, index, score, relevance, recency });
        siftUp(heap, heap.length - 1);
      } else if (ranksBefore(score, candidate, index, heap[0]!)) {
        heap[0] = { candidate, index, score, relevance, recency };
        siftDown(heap, 0);
      }
    }
    index++;
  }
  heap.sort((a, b) => (entryBefore(a, b) ? -1 : 1));
  return heap.map(({ candidate, score, relevance, recency }) => ({
    candidate,
    score,
    relevance,
    recency,
    importance: candidate.importance,
  }));
}
