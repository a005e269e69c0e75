import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RANKING_WEIGHTS,
  DEFAULT_RECENCY_HALF_LIFE_MS,
  type RankingCandidate,
  type RankingWeights,
  rankMemories,
  scoreMemory,
} from '../../../functions/core/memory/memory-ranking.ts';

const NOW = 1_750_000_000_000;
const DAY = 24 * 3600 * 1000;

interface TaggedCandidate extends RankingCandidate {
  tag: number;
}

// Small pools next to continuous ranges, so that ties in every key show up often.
const memoryIdArb = fc.oneof(fc.constantFrom('a', 'b', 'm-1', 'm-2'), fc.string({ maxLength: 6 }));
const createdAtArb = fc.oneof(
  fc.constantFrom(NOW, NOW - DAY, NOW - 7 * DAY, NOW + DAY),
  fc.integer({ min: NOW - 90 * DAY, max: NOW + 2 * DAY }),
);
const importanceArb = fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const similarityArb = fc.oneof(
  fc.constant(null),
  fc.constantFrom(-1, -0.25, 0, 0.5, 1),
  fc.double({ min: -1, max: 1, noNaN: true }),
);
const candidateArb: fc.Arbitrary<RankingCandidate> = fc.record({
  memoryId: memoryIdArb,
  createdAt: createdAtArb,
  importance: importanceArb,
  similarity: similarityArb,
});
const weightsArb: fc.Arbitrary<RankingWeights> = fc.oneof(
  fc.constant({ ...DEFAULT_RANKING_WEIGHTS }),
  fc.constantFrom(
    { relevance: 1, recency: 0, importance: 0 },
    { relevance: 0, recency: 1, importance: 0 },
    { relevance: 0, recency: 0, importance: 1 },
    { relevance: 0.5, recency: 0.5, importance: 0 },
  ),
  fc
    .tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .filter(([a, b, c]) => a + b + c > 1e-3)
    .map(([a, b, c]) => {
      const sum = a + b + c;
      return { relevance: a / sum, recency: b / sum, importance: c / sum };
    }),
);
const halfLifeArb = fc.oneof(
  fc.constant(DEFAULT_RECENCY_HALF_LIFE_MS),
  fc.double({ min: 1, max: 365 * DAY, noNaN: true }),
);
const scoringArb = fc.record({ weights: weightsArb, halfLifeMs: halfLifeArb });

function tagged(candidates: readonly RankingCandidate[]): TaggedCandidate[] {
  return candidates.map((candidate, tag) => ({ ...candidate, tag }));
}

/** The order spelled out independently of the module: a full, stable sort by the documented keys. */
function fullSort(
  candidates: readonly TaggedCandidate[],
  options: { weights: RankingWeights; halfLifeMs: number; minScore?: number },
): { candidate: TaggedCandidate; score: number }[] {
  const scored = candidates.map((candidate) => ({
    candidate,
    score: scoreMemory(candidate, NOW, options).score,
  }));
  const similarityKey = (similarity: number | null) =>
    similarity === null ? Number.NEGATIVE_INFINITY : similarity;
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      similarityKey(b.candidate.similarity) - similarityKey(a.candidate.similarity) ||
      b.candidate.createdAt - a.candidate.createdAt ||
      b.candidate.importance - a.candidate.importance ||
      (a.candidate.memoryId < b.candidate.memoryId
        ? -1
        : a.candidate.memoryId > b.candidate.memoryId
          ? 1
          : 0),
  );
  return scored.filter(({ score }) => score >= (options.minScore ?? 0));
}

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % keys.length] ?? 0 }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

/**
 * `better` and `worse` differ in one signal only (and their ids); among `crowd` the better one must
 * come first in the full ranking, and be in every top-k that holds the worse one.
 */
function expectNeverBelow(
  better: RankingCandidate,
  worse: RankingCandidate,
  crowd: readonly RankingCandidate[],
  order: readonly number[],
  scoring: { weights: RankingWeights; halfLifeMs: number },
): void {
  expect(scoreMemory(better, NOW, scoring).score).toBeGreaterThanOrEqual(
    scoreMemory(worse, NOW, scoring).score,
  );
  const all = shuffled([better, worse, ...crowd], order);
  expect(rankMemories([worse, better], NOW, { ...scoring, limit: 1 })[0]!.candidate).toBe(better);
  expect(rankMemories([better, worse], NOW, { ...scoring, limit: 1 })[0]!.candidate).toBe(better);
  const full = rankMemories(all, NOW, { ...scoring, limit: all.length }).map(({ candidate }) => candidate);
  expect(full.indexOf(better)).toBeLessThan(full.indexOf(worse));
  for (let limit = 1; limit <= all.length; limit++) {
    const top = rankMemories(all, NOW, { ...scoring, limit }).map(({ candidate }) => candidate);
    if (top.includes(worse)) expect(top).toContain(better);
  }
}

const crowdArb = fc.array(candidateArb, { maxLength: 8 });
const orderArb = fc.array(fc.integer(), { minLength: 1, maxLength: 10 });

describe('scoreMemory', () => {
  it('is the weighted sum of relevance, recency and importance', () => {
    const scored = scoreMemory(
      { memoryId: 'm', createdAt: NOW - DEFAULT_RECENCY_HALF_LIFE_MS, importance: 0.4, similarity: 0.5 },
      NOW,
    );
    expect(scored).toEqual({ score: expect.any(Number), relevance: 0.5, recency: 0.5, importance: 0.4 });
    expect(scored.score).toBeCloseTo(0.6 * 0.5 + 0.25 * 0.5 + 0.15 * 0.4, 12);
  });

  it('gives recency exactly 0.5 one half-life old, 0.25 two, and 1 now or in the future', () => {
    const at = (createdAt: number, halfLifeMs?: number) =>
      scoreMemory({ memoryId: 'm', createdAt, importance: 0, similarity: 0 }, NOW, { halfLifeMs }).recency;
    expect(DEFAULT_RECENCY_HALF_LIFE_MS).toBe(7 * DAY);
    expect(at(NOW - 7 * DAY)).toBe(0.5);
    expect(at(NOW - 14 * DAY)).toBe(0.25);
    expect(at(NOW - 3600_000, 3600_000)).toBe(0.5);
    expect(at(NOW)).toBe(1);
    expect(at(NOW + 30 * DAY)).toBe(1);
    expect(at(NOW - 3.5 * DAY)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('halves recency with every half-life of age (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 * DAY }),
        fc.integer({ min: 0, max: 40 }),
        (halfLifeMs, lives) => {
          const createdAt = NOW - lives * halfLifeMs;
          const { recency } = scoreMemory(
            { memoryId: 'm', createdAt, importance: 0, similarity: null },
            NOW,
            {
              halfLifeMs,
            },
          );
          expect(recency).toBe(0.5 ** lives);
        },
      ),
    );
  });

  it('counts a negative similarity and a null one (another embedder) as not relevant', () => {
    const base = { memoryId: 'm', createdAt: NOW - DAY, importance: 0.3 };
    const unrelated = scoreMemory({ ...base, similarity: 0 }, NOW);
    expect(scoreMemory({ ...base, similarity: -1 }, NOW)).toEqual(unrelated);
    expect(scoreMemory({ ...base, similarity: null }, NOW)).toEqual(unrelated);
    expect(unrelated.relevance).toBe(0);
    expect(Object.is(scoreMemory({ ...base, similarity: -0 }, NOW).relevance, 0)).toBe(true);
  });

  it('clamps a similarity that overshoots ±1 by rounding, and refuses more', () => {
    const base = { memoryId: 'm', createdAt: NOW, importance: 0 };
    expect(scoreMemory({ ...base, similarity: 1.0000001 }, NOW).relevance).toBe(1);
    expect(scoreMemory({ ...base, similarity: -1.0000005 }, NOW).relevance).toBe(0);
    expect(() => scoreMemory({ ...base, similarity: 1.00001 }, NOW)).toThrow(/similarity/);
    expect(() => scoreMemory({ ...base, similarity: -1.01 }, NOW)).toThrow(/similarity/);
    expect(() => scoreMemory({ ...base, similarity: Number.NaN }, NOW)).toThrow(RangeError);
  });

  it('keeps every score in [0, 1] (property)', () => {
    fc.assert(
      fc.property(candidateArb, scoringArb, (candidate, scoring) => {
        const { score, relevance, recency, importance } = scoreMemory(candidate, NOW, scoring);
        for (const value of [score, relevance, recency, importance]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('stays at most 1 when the weights sum to a hair over 1', () => {
    const weights = { relevance: 0.6 + 9e-10, recency: 0.25, importance: 0.15 };
    const best = { memoryId: 'm', createdAt: NOW, importance: 1, similarity: 1 };
    expect(scoreMemory(best, NOW, { weights }).score).toBe(1);
  });

  it('validates the weights: non-negative, finite, summing to 1 within 1e-9', () => {
    const candidate = { memoryId: 'm', createdAt: NOW, importance: 0.5, similarity: 0.5 };
    const valid = [
      { relevance: 1, recency: 0, importance: 0 },
      { relevance: 0.6, recency: 0.25, importance: 0.15 + 5e-10 },
      { relevance: 0.1, recency: 0.2, importance: 0.7 },
    ];
    for (const weights of valid) expect(() => scoreMemory(candidate, NOW, { weights })).not.toThrow();
    const invalid = [
      { relevance: 1.2, recency: -0.2, importance: 0 },
      { relevance: 0.5, recency: 0.25, importance: 0.15 },
      { relevance: 0.6, recency: 0.25, importance: 0.15 + 2e-9 },
      { relevance: Number.NaN, recency: 0.5, importance: 0.5 },
      { relevance: Number.POSITIVE_INFINITY, recency: 0, importance: 0 },
      { relevance: 0, recency: 0, importance: 0 },
    ];
    for (const weights of invalid) {
      expect(() => scoreMemory(candidate, NOW, { weights })).toThrow(RangeError);
      expect(() => rankMemories([candidate], NOW, { weights, limit: 1 })).toThrow(/ranking weight/);
    }
    expect(Object.isFrozen(DEFAULT_RANKING_WEIGHTS)).toBe(true);
    const { relevance, recency, importance } = DEFAULT_RANKING_WEIGHTS;
    expect(relevance + recency + importance).toBeCloseTo(1, 12);
  });

  it('refuses a non-positive half-life, a non-finite now and invalid candidates', () => {
    const candidate = { memoryId: 'm', createdAt: NOW, importance: 0.5, similarity: 0.5 };
    for (const halfLifeMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => scoreMemory(candidate, NOW, { halfLifeMs })).toThrow(/half-life/);
    }
    expect(() => scoreMemory(candidate, Number.NaN)).toThrow(/time/);
    for (const importance of [-0.01, 1.01, Number.NaN]) {
      expect(() => scoreMemory({ ...candidate, importance }, NOW)).toThrow(/importance/);
    }
    for (const createdAt of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => scoreMemory({ ...candidate, createdAt }, NOW)).toThrow(/createdAt/);
    }
  });
});

describe('rankMemories', () => {
  it('ranks a more relevant memory never lower (property)', () => {
    fc.assert(
      fc.property(
        candidateArb,
        similarityArb,
        similarityArb,
        memoryIdArb,
        crowdArb,
        orderArb,
        scoringArb,
        (base, first, second, otherId, crowd, order, scoring) => {
          const rank = (similarity: number | null) =>
            similarity === null ? Number.NEGATIVE_INFINITY : similarity;
          fc.pre(rank(first) !== rank(second));
          const [high, low] = rank(first) > rank(second) ? [first, second] : [second, first];
          expectNeverBelow(
            { ...base, similarity: high },
            { ...base, memoryId: otherId, similarity: low },
            crowd,
            order,
            scoring,
          );
        },
      ),
    );
  });

  it('ranks a more recent memory never lower (property)', () => {
    fc.assert(
      fc.property(
        candidateArb,
        createdAtArb,
        createdAtArb,
        memoryIdArb,
        crowdArb,
        orderArb,
        scoringArb,
        (base, first, second, otherId, crowd, order, scoring) => {
          fc.pre(first !== second);
          expectNeverBelow(
            { ...base, createdAt: Math.max(first, second) },
            { ...base, memoryId: otherId, createdAt: Math.min(first, second) },
            crowd,
            order,
            scoring,
          );
        },
      ),
    );
  });

  it('ranks a more important memory never lower (property)', () => {
    fc.assert(
      fc.property(
        candidateArb,
        importanceArb,
        importanceArb,
        memoryIdArb,
        crowdArb,
        orderArb,
        scoringArb,
        (base, first, second, otherId, crowd, order, scoring) => {
          fc.pre(first !== second);
          expectNeverBelow(
            { ...base, importance: Math.max(first, second) },
            { ...base, memoryId: otherId, importance: Math.min(first, second) },
            crowd,
            order,
            scoring,
          );
        },
      ),
    );
  });

  it('returns exactly the top `limit` of a full sort of all candidates (property)', () => {
    fc.assert(
      fc.property(
        fc.array(candidateArb, { maxLength: 60 }),
        fc.integer({ min: 1, max: 70 }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        scoringArb,
        (candidates, limit, minScore, scoring) => {
          const input = tagged(candidates);
          const ranked = rankMemories(input, NOW, { ...scoring, limit, minScore });
          const expected = fullSort(input, { ...scoring, minScore }).slice(0, limit);
          expect(ranked.map(({ candidate }) => candidate.tag)).toEqual(
            expected.map(({ candidate }) => candidate.tag),
          );
          expect(ranked.map(({ score }) => score)).toEqual(expected.map(({ score }) => score));
          for (const entry of ranked) {
            expect(entry).toEqual({
              candidate: entry.candidate,
              ...scoreMemory(entry.candidate, NOW, scoring),
            });
            expect(entry.score).toBeGreaterThanOrEqual(minScore ?? 0);
          }
        },
      ),
    );
  });

  it('keeps the top 20 of 10 000 candidates from a lazy iterable, as a full sort would', () => {
    let seed = 12_345;
    const next = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    const input = tagged(
      Array.from({ length: 10_000 }, (_, i) => ({
        memoryId: `m-${i % 997}`,
        createdAt: NOW - Math.floor(next() * 60) * DAY,
        importance: Math.round(next() * 10) / 10,
        similarity: i % 10 === 0 ? null : Math.round((next() * 2 - 1) * 100) / 100,
      })),
    );
    function* lazily(): Generator<TaggedCandidate> {
      yield* input;
    }
    const scoring = { weights: { ...DEFAULT_RANKING_WEIGHTS }, halfLifeMs: DEFAULT_RECENCY_HALF_LIFE_MS };
    const ranked = rankMemories(lazily(), NOW, { ...scoring, limit: 20 });
    expect(ranked).toHaveLength(20);
    expect(ranked.map(({ candidate }) => candidate.tag)).toEqual(
      fullSort(input, scoring)
        .slice(0, 20)
        .map(({ candidate }) => candidate.tag),
    );
  });

  it('ranks a null similarity like a similarity ≤ 0, and below it when everything else ties', () => {
    fc.assert(
      fc.property(
        candidateArb,
        fc.double({ min: -1, max: 0, noNaN: true }),
        candidateArb,
        scoringArb,
        (base, nonPositive, other, scoring) => {
          const withNull = { ...base, similarity: null };
          const withNonPositive = { ...base, similarity: nonPositive };
          expect(scoreMemory(withNull, NOW, scoring)).toEqual(scoreMemory(withNonPositive, NOW, scoring));
          const [first] = rankMemories([withNull, withNonPositive], NOW, { ...scoring, limit: 2 });
          expect(first!.candidate).toBe(withNonPositive);
          // Against any memory that does not tie on score, both stand in the same place.
          const otherScore = scoreMemory(other, NOW, scoring).score;
          fc.pre(otherScore !== scoreMemory(withNull, NOW, scoring).score);
          const placeOf = (candidate: RankingCandidate) =>
            rankMemories([candidate, other], NOW, { ...scoring, limit: 2 })[0]!.candidate === other;
          expect(placeOf(withNull)).toBe(placeOf(withNonPositive));
        },
      ),
    );
  });

  it('breaks score ties by similarity, then createdAt, then importance, then memoryId, then input order', () => {
    // Only importance is weighted, so every candidate with importance 0.5 scores exactly 0.5.
    const weights = { relevance: 0, recency: 0, importance: 1 };
    const base = { memoryId: 'm', createdAt: NOW - DAY, importance: 0.5, similarity: 0.2 };
    const bySimilarity = { ...base, memoryId: 'z', similarity: 0.3 };
    const byCreatedAt = { ...base, memoryId: 'z', createdAt: NOW };
    const byMemoryId = { ...base, memoryId: 'a' };
    const first = { ...base };
    const second = { ...base };
    const nullSimilarity = { ...base, memoryId: 'a', createdAt: NOW, similarity: null };
    const ranked = rankMemories(
      [nullSimilarity, second, byMemoryId, first, byCreatedAt, bySimilarity].reverse(),
      NOW,
      { weights, limit: 10 },
    );
    expect(ranked.map(({ candidate }) => candidate)).toEqual([
      bySimilarity,
      byCreatedAt,
      byMemoryId,
      first,
      second,
      nullSimilarity,
    ]);
    const inInputOrder = rankMemories([first, second], NOW, { weights, limit: 2 }).map(
      ({ candidate }) => candidate,
    );
    expect(inInputOrder[0]).toBe(first);
    expect(inInputOrder[1]).toBe(second);
    // Importance decides once the score does not: importance carries no weight here.
    const onlyRelevance = { relevance: 1, recency: 0, importance: 0 };
    const important = { ...base, memoryId: 'z', importance: 0.9 };
    expect(rankMemories([base, important], NOW, { weights: onlyRelevance, limit: 1 })[0]!.candidate).toBe(
      important,
    );
  });

  it('leaves out memories below minScore and returns fewer than limit when there are fewer', () => {
    const candidates = [
      { memoryId: 'relevant', createdAt: NOW, importance: 0.5, similarity: 0.9 },
      { memoryId: 'stale', createdAt: NOW - 365 * DAY, importance: 0, similarity: 0 },
    ];
    expect(rankMemories(candidates, NOW, { limit: 5 }).map(({ candidate }) => candidate.memoryId)).toEqual([
      'relevant',
      'stale',
    ]);
    expect(
      rankMemories(candidates, NOW, { limit: 5, minScore: 0.1 }).map(({ candidate }) => candidate.memoryId),
    ).toEqual(['relevant']);
    expect(rankMemories([], NOW, { limit: 5 })).toEqual([]);
  });

  it('validates limit, minScore and every candidate', () => {
    const candidate = { memoryId: 'm', createdAt: NOW, importance: 0.5, similarity: 0.5 };
    for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => rankMemories([candidate], NOW, { limit })).toThrow(/limit/);
    }
    for (const minScore of [-0.1, 1.1, Number.NaN]) {
      expect(() => rankMemories([candidate], NOW, { limit: 1, minScore })).toThrow(/minScore/);
    }
    expect(() =>
      rankMemories([candidate, { ...candidate, memoryId: 'bad', importance: 2 }], NOW, { limit: 1 }),
    ).toThrow(/memory bad: importance/);
    expect(() => rankMemories([{ ...candidate, similarity: 1.5 }], NOW, { limit: 1 })).toThrow(/similarity/);
    expect(() => rankMemories([candidate], NOW, { limit: 1, halfLifeMs: 0 })).toThrow(/half-life/);
  });
});
