// The default embedder: deterministic, offline, no model weights, so long-term memory works without
// credentials, and the same text gets the same vector on every machine and every release of this version.
//
// METHOD — signed feature hashing (a fixed sparse random projection of a bag of features):
// 1. The text (its first MAX_EMBED_TEXT_CHARS characters) is NFKC-normalized and lowercased, then split
//    into words: maximal runs of Unicode letters, combining marks and digits (/[\p{L}\p{M}\p{N}]+/u).
// 2. Features: every word (unigram); every pair of consecutive content words (bigram; the short English
//    function words of STOPWORDS are skipped when pairing, so "costs of storage" pairs "costs storage");
//    the character trigrams of every content word padded with boundary marks ("^en", "ene", …, "gy$").
//    Function words count as unigrams only, at a low weight.
// 3. Every feature is hashed (FNV-1a over UTF-16 code units, seeded per feature kind, with murmur3's
//    finalizer to spread the bits): the low 8 bits pick one of 256 dimensions, the top bit a sign. The
//    signs make colliding features cancel out on average instead of piling up.
// 4. A feature seen tf times in the text adds sign × weight × (1 + ln tf): repetition counts, sublinearly.
//    Weights: word 1, bigram 0.6, trigram 0.4, function word 0.15.
// 5. The sum is L2-normalized; a text without any word is the zero vector.
//
// QUALITY — honest expectations: this measures LEXICAL overlap. Texts sharing words score high, texts
// sharing word stems or spelling variants somewhat high (the trigrams: "storage" and "storing" share
// "^st", "sto", "tor"), word order matters only through the bigrams. It knows nothing of meaning:
// synonyms ("car" / "automobile"), paraphrases without shared words, translations and negation are
// invisible to it, and 256 hashed dimensions add some collision noise: unrelated sentences score about
// ±0.06 on average and up to about 0.2, not exactly 0, while paraphrases sharing most of their words
// score roughly 0.6 to 0.9. No IDF: frequent content words weigh as much as rare ones. It is
// good for recalling facts that talk about the same things in similar words; for semantic recall,
// configure the bedrock or openai embedder. Changing anything above changes the vectors: bump the
// version in the embedderId so stored vectors are never compared with vectors of another method.
import { clipEmbedText, type Embedder, l2Normalize, throwIfEmbedAborted } from './embedder.ts';

const DIMENSIONS = 256;
const DIMENSION_MASK = DIMENSIONS - 1;

const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.6;
const TRIGRAM_WEIGHT = 0.4;
const STOPWORD_WEIGHT = 0.15;

// Seeds that keep the feature kinds apart: the word "abc" and the trigram "abc" are different features.
const WORD_SEED = 0x811c9dc5;
const BIGRAM_SEED = 0x9e3779b9;
const TRIGRAM_SEED = 0x2545f491;

// Code units standing for the word boundaries in trigrams and the gap between the two words of a bigram:
// control characters, which never occur inside a word.
const WORD_START = 0x02;
const WORD_END = 0x03;
const WORD_GAP = 0x1f;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

// Short English function words: they occur in almost every sentence, so matching them says little.
const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in ' +
    'into is it its me my no nor not of on or our she so than that the their them then there these they ' +
    'this those to us was we were what when where which who why will with would you your'
  ).split(' '),
);

function fnv1a(hash: number, text: string): number {
  let h = hash;
  for (let index = 0; index < text.length; index++) {
    h ^= text.charCodeAt(index);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

function fnv1aUnit(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, 0x01000193);
}

// murmur3's 32-bit finalizer: FNV-1a's low bits alone are poorly mixed for short inputs.
function finalize(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function count(counts: Map<number, number>, feature: number): void {
  counts.set(feature, (counts.get(feature) ?? 0) + 1);
}

function addTrigrams(counts: Map<number, number>, word: string): void {
  // The padded word "^w…$" has word.length trigrams: slide a window of three code units along it.
  let first = WORD_START;
  let second = word.charCodeAt(0);
  for (let index = 1; index <= word.length; index++) {
    const third = index < word.length ? word.charCodeAt(index) : WORD_END;
    count(counts, finalize(fnv1aUnit(fnv1aUnit(fnv1aUnit(TRIGRAM_SEED, first), second), third)));
    first = second;
    second = third;
  }
}

function accumulate(vector: Float64Array, counts: Map<number, number>, weight: number): void {
  for (const [feature, tf] of counts) {
    const sign = feature >>> 31 === 1 ? -1 : 1;
    vector[feature & DIMENSION_MASK]! += sign * weight * (1 + Math.log(tf));
  }
}

/** The local embedding of one text (see the header for the method). */
export function embedLocally(text: string): Float32Array {
  const words = clipEmbedText(text).normalize('NFKC').toLowerCase().match(WORD) ?? [];
  const wordCounts = new Map<number, number>();
  const stopwordCounts = new Map<number, number>();
  const bigramCounts = new Map<number, number>();
  const trigramCounts = new Map<number, number>();
  let previousContentWord: string | undefined;
  for (const word of words) {
    if (STOPWORDS.has(word)) {
      count(stopwordCounts, finalize(fnv1a(WORD_SEED, word)));
      continue;
    }
    count(wordCounts, finalize(fnv1a(WORD_SEED, word)));
    if (previousContentWord !== undefined) {
      const pair = fnv1aUnit(fnv1a(BIGRAM_SEED, previousContentWord), WORD_GAP);
      count(bigramCounts, finalize(fnv1a(pair, word)));
    }
    addTrigrams(trigramCounts, word);
    previousContentWord = word;
  }
  const vector = new Float64Array(DIMENSIONS);
  accumulate(vector, wordCounts, WORD_WEIGHT);
  accumulate(vector, stopwordCounts, STOPWORD_WEIGHT);
  accumulate(vector, bigramCounts, BIGRAM_WEIGHT);
  accumulate(vector, trigramCounts, TRIGRAM_WEIGHT);
  return l2Normalize(Float32Array.from(vector));
}

export class LocalEmbedder implements Embedder {
  readonly kind = 'local';
  readonly embedderId = 'local-hash-v1/256';
  readonly dimensions = DIMENSIONS;

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    throwIfEmbedAborted(signal, this.kind);
    return texts.map((text) => embedLocally(text));
  }
}
