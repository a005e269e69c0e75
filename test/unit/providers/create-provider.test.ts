import { describe, expect, it } from 'vitest';
import { BedrockProvider } from '../../../functions/providers/bedrock-provider.ts';
import { createProvider } from '../../../functions/providers/create-provider.ts';
import { LocalProvider } from '../../../functions/providers/local-provider.ts';
import { OpenAiProvider } from '../../../functions/providers/openai-provider.ts';

describe('createProvider', () => {
  it('builds the provider the config names', () => {
    const local = createProvider({ kind: 'local' });
    const bedrock = createProvider({
      kind: 'bedrock',
      modelId: 'amazon.nova-lite-v1:0',
      region: 'us-east-1',
    });
    const openai = createProvider({ kind: 'openai', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' });
    expect(local).toBeInstanceOf(LocalProvider);
    expect(local.kind).toBe('local');
    expect(bedrock).toBeInstanceOf(BedrockProvider);
    expect(bedrock.kind).toBe('bedrock');
    expect(openai).toBeInstanceOf(OpenAiProvider);
    expect(openai.kind).toBe('openai');
  });
});
