import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_EMBED_BATCH, MAX_EMBED_TEXT_CHARS } from '../../../functions/core/memory/embedder.ts';
import { createEmbedder } from '../../../functions/providers/create-embedder.ts';
import {
  embedderFailureOf,
  type LoopbackServer,
  type RecordedRequest,
  type ScriptedResponse,
  startLoopbackServer,
} from './loopback-server.ts';

const MODEL = 'text-embedding-3-small';

interface EmbeddingsRequest {
  model: string;
  input: string[];
  encoding_format: string;
  dimensions?: number;
}

function embeddingsRequestOf(request: RecordedRequest): EmbeddingsRequest {
  return JSON.parse(request.body) as EmbeddingsRequest;
}

// A recognisable, deliberately unnormalized embedding: 3 at dimension 0, 4 at dimension 1 + the number
// the text ends with, so every vector says which text it was made from (and normalizes to 0.6 / 0.8).
function embeddingFor(text: string, dimensions: number): number[] {
  const embedding = new Array<number>(dimensions).fill(0);
  embedding[0] = 3;
  embedding[1 + Number(/(\d+)$/.exec(text)?.[1] ?? 0)] = 4;
  return embedding;
}

// The answer an OpenAI-compatible endpoint gives, with `data` deliberately in reverse order.
function embeddingsAnswer(request: RecordedRequest, dimensions = 128, delayMs = 0): ScriptedResponse {
  const { input, model } = embeddingsRequestOf(request);
  const data = input.map((text, index) => ({
    object: 'embedding',
    index,
    embedding: embeddingFor(text, dimensions),
  }));
  return {
    status: 200,
    body: {
      object: 'list',
      data: data.reverse(),
      model,
      usage: { prompt_tokens: input.length * 3, total_tokens: input.length * 3 },
    },
    delayMs,
  };
}

function markedDimensions(vector: Float32Array): number[] {
  return [...vector.keys()].filter((dimension) => vector[dimension] !== 0);
}

describe('OpenAI-compatible embedder against a loopback embeddings endpoint', () => {
  let server: LoopbackServer;

  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    server.requests.length = 0;
    vi.unstubAllEnvs();
  });

  function embedder(overrides: { apiKeyEnv?: string; dimensions?: number; fetch?: typeof fetch } = {}) {
    const { fetch: fetchImplementation, ...config } = overrides;
    return createEmbedder(
      { kind: 'openai', baseUrl: `${server.url}/v1/`, model: MODEL, ...config },
      fetchImplementation === undefined ? {} : { fetch: fetchImplementation },
    );
  }

  it('posts the documented request and returns normalized vectors in input order', async () => {
    vi.stubEnv('TRUSTGATE_TEST_OPENAI_KEY', 'sk-loopback-test');
    server.respondWith((request) => embeddingsAnswer(request, 128));
    const texts = ['fact 0', 'fact 1', 'fact 2'];

    const vectors = await embedder({ apiKeyEnv: 'TRUSTGATE_TEST_OPENAI_KEY', dimensions: 128 }).embed(texts);

    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/embeddings');
    expect(sent?.headers.authorization).toBe('Bearer sk-loopback-test');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      model: MODEL,
      input: texts,
      encoding_format: 'float',
      dimensions: 128,
    });
    expect(vectors).toHaveLength(3);
    vectors.forEach((vector, index) => {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(128);
      expect(markedDimensions(vector)).toEqual([0, 1 + index]);
      expect(vector[0]).toBeCloseTo(0.6, 6);
      expect(vector[1 + index]).toBeCloseTo(0.8, 6);
    });
  });

  it('sends no dimensions and no authorization header unless configured, and learns the size', async () => {
    server.respondWith((request) => embeddingsAnswer(request, 96));
    const unsized = embedder();
    expect(unsized.dimensions).toBeUndefined();

    const [vector] = await unsized.embed(['only 5']);

    const [sent] = server.requests;
    expect(sent?.headers.authorization).toBeUndefined();
    expect(JSON.parse(sent?.body ?? '')).not.toHaveProperty('dimensions');
    expect(vector).toHaveLength(96);
    expect(unsized.dimensions).toBe(96);
    expect(unsized.embedderId).toBe(`openai/${MODEL}/default`);
  });

  it(`sends at most ${MAX_EMBED_BATCH} texts per request, one request after another`, async () => {
    server.respondWith((request) => embeddingsAnswer(request, 160));
    const texts = Array.from({ length: MAX_EMBED_BATCH + 6 }, (_, index) => `fact ${index}`);

    const vectors = await embedder().embed(texts);

    expect(server.requests.map((request) => embeddingsRequestOf(request).input)).toEqual([
      texts.slice(0, MAX_EMBED_BATCH),
      texts.slice(MAX_EMBED_BATCH),
    ]);
    expect(vectors).toHaveLength(texts.length);
    vectors.forEach((vector, index) => {
      expect(markedDimensions(vector), texts[index]).toEqual([0, 1 + index]);
    });
  });

  it('embeds blank texts as zero vectors without sending them, and cuts long texts', async () => {
    server.respondWith((request) => embeddingsAnswer(request, 64));
    const long = `${'y'.repeat(MAX_EMBED_TEXT_CHARS)} 9`;

    const [first, blank, second, clipped] = await embedder({ dimensions: 64 }).embed([
      'fact 1',
      ' \n ',
      'fact 2',
      long,
    ]);

    expect(embeddingsRequestOf(server.requests[0]!).input).toEqual([
      'fact 1',
      'fact 2',
      'y'.repeat(MAX_EMBED_TEXT_CHARS),
    ]);
    expect(markedDimensions(first!)).toEqual([0, 2]);
    expect(blank).toEqual(new Float32Array(64));
    expect(markedDimensions(second!)).toEqual([0, 3]);
    expect(markedDimensions(clipped!)).toEqual([0, 1]);
  });

  it('calls nothing for blank texts alone once the size is known', async () => {
    const vectors = await embedder({ dimensions: 32 }).embed(['', '  ']);
    expect(vectors).toEqual([new Float32Array(32), new Float32Array(32)]);
    expect(server.requests).toHaveLength(0);
  });

  it('probes the size once when blank texts come before any answer told it', async () => {
    server.respondWith((request) => embeddingsAnswer(request, 48));
    const unsized = embedder();

    expect(await unsized.embed(['', ' '])).toEqual([new Float32Array(48), new Float32Array(48)]);
    expect(server.requests).toHaveLength(1);
    expect(unsized.dimensions).toBe(48);

    expect(await unsized.embed(['\t'])).toEqual([new Float32Array(48)]);
    expect(server.requests).toHaveLength(1);
    expect(await unsized.embed([])).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('goes through the injected fetch', async () => {
    server.respondWith((request) => embeddingsAnswer(request));
    const calls: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    await embedder({ fetch: recordingFetch }).embed(['hello']);
    expect(calls).toEqual([`${server.url}/v1/embeddings`]);
  });

  it('maps 429 to a retryable error carrying the endpoint message and code', async () => {
    server.respondWith({
      status: 429,
      body: {
        error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' },
      },
    });
    const error = await embedderFailureOf(embedder().embed(['text']));
    expect(error).toMatchObject({
      retryable: true,
      statusCode: 429,
      embedderKind: 'openai',
      code: 'rate_limit_exceeded',
    });
    expect(error.message).toContain('Rate limit reached for requests');
  });

  it('maps 503 to a retryable error, taking the code from the error type when there is no code', async () => {
    server.respondWith({
      status: 503,
      body: { error: { message: 'The server is overloaded', type: 'server_error', code: null } },
    });
    const error = await embedderFailureOf(embedder().embed(['text']));
    expect(error).toMatchObject({ retryable: true, statusCode: 503, code: 'server_error' });
  });

  it('maps 400 to a non-retryable error and stops before the next batch', async () => {
    server.respondWith({
      status: 400,
      body: {
        error: {
          message: "This model's maximum context length is 8192 tokens",
          type: 'invalid_request_error',
          code: null,
        },
      },
    });
    const texts = Array.from({ length: MAX_EMBED_BATCH * 2 }, (_, index) => `fact ${index}`);
    const error = await embedderFailureOf(embedder().embed(texts));
    expect(error).toMatchObject({ retryable: false, statusCode: 400, code: 'invalid_request_error' });
    expect(error.message).toContain('maximum context length');
    expect(server.requests).toHaveLength(1);
  });

  it('keeps a 5xx without a JSON body retryable, with a bit of the body as message', async () => {
    server.respondWith({ status: 502, body: 'Bad Gateway' });
    const error = await embedderFailureOf(embedder().embed(['text']));
    expect(error).toMatchObject({ retryable: true, statusCode: 502 });
    expect(error.code).toBeUndefined();
    expect(error.message).toContain('Bad Gateway');
  });

  it.each([
    ['a body that is not an embeddings list', () => ({ object: 'list', results: [] })],
    ['a string body', () => 'ok'],
    ['fewer embeddings than texts', () => ({ data: [{ index: 0, embedding: [1, 0] }] })],
    [
      'a repeated index',
      () => ({
        data: [
          { index: 0, embedding: [1, 0] },
          { index: 0, embedding: [0, 1] },
        ],
      }),
    ],
    [
      'an index out of range',
      () => ({
        data: [
          { index: 0, embedding: [1, 0] },
          { index: 2, embedding: [0, 1] },
        ],
      }),
    ],
    [
      'embeddings of different lengths',
      () => ({
        data: [
          { index: 0, embedding: [1, 0] },
          { index: 1, embedding: [0, 1, 0] },
        ],
      }),
    ],
    [
      'empty embeddings',
      () => ({
        data: [
          { index: 0, embedding: [] },
          { index: 1, embedding: [] },
        ],
      }),
    ],
    [
      'a non-number in an embedding',
      () => ({
        data: [
          { index: 0, embedding: [1, '0'] },
          { index: 1, embedding: [0, 1] },
        ],
      }),
    ],
  ])('rejects %s as a non-retryable invalid_response', async (_, body) => {
    server.respondWith({ status: 200, body: body() });
    const error = await embedderFailureOf(embedder().embed(['a', 'b']));
    expect(error).toMatchObject({
      retryable: false,
      statusCode: 200,
      code: 'invalid_response',
      embedderKind: 'openai',
    });
  });

  it('rejects an answer whose size differs from the configured or learnt one', async () => {
    server.respondWith((request) => embeddingsAnswer(request, 64));
    const sized = embedder({ dimensions: 128 });
    expect(await embedderFailureOf(sized.embed(['text']))).toMatchObject({ code: 'invalid_response' });

    const unsized = embedder();
    await unsized.embed(['first']);
    server.respondWith((request) => embeddingsAnswer(request, 32));
    expect(await embedderFailureOf(unsized.embed(['second']))).toMatchObject({ code: 'invalid_response' });
    expect(unsized.dimensions).toBe(64);
  });

  it('fails before sending when the key variable is unset, without revealing anything', async () => {
    vi.stubEnv('TRUSTGATE_TEST_OPENAI_KEY', '');
    const error = await embedderFailureOf(embedder({ apiKeyEnv: 'TRUSTGATE_TEST_OPENAI_KEY' }).embed(['x']));
    expect(error).toMatchObject({ retryable: false, code: 'missing_api_key' });
    expect(error.message).toContain('TRUSTGATE_TEST_OPENAI_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('turns a timeout signal into a retryable timeout error', async () => {
    server.respondWith((request) => embeddingsAnswer(request, 16, 2_000));
    const error = await embedderFailureOf(embedder().embed(['late'], AbortSignal.timeout(50)));
    expect(error).toMatchObject({ retryable: true, code: 'timeout' });
  });

  it('treats a caller abort as final', async () => {
    server.respondWith((request) => embeddingsAnswer(request, 16, 2_000));
    const controller = new AbortController();
    const pending = embedder().embed(['late'], controller.signal);
    setTimeout(() => controller.abort(), 50);
    const error = await embedderFailureOf(pending);
    expect(error).toMatchObject({ retryable: false, code: 'aborted' });
  });

  it('maps an unreachable endpoint to a retryable network error', async () => {
    const closed = await startLoopbackServer();
    await closed.close();
    const unreachable = createEmbedder({ kind: 'openai', baseUrl: closed.url, model: MODEL });
    const error = await embedderFailureOf(unreachable.embed(['text']));
    expect(error).toMatchObject({ retryable: true, code: 'network_error' });
    expect(error.statusCode).toBeUndefined();
  });
});
