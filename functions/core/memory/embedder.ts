// The embedder contract of long-term memory (SPEC §7): a fact is stored with an embedding, and retrieval
// ranks facts by the cosine of their embedding with the query's. Three implementations: `local` (default;
// offline feature hashing, lexical only), Amazon Bedrock (Titan Text Embeddings V2) and any
// OpenAI-compatible embeddings endpoint. Pure: no SDK here, the remote adapters live in functions/providers.
//
// Conventions every implementation keeps:
// - Vectors are L2-normalized, so the cosine of two vectors is their dot product.
// - A vector is only ever compared with vectors of the same `embedderId` (model and dimension count):
//   two models, or one model at two dimension counts, span unrelated spaces.
// - Texts longer than MAX_EMBED_TEXT_CHARS are cut at that length before embedding (clipEmbedText):
//   a fact worth recalling is short, and the cut keeps every request inside every backend's limit.
// - An empty (or whitespace-only) text embeds to the zero vector of the embedder's size, without
//   sending it to any remote service (Titan and OpenAI reject empty input); its cosine with anything is 0.
import { z } from 'zod';

export type EmbedderConfig =
  | { kind: 'local' }
  | { kind: 'bedrock'; modelId: string; dimensions: 256 | 512 | 1024; region?: string }
  | { kind: 'openai'; baseUrl: string; model: string; dimensions?: number; apiKeyEnv?: string };

export type EmbedderKind = EmbedderConfig['kind'];

export const DEFAULT_BEDROCK_EMBEDDING_MODEL = 'amazon.titan-embed-text-v2:0';
export const DEFAULT_BEDROCK_EMBEDDING_DIMENSIONS = 512;

/** Texts per request to a batching endpoint (OpenAI-compatible); embed() itself takes any number. */
export const MAX_EMBED_BATCH = 64;

/**
 * Characters of a text that get embedded; the rest is cut off. Titan V2 takes up to 8 192 tokens or
 * 50 000 characters and OpenAI's models 8 191 tokens: 8 192 characters of ordinary prose stay well below
 * either token limit (scripts that tokenize at more than one token per character may not).
 */
export const MAX_EMBED_TEXT_CHARS = 8_192;

// An environment variable name: an API key itself is never part of a config, only where to find it.
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const EmbedderConfigSchema: z.ZodType<EmbedderConfig> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local') }),
  z.strictObject({
    kind: z.literal('bedrock'),
    modelId: z.string().min(1).max(256).default(DEFAULT_BEDROCK_EMBEDDING_MODEL),
    // Titan V2's output sizes; the model refuses any other.
    dimensions: z
      .literal([256, 512, 1024], { error: 'one of 256, 512, 1024' })
      .default(DEFAULT_BEDROCK_EMBEDDING_DIMENSIONS),
    region: z.string().regex(AWS_REGION, 'an AWS region such as us-east-1').optional(),
  }),
  z.strictObject({
    kind: z.literal('openai'),
    baseUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2048),
    model: z.string().min(1).max(256),
    // Only models that can shorten their output honour it (text-embedding-3-*); others refuse it.
    dimensions: z.number().int().min(1).max(8_192).optional(),
    apiKeyEnv: z.string().regex(ENV_VAR_NAME, 'an environment variable name').max(128).optional(),
  }),
]);

export interface Embedder {
  readonly kind: EmbedderKind;
  /**
   * Stable id stored next to every vector, including the dimension count, e.g. 'local-hash-v1/256',
   * 'bedrock/amazon.titan-embed-text-v2:0/512', 'openai/<model>/<dims or "default">'. Vectors are only
   * ever compared with vectors of the same embedderId.
   */
  readonly embedderId: string;
  /** undefined only for openai without configured dimensions (known after the first call). */
  readonly dimensions: number | undefined;
  /** One L2-normalized vector per text, same order. Throws EmbedderError. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

export interface EmbedderErrorOptions {
  embedderKind: EmbedderKind;
  retryable: boolean;
  statusCode?: number;
  /** The service's own error code when it gave one (`ThrottlingException`, `rate_limit_exceeded`), else ours (`timeout`, `network_error`, `invalid_response`). */
  code?: string;
  cause?: unknown;
}

/**
 * A failed embedding. `retryable` says whether the same request may succeed later (throttling, 5xx,
 * timeouts, dropped connections) or will fail again until something changes (4xx, a malformed answer).
 * The adapters never retry themselves: the caller owns the retry policy.
 */
export class EmbedderError extends Error {
  override readonly name = 'EmbedderError';
  readonly embedderKind: EmbedderKind;
  readonly retryable: boolean;
  readonly statusCode?: number;
  readonly code?: string;

  constructor(message: string, options: EmbedderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.embedderKind = options.embedderKind;
    this.retryable = options.retryable;
    this.statusCode = options.statusCode;
    this.code = options.code;
  }
}

/**
 * An embedding cut short by the caller's AbortSignal. `AbortSignal.timeout(ms)` aborts with a
 * TimeoutError: the service was slow and a later attempt may be fast enough (retryable). Any other reason
 * means the caller gave up on purpose: retrying is not ours to decide.
 */
export function embedderErrorFromAbort(signal: AbortSignal, embedderKind: EmbedderKind): EmbedderError {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return new EmbedderError(timedOut ? 'the embedding timed out' : 'the embedding was aborted', {
    embedderKind,
    retryable: timedOut,
    code: timedOut ? 'timeout' : 'aborted',
    cause: reason,
  });
}

/** Throws the abort as an EmbedderError when the signal has already fired. */
export function throwIfEmbedAborted(signal: AbortSignal | undefined, embedderKind: EmbedderKind): void {
  if (signal?.aborted) throw embedderErrorFromAbort(signal, embedderKind);
}

/** The part of `text` that gets embedded: its first MAX_EMBED_TEXT_CHARS characters, never half a surrogate pair. */
export function clipEmbedText(text: string): string {
  if (text.length <= MAX_EMBED_TEXT_CHARS) return text;
  const last = text.charCodeAt(MAX_EMBED_TEXT_CHARS - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, splitsPair ? MAX_EMBED_TEXT_CHARS - 1 : MAX_EMBED_TEXT_CHARS);
}

/** Whether a text has nothing to embed (its vector is the zero vector). */
export function isBlankEmbedText(text: string): boolean {
  return text.trim() === '';
}

/** A unit-length copy of `v` (computed in double precision); the zero vector stays zero. */
export function l2Normalize(v: Float32Array): Float32Array {
  let sumOfSquares = 0;
  for (const x of v) sumOfSquares += x * x;
  const out = new Float32Array(v.length);
  if (sumOfSquares === 0 || !Number.isFinite(sumOfSquares)) return out;
  const inverse = 1 / Math.sqrt(sumOfSquares);
  for (let index = 0; index < v.length; index++) out[index] = v[index]! * inverse;
  return out;
}

/**
 * The cosine similarity of two vectors of one embedder, in [-1, 1]. A zero vector (an empty text) has no
 * direction: its cosine with anything is 0, never NaN. Vectors of different lengths come from different
 * embedders and cannot be compared (RangeError).
 */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new RangeError(`cannot compare vectors of ${a.length} and ${b.length} dimensions`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    const x = a[index]!;
    const y = b[index]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(normA * normB)));
}
