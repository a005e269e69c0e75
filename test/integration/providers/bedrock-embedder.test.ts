import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_EMBED_TEXT_CHARS } from '../../../functions/core/memory/embedder.ts';
import { EMBED_CONCURRENCY } from '../../../functions/providers/bedrock-embedder.ts';
import { createEmbedder } from '../../../functions/providers/create-embedder.ts';
import {
  embedderFailureOf,
  type LoopbackServer,
  type RecordedRequest,
  type ScriptedResponse,
  startLoopbackServer,
} from './loopback-server.ts';

const MODEL_ID = 'amazon.titan-embed-text-v2:0';
const DIMENSIONS = 256;

interface TitanRequest {
  inputText: string;
  dimensions: number;
  normalize: boolean;
}

function titanRequestOf(request: RecordedRequest): TitanRequest {
  return JSON.parse(request.body) as TitanRequest;
}

// A recognisable, deliberately unnormalized embedding: the text's length at dimension 0, the number it
// ends with (if any) at dimension 1 + number, so every vector says which text it was made from.
function embeddingFor(text: string, dimensions = DIMENSIONS): number[] {
  const embedding = new Array<number>(dimensions).fill(0);
  embedding[0] = text.length;
  const number = /(\d+)$/.exec(text)?.[1];
  if (number !== undefined) embedding[1 + Number(number)] = text.length;
  return embedding;
}

function titanAnswer(request: RecordedRequest, delayMs = 0): ScriptedResponse {
  const { inputText } = titanRequestOf(request);
  return {
    status: 200,
    body: { embedding: embeddingFor(inputText), inputTextTokenCount: inputText.split(' ').length },
    delayMs,
  };
}

// restJson1 errors: the exception name travels in x-amzn-ErrorType, the message in the body.
function bedrockError(status: number, errorType: string, message: string): ScriptedResponse {
  return {
    status,
    headers: { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    body: { message },
  };
}

describe('Bedrock embedder against a loopback InvokeModel endpoint', () => {
  let server: LoopbackServer;

  beforeAll(async () => {
    server = await startLoopbackServer('http2');
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    // Dummy credentials: the client signs requests, the loopback server does not check the signature.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIALOOPBACKTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'loopback-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
  });
  afterEach(() => {
    server.requests.length = 0;
    vi.unstubAllEnvs();
  });

  function embedder(dimensions: 256 | 512 | 1024 = DIMENSIONS) {
    return createEmbedder(
      { kind: 'bedrock', modelId: MODEL_ID, dimensions, region: 'us-east-1' },
      { bedrockEndpoint: server.url },
    );
  }

  it('sends one signed Titan V2 InvokeModel request per text and normalizes the answer', async () => {
    server.respondWith((request) => titanAnswer(request));

    const [vector] = await embedder().embed(['renewable energy storage costs 7']);

    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe(`/model/${encodeURIComponent(MODEL_ID)}/invoke`);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers.accept).toBe('application/json');
    expect(sent?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIALOOPBACKTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
    );
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      inputText: 'renewable energy storage costs 7',
      dimensions: 256,
      normalize: true,
    });
    expect(vector).toBeInstanceOf(Float32Array);
    expect(vector).toHaveLength(256);
    // [32, 0, …, 32 at index 8, …] normalized: both entries 1/√2.
    expect(vector![0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(vector![8]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(vector!.filter((x) => x !== 0)).toHaveLength(2);
  });

  it('asks for the configured dimension count', async () => {
    server.respondWith((request) => ({
      status: 200,
      body: { embedding: embeddingFor(titanRequestOf(request).inputText, 1024), inputTextTokenCount: 3 },
    }));
    const embedded = await embedder(1024).embed(['one two three']);
    expect(titanRequestOf(server.requests[0]!).dimensions).toBe(1024);
    expect(embedded[0]).toHaveLength(1024);
  });

  it(`keeps input order with at most ${EMBED_CONCURRENCY} calls in flight`, async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    server.respondWith(async (request) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      // Later texts answer sooner, so answers arrive out of order.
      const number = Number(/(\d+)$/.exec(titanRequestOf(request).inputText)?.[1]);
      await new Promise((resolve) => setTimeout(resolve, 20 + (12 - number) * 5));
      inFlight -= 1;
      return titanAnswer(request);
    });
    const texts = Array.from({ length: 12 }, (_, index) => `fact number ${index}`);

    const vectors = await embedder().embed(texts);

    expect(server.requests).toHaveLength(12);
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(EMBED_CONCURRENCY);
    vectors.forEach((vector, index) => {
      const marked = [...vector.keys()].filter((dimension) => vector[dimension] !== 0);
      expect(marked, texts[index]).toEqual([0, 1 + index]);
    });
  });

  it('embeds blank texts as zero vectors without calling Bedrock, and cuts long texts', async () => {
    server.respondWith((request) => titanAnswer(request));
    const long = 'x'.repeat(MAX_EMBED_TEXT_CHARS + 100);

    const [blank, empty, clipped] = await embedder().embed(['   ', '', long]);

    expect(blank).toEqual(new Float32Array(256));
    expect(empty).toEqual(new Float32Array(256));
    expect(server.requests).toHaveLength(1);
    expect(titanRequestOf(server.requests[0]!).inputText).toBe('x'.repeat(MAX_EMBED_TEXT_CHARS));
    expect(clipped![0]).toBeCloseTo(1, 6);
  });

  it('finds the endpoint in AWS_ENDPOINT_URL_BEDROCK_RUNTIME when no option names one', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', server.url);
    server.respondWith((request) => titanAnswer(request));
    const vectors = await createEmbedder({
      kind: 'bedrock',
      modelId: MODEL_ID,
      dimensions: 256,
      region: 'us-east-1',
    }).embed(['hello 1']);
    expect(vectors).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [429, 'ThrottlingException', 'Too many requests, please wait before trying again.'],
    [503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'],
    [500, 'InternalServerException', 'The server encountered an internal error.'],
  ])('maps %i %s to a retryable error, sent once', async (status, errorType, message) => {
    server.respondWith(bedrockError(status, errorType, message));
    const error = await embedderFailureOf(embedder().embed(['text']));
    expect(error).toMatchObject({
      retryable: true,
      statusCode: status,
      code: errorType,
      embedderKind: 'bedrock',
    });
    expect(error.message).toContain(message);
    // The SDK's own retries are off: the caller decides whether to try again.
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [400, 'ValidationException', 'Malformed input request: expected maxLength: 50000'],
    [403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."],
  ])('maps %i %s to a non-retryable error', async (status, errorType, message) => {
    server.respondWith(bedrockError(status, errorType, message));
    const error = await embedderFailureOf(embedder().embed(['text']));
    expect(error).toMatchObject({ retryable: false, statusCode: status, code: errorType });
    expect(error.message).toContain(message);
  });

  it('stops at the first failure of a batch and starts no further calls', async () => {
    server.respondWith((request) =>
      titanRequestOf(request).inputText === 'text 0'
        ? bedrockError(400, 'ValidationException', 'bad input')
        : titanAnswer(request, 200),
    );
    const texts = Array.from({ length: 20 }, (_, index) => `text ${index}`);
    const error = await embedderFailureOf(embedder().embed(texts));
    expect(error).toMatchObject({ retryable: false, code: 'ValidationException' });
    expect(server.requests.length).toBeLessThanOrEqual(EMBED_CONCURRENCY);
  });

  it.each([
    ['a body without an embedding', { vector: [1, 2, 3] }],
    ['an embedding of the wrong length', { embedding: [1, 2, 3], inputTextTokenCount: 1 }],
    ['an embedding with a non-number', { embedding: [...new Array(255).fill(0.1), 'x'] }],
    ['a body that is not an object', 'Internal Server Error'],
  ])('rejects %s as a non-retryable invalid_response', async (_, body) => {
    server.respondWith({ status: 200, body });
    const error = await embedderFailureOf(embedder().embed(['text']));
    expect(error).toMatchObject({ retryable: false, code: 'invalid_response', embedderKind: 'bedrock' });
  });

  it('turns a timeout signal into a retryable timeout error', async () => {
    server.respondWith((request) => titanAnswer(request, 2_000));
    const error = await embedderFailureOf(embedder().embed(['a', 'b'], AbortSignal.timeout(50)));
    expect(error).toMatchObject({ retryable: true, code: 'timeout' });
  });

  it('treats a caller abort as final, before or during the calls', async () => {
    server.respondWith((request) => titanAnswer(request, 2_000));
    const controller = new AbortController();
    const pending = embedder().embed(['a', 'b', 'c'], controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect(await embedderFailureOf(pending)).toMatchObject({ retryable: false, code: 'aborted' });

    server.requests.length = 0;
    const aborted = await embedderFailureOf(embedder().embed(['a'], controller.signal));
    expect(aborted).toMatchObject({ retryable: false, code: 'aborted' });
    expect(server.requests).toHaveLength(0);
  });

  it('maps an unreachable endpoint to a retryable network error', async () => {
    const closed = await startLoopbackServer('http2');
    await closed.close();
    const unreachable = createEmbedder(
      { kind: 'bedrock', modelId: MODEL_ID, dimensions: 256, region: 'us-east-1' },
      { bedrockEndpoint: closed.url },
    );
    const error = await embedderFailureOf(unreachable.embed(['text']));
    expect(error).toMatchObject({ retryable: true, code: 'network_error' });
  });
});
