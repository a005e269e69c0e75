import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProvider } from '../../../functions/providers/create-provider.ts';
import type { CompletionRequest } from '../../../functions/providers/provider.ts';
import { failureOf, type LoopbackServer, startLoopbackServer } from './loopback-server.ts';

const MODEL_ID = 'anthropic.claude-3-5-haiku-20241022-v1:0';

const REQUEST: CompletionRequest = {
  system: 'You are the Writing Agent.',
  messages: [
    { role: 'assistant', content: '1. **AI** (mentioned 4 times): budget concentrates on AI.' },
    { role: 'user', content: 'Write report on AI trends' },
  ],
  maxTokens: 512,
  agentRole: 'writing',
  action: 'generate_document',
};

function converseResponse(stopReason = 'end_turn'): unknown {
  return {
    output: {
      message: {
        role: 'assistant',
        content: [{ text: '# AI Trends\n\n' }, { text: 'Adoption is accelerating.' }],
      },
    },
    stopReason,
    usage: { inputTokens: 61, outputTokens: 12, totalTokens: 73 },
    metrics: { latencyMs: 321 },
  };
}

// restJson1 errors: the exception name travels in x-amzn-ErrorType, the message in the body.
function bedrockError(status: number, errorType: string, message: string) {
  return {
    status,
    headers: { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    body: { message },
  };
}

describe('Bedrock provider against a loopback Converse endpoint', () => {
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

  function provider() {
    return createProvider(
      { kind: 'bedrock', modelId: MODEL_ID, region: 'us-east-1' },
      { bedrockEndpoint: server.url },
    );
  }

  it('sends a signed Converse request and maps the answer', async () => {
    server.respondWith({ status: 200, body: converseResponse() });

    const result = await provider().complete(REQUEST);

    expect(result).toEqual({
      text: '# AI Trends\n\nAdoption is accelerating.',
      usage: { inputTokens: 61, outputTokens: 12 },
      model: MODEL_ID,
      stopReason: 'end_turn',
    });
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(decodeURIComponent(sent?.path ?? '')).toBe(`/model/${MODEL_ID}/converse`);
    expect(sent?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIALOOPBACKTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
    );
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      system: [{ text: 'You are the Writing Agent.' }],
      messages: [
        {
          role: 'assistant',
          content: [{ text: '1. **AI** (mentioned 4 times): budget concentrates on AI.' }],
        },
        { role: 'user', content: [{ text: 'Write report on AI trends' }] },
      ],
      inferenceConfig: { maxTokens: 512 },
    });
  });

  it('leaves out an empty system prompt', async () => {
    server.respondWith({ status: 200, body: converseResponse() });
    await provider().complete({ ...REQUEST, system: '' });
    expect(JSON.parse(server.requests[0]?.body ?? '')).not.toHaveProperty('system');
  });

  it('passes the stop reason through', async () => {
    server.respondWith({ status: 200, body: converseResponse('max_tokens') });
    const result = await provider().complete(REQUEST);
    expect(result.stopReason).toBe('max_tokens');
  });

  it('finds the endpoint in AWS_ENDPOINT_URL_BEDROCK_RUNTIME when no option names one', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', server.url);
    server.respondWith({ status: 200, body: converseResponse() });
    const result = await createProvider({ kind: 'bedrock', modelId: MODEL_ID, region: 'us-east-1' }).complete(
      REQUEST,
    );
    expect(result.usage).toEqual({ inputTokens: 61, outputTokens: 12 });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [429, 'ThrottlingException', 'Too many requests, please wait before trying again.'],
    [503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'],
    [408, 'ModelTimeoutException', 'Model has timed out in processing the request.'],
    [500, 'InternalServerException', 'The server encountered an internal error.'],
  ])('maps %i %s to a retryable error, sent once', async (status, errorType, message) => {
    server.respondWith(bedrockError(status, errorType, message));
    const error = await failureOf(provider().complete(REQUEST));
    expect(error).toMatchObject({
      retryable: true,
      statusCode: status,
      code: errorType,
      providerKind: 'bedrock',
    });
    expect(error.message).toContain(message);
    // The SDK's own retries are off: the caller decides whether to try again.
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [400, 'ValidationException', 'The provided model identifier is invalid.'],
    [403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."],
  ])('maps %i %s to a non-retryable error', async (status, errorType, message) => {
    server.respondWith(bedrockError(status, errorType, message));
    const error = await failureOf(provider().complete(REQUEST));
    expect(error).toMatchObject({ retryable: false, statusCode: status, code: errorType });
    expect(error.message).toContain(message);
  });

  it('turns a timeout signal into a retryable timeout error', async () => {
    server.respondWith({ status: 200, body: converseResponse(), delayMs: 2_000 });
    const error = await failureOf(provider().complete(REQUEST, AbortSignal.timeout(50)));
    expect(error).toMatchObject({ retryable: true, code: 'timeout' });
  });

  it('maps an unreachable endpoint to a retryable network error', async () => {
    const closed = await startLoopbackServer('http2');
    await closed.close();
    const unreachable = createProvider(
      { kind: 'bedrock', modelId: MODEL_ID, region: 'us-east-1' },
      { bedrockEndpoint: closed.url },
    );
    const error = await failureOf(unreachable.complete(REQUEST));
    expect(error).toMatchObject({ retryable: true, code: 'network_error' });
  });
});
