// Amazon Bedrock embeddings through InvokeModel, in the wire format of Amazon Titan Text Embeddings V2
// (amazon.titan-embed-text-v2:0, or an inference profile / provisioned model serving it): request
// {"inputText", "dimensions", "normalize": true}, answer {"embedding": number[], "inputTextTokenCount"}.
// Titan V2 takes one text per call, so a batch is embedded EMBED_CONCURRENCY calls at a time; the first
// failure cancels the calls still running and is the one thrown. As in the Bedrock provider, the SDK's
// own retries are off (maxAttempts 1): the caller owns the retry policy, reading EmbedderError.retryable;
// which SDK errors are retryable is bedrock-failure.ts, shared with the provider.
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import {
  clipEmbedText,
  type Embedder,
  type EmbedderConfig,
  EmbedderError,
  isBlankEmbedText,
  l2Normalize,
  throwIfEmbedAborted,
} from '../core/memory/embedder.ts';
import { errorFromBedrock } from './bedrock-failure.ts';
import { parseJson } from './parse-json.ts';
import { embedderErrors } from './service-failure.ts';

export type BedrockEmbedderConfig = Extract<EmbedderConfig, { kind: 'bedrock' }>;

/** Titan V2 calls in flight at once for one embed() call. */
export const EMBED_CONCURRENCY = 4;

const ERRORS = embedderErrors('bedrock');

const TitanEmbeddingSchema = z.object({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.number().optional(),
});

export interface BedrockEmbedderOptions {
  /** Overrides the Bedrock runtime endpoint (a loopback server in tests); AWS_ENDPOINT_URL_BEDROCK_RUNTIME works too. */
  endpoint?: string;
}

export class BedrockEmbedder implements Embedder {
  readonly kind = 'bedrock';
  readonly embedderId: string;
  readonly dimensions: 256 | 512 | 1024;
  readonly #modelId: string;
  readonly #client: BedrockRuntimeClient;

  constructor(config: BedrockEmbedderConfig, options: BedrockEmbedderOptions = {}) {
    this.#modelId = config.modelId;
    this.dimensions = config.dimensions;
    this.embedderId = `bedrock/${config.modelId}/${config.dimensions}`;
    this.#client = new BedrockRuntimeClient({
      maxAttempts: 1,
      ...(config.region === undefined ? {} : { region: config.region }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    });
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    throwIfEmbedAborted(signal, this.kind);
    const vectors: Float32Array[] = new Array(texts.length);
    const pending: number[] = [];
    texts.forEach((text, index) => {
      if (isBlankEmbedText(text)) vectors[index] = new Float32Array(this.dimensions);
      else pending.push(index);
    });

    // Cancels the calls still in flight once one has failed: their answers could no longer be used.
    const stop = new AbortController();
    const callSignal = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
    let failure: unknown;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < pending.length) {
        const index = pending[next++]!;
        try {
          vectors[index] = await this.#embedOne(clipEmbedText(texts[index]!), signal, callSignal);
        } catch (error) {
          if (failure === undefined) {
            failure = error;
            stop.abort();
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(EMBED_CONCURRENCY, pending.length) }, worker));
    if (failure !== undefined) throw failure;
    return vectors;
  }

  async #embedOne(
    text: string,
    callerSignal: AbortSignal | undefined,
    callSignal: AbortSignal,
  ): Promise<Float32Array> {
    let body: string;
    let statusCode: number | undefined;
    try {
      const output = await this.#client.send(
        new InvokeModelCommand({
          modelId: this.#modelId,
          contentType: 'application/json',
          accept: 'application/json',
          body: JSON.stringify({ inputText: text, dimensions: this.dimensions, normalize: true }),
        }),
        { abortSignal: callSignal },
      );
      statusCode = output.$metadata.httpStatusCode;
      body = output.body.transformToString();
    } catch (error) {
      throw errorFromBedrock(error, callerSignal, ERRORS);
    }
    return this.#vectorOf(body, statusCode);
  }

  #vectorOf(body: string, statusCode: number | undefined): Float32Array {
    const parsed = TitanEmbeddingSchema.safeParse(parseJson(body));
    const embedding = parsed.success ? parsed.data.embedding : undefined;
    if (embedding?.length !== this.dimensions) {
      throw new EmbedderError(
        embedding === undefined
          ? `Bedrock answered with a body that is not a Titan embedding`
          : `Bedrock answered with ${embedding.length} dimensions instead of ${this.dimensions}`,
        {
          embedderKind: this.kind,
          retryable: false,
          ...(statusCode === undefined ? {} : { statusCode }),
          code: 'invalid_response',
        },
      );
    }
    return l2Normalize(Float32Array.from(embedding));
  }
}
