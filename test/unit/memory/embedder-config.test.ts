import { describe, expect, it } from 'vitest';
import {
  clipEmbedText,
  EmbedderConfigSchema,
  EmbedderError,
  MAX_EMBED_BATCH,
  MAX_EMBED_TEXT_CHARS,
} from '../../../functions/core/memory/embedder.ts';
import { LocalEmbedder } from '../../../functions/core/memory/local-embedder.ts';
import { BedrockEmbedder } from '../../../functions/providers/bedrock-embedder.ts';
import { createEmbedder, embedderFromEnvironment } from '../../../functions/providers/create-embedder.ts';
import { OpenAiEmbedder } from '../../../functions/providers/openai-embedder.ts';

describe('embedder config schema', () => {
  it.each([
    { kind: 'local' },
    { kind: 'bedrock', modelId: 'amazon.titan-embed-text-v2:0', dimensions: 1024, region: 'eu-central-1' },
    { kind: 'bedrock', modelId: 'amazon.titan-embed-text-v2:0', dimensions: 256 },
    {
      kind: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      model: 'text-embedding-3-small',
      dimensions: 512,
      apiKeyEnv: 'OPENAI_API_KEY',
    },
    { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text' },
  ])('accepts %o as it is', (config) => {
    expect(EmbedderConfigSchema.parse(config)).toEqual(config);
  });

  it('completes a partial bedrock config with Titan V2 at 512 dimensions', () => {
    expect(EmbedderConfigSchema.parse({ kind: 'bedrock' })).toEqual({
      kind: 'bedrock',
      modelId: 'amazon.titan-embed-text-v2:0',
      dimensions: 512,
    });
    expect(EmbedderConfigSchema.parse({ kind: 'bedrock', dimensions: 256, region: 'us-west-2' })).toEqual({
      kind: 'bedrock',
      modelId: 'amazon.titan-embed-text-v2:0',
      dimensions: 256,
      region: 'us-west-2',
    });
  });

  it.each([
    [{ kind: 'sentence-transformers' }, 'kind'],
    [{ kind: 'local', dimensions: 256 }, ''],
    [{ kind: 'bedrock', dimensions: 768 }, 'dimensions'],
    [{ kind: 'bedrock', dimensions: '512' }, 'dimensions'],
    [{ kind: 'bedrock', modelId: '' }, 'modelId'],
    [{ kind: 'bedrock', region: 'Frankfurt' }, 'region'],
    [{ kind: 'bedrock', normalize: false }, ''],
    [{ kind: 'openai', baseUrl: 'ftp://models.example/v1', model: 'm' }, 'baseUrl'],
    [{ kind: 'openai', baseUrl: 'not a url', model: 'm' }, 'baseUrl'],
    [{ kind: 'openai', baseUrl: 'https://api.openai.com/v1' }, 'model'],
    [{ kind: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'm', dimensions: 0 }, 'dimensions'],
    [{ kind: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'm', dimensions: 1.5 }, 'dimensions'],
    // The key itself never goes into the config, only the name of the variable holding it.
    [
      { kind: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'm', apiKeyEnv: 'sk-proj abc' },
      'apiKeyEnv',
    ],
    [{ kind: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'm', apiKey: 'sk-proj-abc' }, ''],
  ])('rejects %o naming the field %s', (config, field) => {
    const result = EmbedderConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});

describe('createEmbedder', () => {
  it('builds the embedder a config names, with its id and size', () => {
    expect(createEmbedder({ kind: 'local' })).toBeInstanceOf(LocalEmbedder);

    const bedrock = createEmbedder({
      kind: 'bedrock',
      modelId: 'amazon.titan-embed-text-v2:0',
      dimensions: 1024,
      region: 'us-east-1',
    });
    expect(bedrock).toBeInstanceOf(BedrockEmbedder);
    expect(bedrock).toMatchObject({
      kind: 'bedrock',
      embedderId: 'bedrock/amazon.titan-embed-text-v2:0/1024',
      dimensions: 1024,
    });

    const sized = createEmbedder({
      kind: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      model: 'text-embedding-3-small',
      dimensions: 256,
    });
    expect(sized).toBeInstanceOf(OpenAiEmbedder);
    expect(sized).toMatchObject({ embedderId: 'openai/text-embedding-3-small/256', dimensions: 256 });

    const unsized = createEmbedder({ kind: 'openai', baseUrl: 'http://127.0.0.1/v1', model: 'bge-m3' });
    expect(unsized).toMatchObject({ embedderId: 'openai/bge-m3/default', dimensions: undefined });
  });
});

describe('embedderFromEnvironment', () => {
  it('is the local embedder when EMBEDDER is unset or empty', () => {
    expect(embedderFromEnvironment({})).toBeInstanceOf(LocalEmbedder);
    expect(embedderFromEnvironment({ EMBEDDER: '' })).toBeInstanceOf(LocalEmbedder);
    expect(embedderFromEnvironment({ EMBEDDER: '  ' })).toBeInstanceOf(LocalEmbedder);
  });

  it('builds the configured embedder once and reuses it', () => {
    const env = { EMBEDDER: '{"kind":"bedrock","dimensions":256,"region":"us-east-1"}' };
    const bedrock = embedderFromEnvironment(env);
    expect(bedrock).toMatchObject({
      kind: 'bedrock',
      embedderId: 'bedrock/amazon.titan-embed-text-v2:0/256',
      dimensions: 256,
    });
    expect(embedderFromEnvironment({ ...env })).toBe(bedrock);
    expect(embedderFromEnvironment({ EMBEDDER: '{"kind":"bedrock","region":"us-east-1"}' })).not.toBe(
      bedrock,
    );
  });

  it('reads process.env by default', () => {
    const previous = process.env.EMBEDDER;
    process.env.EMBEDDER = '{"kind":"openai","baseUrl":"http://127.0.0.1:8000/v1","model":"e5-large"}';
    try {
      expect(embedderFromEnvironment()).toMatchObject({
        kind: 'openai',
        embedderId: 'openai/e5-large/default',
      });
    } finally {
      if (previous === undefined) delete process.env.EMBEDDER;
      else process.env.EMBEDDER = previous;
    }
  });

  it.each([
    ['{"kind":"bedrock","dimensions":768}', /EMBEDDER.*dimensions: one of 256, 512, 1024/],
    ['{"kind":"openai","baseUrl":"file:///v1","model":"m"}', /EMBEDDER.*baseUrl: an http\(s\) URL/],
    ['{"kind":"local","apiKey":"x"}', /EMBEDDER.*apiKey/],
    ['bedrock', /EMBEDDER is not JSON/],
  ])('refuses EMBEDDER=%s naming the variable and the problem', (value, message) => {
    expect(() => embedderFromEnvironment({ EMBEDDER: value })).toThrow(message);
  });
});

describe('embedder contract helpers', () => {
  it('caps batches and texts at documented sizes', () => {
    expect(MAX_EMBED_BATCH).toBe(64);
    expect(MAX_EMBED_TEXT_CHARS).toBe(8_192);
  });

  it('cuts a long text at MAX_EMBED_TEXT_CHARS, never inside a surrogate pair', () => {
    const short = 'a'.repeat(MAX_EMBED_TEXT_CHARS);
    expect(clipEmbedText(short)).toBe(short);
    expect(clipEmbedText(`${short}tail`)).toBe(short);
    // An emoji is two code units; the one straddling the limit is left out whole.
    const emojis = '😀'.repeat(MAX_EMBED_TEXT_CHARS);
    const odd = `x${emojis}`;
    expect(clipEmbedText(odd)).toBe(`x${'😀'.repeat(MAX_EMBED_TEXT_CHARS / 2 - 1)}`);
    expect(clipEmbedText(emojis)).toBe('😀'.repeat(MAX_EMBED_TEXT_CHARS / 2));
  });

  it('has errors that carry the embedder kind, retryability, status, code and cause', () => {
    const cause = new Error('socket hang up');
    const error = new EmbedderError('the endpoint answered 503', {
      embedderKind: 'openai',
      retryable: true,
      statusCode: 503,
      code: 'server_error',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'EmbedderError',
      message: 'the endpoint answered 503',
      embedderKind: 'openai',
      retryable: true,
      statusCode: 503,
      code: 'server_error',
      cause,
    });
    const bare = new EmbedderError('aborted', { embedderKind: 'local', retryable: false });
    expect(bare.statusCode).toBeUndefined();
    expect(bare.code).toBeUndefined();
    expect(bare.cause).toBeUndefined();
  });
});
