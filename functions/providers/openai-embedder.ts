// Any OpenAI-compatible embeddings endpoint (OpenAI, Azure OpenAI's v1 surface, vLLM, Ollama, LiteLLM, …):
// POST {baseUrl}/embeddings with up to MAX_EMBED_BATCH texts per request, the requests one after another
// (a rate-limited endpoint is not helped by a burst), no retries (the caller owns the retry policy and
// reads EmbedderError.retryable). Without configured dimensions the model's own size is used and learnt
// from the first answer; every later answer must have the same size. Blank texts are never sent (the
// endpoints refuse empty input): they are the zero vector. The HTTP call and its failures are
// openai-compatible-http.ts, shared with the OpenAI-compatible provider.
import { z } from 'zod';
import {
  clipEmbedText,
  type Embedder,
  type EmbedderConfig,
  type EmbedderError,
  isBlankEmbedText,
  l2Normalize,
  MAX_EMBED_BATCH,
  throwIfEmbedAborted,
} from '../core/memory/embedder.ts';
import { OpenAiCompatibleClient } from './openai-compatible-http.ts';
import { embedderErrors } from './service-failure.ts';

export type OpenAiEmbedderConfig = Extract<EmbedderConfig, { kind: 'openai' }>;

const DIMENSION_PROBE = 'dimensions';

const EmbeddingsResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

export class OpenAiEmbedder implements Embedder {
  readonly kind = 'openai';
  readonly embedderId: string;
  readonly #config: OpenAiEmbedderConfig;
  readonly #http: OpenAiCompatibleClient<EmbedderError>;
  #dimensions: number | undefined;

  constructor(config: OpenAiEmbedderConfig, fetchImplementation: typeof fetch = fetch) {
    this.#config = config;
    this.#http = new OpenAiCompatibleClient(config, fetchImplementation, embedderErrors(this.kind), {
      codeFromType: true,
    });
    this.#dimensions = config.dimensions;
    this.embedderId = `openai/${config.model}/${config.dimensions ?? 'default'}`;
  }

  /** The configured size, else the size of the first answer; undefined until then. */
  get dimensions(): number | undefined {
    return this.#dimensions;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    throwIfEmbedAborted(signal, this.kind);
    const pending = texts.flatMap((text, index) => (isBlankEmbedText(text) ? [] : [index]));
    const vectors: Float32Array[] = new Array(texts.length);
    for (let start = 0; start < pending.length; start += MAX_EMBED_BATCH) {
      const batch = pending.slice(start, start + MAX_EMBED_BATCH);
      const embedded = await this.#embedBatch(
        batch.map((index) => clipEmbedText(texts[index]!)),
        signal,
      );
      batch.forEach((index, position) => {
        vectors[index] = embedded[position]!;
      });
    }
    if (pending.length === texts.length) return vectors;
    // Blank texts are the zero vector, of the model's size: when no answer has told it yet, a one-word
    // probe asks (once per embedder) rather than hand out vectors of a wrong length.
    if (this.#dimensions === undefined) await this.#embedBatch([DIMENSION_PROBE], signal);
    const zero = new Float32Array(this.#dimensions!);
    for (let index = 0; index < texts.length; index++) vectors[index] ??= zero.slice();
    return vectors;
  }

  async #embedBatch(input: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const { model, dimensions } = this.#config;
    const { status, json } = await this.#http.post(
      'embeddings',
      { model, input, encoding_format: 'float', ...(dimensions === undefined ? {} : { dimensions }) },
      signal,
    );
    const parsed = EmbeddingsResponseSchema.safeParse(json);
    if (!parsed.success) throw this.#http.invalidResponse(status, 'a body that is not an embeddings list');
    const { data } = parsed.data;
    if (data.length !== input.length) {
      throw this.#http.invalidResponse(status, `${data.length} embeddings for ${input.length} texts`);
    }
    // The order of `data` is not promised: `index` says which input each embedding belongs to.
    const ordered: (number[] | undefined)[] = new Array(input.length);
    for (const { index, embedding } of data) {
      if (index >= input.length || ordered[index] !== undefined) {
        throw this.#http.invalidResponse(status, `an out-of-range or repeated index ${index}`);
      }
      ordered[index] = embedding;
    }
    const expected = this.#dimensions ?? ordered[0]!.length;
    for (const embedding of ordered) {
      if (embedding!.length !== expected || expected === 0) {
        throw this.#http.invalidResponse(
          status,
          `an embedding of ${embedding!.length} dimensions where ${expected} were expected`,
        );
      }
    }
    this.#dimensions = expected;
    return ordered.map((embedding) => l2Normalize(Float32Array.from(embedding!)));
  }
}
