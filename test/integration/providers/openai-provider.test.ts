import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createProvider } from '../../../functions/providers/create-provider.ts';
import type { CompletionRequest } from '../../../functions/providers/provider.ts';
import { failureOf, type LoopbackServer, startLoopbackServer } from './loopback-server.ts';

const REQUEST: CompletionRequest = {
  system: 'You are the Analysis Agent.',
  messages: [
    { role: 'assistant', content: 'Research digest: adoption of AI is moving to production.' },
    { role: 'user', content: 'Analyse AI trends' },
  ],
  maxTokens: 256,
  agentRole: 'analysis',
  action: 'process_data',
};

function chatCompletion(content: string | null, finishReason: string, withUsage = true): unknown {
  return {
    id: 'chatcmpl-123',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    ...(withUsage ? { usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 } } : {}),
  };
}

describe('OpenAI-compatible provider against a loopback chat-completions endpoint', () => {
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

  function provider(overrides: { apiKeyEnv?: string; fetch?: typeof fetch } = {}) {
    const { fetch: fetchImplementation, ...config } = overrides;
    return createProvider(
      { kind: 'openai', baseUrl: `${server.url}/v1/`, model: 'gpt-4o-mini', ...config },
      fetchImplementation === undefined ? {} : { fetch: fetchImplementation },
    );
  }

  it('posts the documented request and maps the completion', async () => {
    vi.stubEnv('TRUSTGATE_TEST_OPENAI_KEY', 'sk-loopback-test');
    server.respondWith({ status: 200, body: chatCompletion('AI adoption is the leading theme.', 'stop') });

    const result = await provider({ apiKeyEnv: 'TRUSTGATE_TEST_OPENAI_KEY' }).complete(REQUEST);

    expect(result).toEqual({
      text: 'AI adoption is the leading theme.',
      usage: { inputTokens: 42, outputTokens: 7 },
      model: 'gpt-4o-mini',
      stopReason: 'end_turn',
    });
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-loopback-test');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are the Analysis Agent.' },
        { role: 'assistant', content: 'Research digest: adoption of AI is moving to production.' },
        { role: 'user', content: 'Analyse AI trends' },
      ],
      max_tokens: 256,
    });
  });

  it('sends no authorization header when the config names no key variable', async () => {
    server.respondWith({ status: 200, body: chatCompletion('ok', 'stop') });
    await provider().complete(REQUEST);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('goes through the injected fetch', async () => {
    server.respondWith({ status: 200, body: chatCompletion('ok', 'stop') });
    const calls: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    await provider({ fetch: recordingFetch }).complete(REQUEST);
    expect(calls).toEqual([`${server.url}/v1/chat/completions`]);
  });

  it('reports truncation as max_tokens and a null content as empty text', async () => {
    server.respondWith({ status: 200, body: chatCompletion(null, 'length') });
    const result = await provider().complete(REQUEST);
    expect(result.text).toBe('');
    expect(result.stopReason).toBe('max_tokens');
  });

  it('counts tokens itself when the endpoint reports no usage', async () => {
    server.respondWith({ status: 200, body: chatCompletion('Three short words', 'stop', false) });
    const result = await provider().complete(REQUEST);
    expect(result.usage.outputTokens).toBe(3);
    expect(result.usage.inputTokens).toBeGreaterThan(10);
  });

  it('maps 429 to a retryable error carrying the endpoint message', async () => {
    server.respondWith({
      status: 429,
      body: {
        error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' },
      },
    });
    const error = await failureOf(provider().complete(REQUEST));
    expect(error).toMatchObject({
      retryable: true,
      statusCode: 429,
      providerKind: 'openai',
      code: 'rate_limit_exceeded',
    });
    expect(error.message).toContain('Rate limit reached for requests');
  });

  it('maps 503 to a retryable error', async () => {
    server.respondWith({
      status: 503,
      body: { error: { message: 'The server is overloaded', type: 'server_error', code: null } },
    });
    const error = await failureOf(provider().complete(REQUEST));
    expect(error).toMatchObject({ retryable: true, statusCode: 503 });
  });

  it('maps 400 to a non-retryable error carrying the endpoint message', async () => {
    server.respondWith({
      status: 400,
      body: {
        error: {
          message: "Invalid value for 'max_tokens'",
          type: 'invalid_request_error',
          code: 'invalid_value',
        },
      },
    });
    const error = await failureOf(provider().complete(REQUEST));
    expect(error).toMatchObject({ retryable: false, statusCode: 400, code: 'invalid_value' });
    expect(error.message).toContain("Invalid value for 'max_tokens'");
  });

  it('rejects a 200 whose body is not a chat completion, without retrying', async () => {
    server.respondWith({ status: 200, body: { unexpected: true } });
    const error = await failureOf(provider().complete(REQUEST));
    expect(error).toMatchObject({ retryable: false, code: 'invalid_response' });
  });

  it('fails before sending when the key variable is unset, without revealing anything', async () => {
    vi.stubEnv('TRUSTGATE_TEST_OPENAI_KEY', '');
    const error = await failureOf(provider({ apiKeyEnv: 'TRUSTGATE_TEST_OPENAI_KEY' }).complete(REQUEST));
    expect(error).toMatchObject({ retryable: false, code: 'missing_api_key' });
    expect(error.message).toContain('TRUSTGATE_TEST_OPENAI_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('turns a timeout signal into a retryable timeout error', async () => {
    server.respondWith({ status: 200, body: chatCompletion('late', 'stop'), delayMs: 2_000 });
    const error = await failureOf(provider().complete(REQUEST, AbortSignal.timeout(50)));
    expect(error).toMatchObject({ retryable: true, code: 'timeout' });
  });

  it('treats a caller abort as final', async () => {
    server.respondWith({ status: 200, body: chatCompletion('late', 'stop'), delayMs: 2_000 });
    const controller = new AbortController();
    const pending = provider().complete(REQUEST, controller.signal);
    setTimeout(() => controller.abort(), 50);
    const error = await failureOf(pending);
    expect(error).toMatchObject({ retryable: false, code: 'aborted' });
  });

  it('maps an unreachable endpoint to a retryable network error', async () => {
    const closed = await startLoopbackServer();
    await closed.close();
    const unreachable = createProvider({ kind: 'openai', baseUrl: closed.url, model: 'gpt-4o-mini' });
    const error = await failureOf(unreachable.complete(REQUEST));
    expect(error).toMatchObject({ retryable: true, code: 'network_error' });
    expect(error.statusCode).toBeUndefined();
  });
});
