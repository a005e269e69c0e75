import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cosineSimilarity,
  EmbedderError,
  l2Normalize,
  MAX_EMBED_TEXT_CHARS,
} from '../../../functions/core/memory/embedder.ts';
import { embedLocally, LocalEmbedder } from '../../../functions/core/memory/local-embedder.ts';

function norm(vector: Float32Array): number {
  let sum = 0;
  for (const x of vector) sum += x * x;
  return Math.sqrt(sum);
}

// Paraphrase pairs: each text shares words or word stems with its partner and (almost) none with the rest.
const PARAPHRASES: readonly (readonly [string, string])[] = [
  ['renewable energy storage costs', 'costs of storing renewable energy'],
  [
    'the customer requested a refund for the damaged order',
    'refund requested by customer after order arrived damaged',
  ],
  ['quarterly revenue grew in the European market', 'European market revenue growth this quarter'],
  [
    'deploy the service to the staging cluster on Friday',
    'Friday deployment of the service to staging cluster',
  ],
  ['Alice prefers meetings in the morning', 'morning meetings are what Alice prefers'],
  [
    'the database migration failed because of a missing index',
    'missing index caused the failed database migration',
  ],
  ['invoice payments are due within thirty days', 'payment of invoices is due in thirty days'],
  [
    'machine learning models need labelled training data',
    'training data labelled for machine learning models',
  ],
];

describe('local embedder', () => {
  it('describes itself', () => {
    const embedder = new LocalEmbedder();
    expect(embedder).toMatchObject({ kind: 'local', embedderId: 'local-hash-v1/256', dimensions: 256 });
  });

  it('gives the same vectors on every instance and every call, in input order', async () => {
    const texts = ['Quarterly revenue grew', 'Alice prefers mornings', 'Quarterly revenue grew'];
    const first = await new LocalEmbedder().embed(texts);
    const second = await new LocalEmbedder().embed([...texts].reverse());
    expect(first).toHaveLength(3);
    expect(first[0]).toEqual(first[2]);
    expect(first[0]).not.toEqual(first[1]);
    expect(second.reverse()).toEqual(first);
  });

  it('pins the method: a change to it must bump the version in the embedderId', () => {
    // Stored vectors are compared with new ones; this catches a silent change of hashing or weights.
    const vector = embedLocally('Renewable energy storage costs');
    expect(vector.filter((x) => x !== 0)).toHaveLength(29);
    const strongest = [...vector.keys()]
      .filter((index) => Math.abs(vector[index]!) >= 0.2)
      .map((index) => [index, Math.round(vector[index]! * 1e3) / 1e3]);
    expect(strongest).toEqual([
      [53, 0.431],
      [56, 0.308],
      [136, 0.308],
      [149, -0.331],
      [162, 0.308],
    ]);
  });

  it('returns 256-dimensional unit vectors', async () => {
    const [vector] = await new LocalEmbedder().embed(['The database migration failed']);
    expect(vector).toBeInstanceOf(Float32Array);
    expect(vector).toHaveLength(256);
    expect(norm(vector!)).toBeCloseTo(1, 5);
  });

  it('embeds a text without words as the zero vector, whose cosine with anything is 0', async () => {
    const [empty, blank, punctuation, text] = await new LocalEmbedder().embed([
      '',
      '  \n\t ',
      '?!… -- ***',
      'renewable energy',
    ]);
    for (const vector of [empty, blank, punctuation]) {
      expect(vector).toHaveLength(256);
      expect(vector!.every((x) => x === 0)).toBe(true);
      expect(cosineSimilarity(vector!, text!)).toBe(0);
      expect(cosineSimilarity(vector!, vector!)).toBe(0);
    }
    expect(cosineSimilarity(text!, text!)).toBeCloseTo(1, 5);
  });

  it('ignores case, Unicode compatibility forms and punctuation', () => {
    const plain = embedLocally('cafe deja vu: 42 files');
    expect(embedLocally('CAFE, Deja-Vu! 42 Files.')).toEqual(plain);
    // NFKC: full-width letters and digits are the ordinary ones.
    expect(embedLocally('ｃａｆｅ deja vu ４２ files')).toEqual(plain);
    // Composed and decomposed accents are one word.
    expect(embedLocally('caf\u00e9')).toEqual(embedLocally('cafe\u0301'));
  });

  it('embeds only the first MAX_EMBED_TEXT_CHARS characters', () => {
    const head = 'memory '.repeat(Math.ceil(MAX_EMBED_TEXT_CHARS / 7)).slice(0, MAX_EMBED_TEXT_CHARS);
    expect(embedLocally(`${head}completely different tail words`)).toEqual(embedLocally(head));
  });

  it('ranks every paraphrase above every text of the other pairs', () => {
    const texts = PARAPHRASES.flat();
    const vectors = texts.map(embedLocally);
    for (let index = 0; index < texts.length; index++) {
      const partner = index ^ 1;
      const partnerCosine = cosineSimilarity(vectors[index]!, vectors[partner]!);
      expect(partnerCosine, texts[index]).toBeGreaterThan(0.45);
      for (let other = 0; other < texts.length; other++) {
        if (other === index || other === partner) continue;
        const otherCosine = cosineSimilarity(vectors[index]!, vectors[other]!);
        // A clear margin, not a tie broken by hashing noise.
        expect(partnerCosine - otherCosine, `${texts[index]} / ${texts[other]}`).toBeGreaterThan(0.2);
      }
    }
  });

  it('sees shared stems through the character trigrams', () => {
    // Different words, so only the trigrams ("^st", "sto", "tor", …) can relate them.
    const stems = [
      ['storage', 'storing'],
      ['payments', 'payment'],
      ['migration', 'migrating'],
      ['invoices', 'invoice'],
      ['labelled', 'labels'],
    ] as const;
    for (const [word, variant] of stems) {
      const vector = embedLocally(word);
      const variantCosine = cosineSimilarity(vector, embedLocally(variant));
      expect(variantCosine, word).toBeGreaterThan(0.15);
      for (const [, other] of stems) {
        if (other === variant) continue;
        expect(cosineSimilarity(vector, embedLocally(other)), `${word} / ${other}`).toBeLessThan(
          variantCosine,
        );
      }
    }
  });

  it('is always finite and of unit or zero length, for any string', () => {
    const anyUnit = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      // Lone surrogates and control characters too.
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }),
      fc
        .array(fc.constantFrom('the', 'energy', 'énergie', 'Энергия', '能源', '42', ' ', '-'), {
          maxLength: 40,
        })
        .map((words) => words.join(' ')),
    );
    fc.assert(
      fc.property(anyUnit, (text) => {
        const vector = embedLocally(text);
        const length = norm(vector);
        const hasWord = /[\p{L}\p{M}\p{N}]/u.test(text.normalize('NFKC'));
        // Plain checks rather than expect(): cheap enough for many runs; fast-check reports the input.
        return (
          vector.length === 256 &&
          vector.every(Number.isFinite) &&
          (hasWord ? Math.abs(length - 1) < 1e-5 : length === 0)
        );
      }),
      { numRuns: 500 },
    );
  });

  it('rejects an aborted call with an EmbedderError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new LocalEmbedder().embed(['text'], controller.signal)).rejects.toMatchObject({
      name: 'EmbedderError',
      embedderKind: 'local',
      retryable: false,
      code: 'aborted',
    });
    await expect(new LocalEmbedder().embed(['text'], AbortSignal.abort())).rejects.toBeInstanceOf(
      EmbedderError,
    );
  });
});

describe('vector helpers', () => {
  it('normalizes to unit length without touching the input, and keeps the zero vector zero', () => {
    const input = Float32Array.of(3, 0, -4);
    expect(Array.from(l2Normalize(input))).toEqual([Math.fround(0.6), 0, Math.fround(-0.8)]);
    expect(Array.from(input)).toEqual([3, 0, -4]);
    expect(Array.from(l2Normalize(new Float32Array(3)))).toEqual([0, 0, 0]);
  });

  it('computes the cosine of unnormalized vectors, bounded to [-1, 1]', () => {
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(0, 2))).toBe(0);
    expect(cosineSimilarity(Float32Array.of(1, 1), Float32Array.of(2, 2))).toBeCloseTo(1, 6);
    expect(cosineSimilarity(Float32Array.of(1, 2), Float32Array.of(-1, -2))).toBeCloseTo(-1, 6);
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(1, 1))).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('refuses to compare vectors of different lengths (different embedders)', () => {
    expect(() => cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(1, 0, 0))).toThrow(RangeError);
    expect(() => cosineSimilarity(new Float32Array(2), Float32Array.of(1, 0, 0))).toThrow(RangeError);
  });
});
