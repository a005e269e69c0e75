import { describe, expect, it } from 'vitest';
import { ProviderConfigSchema } from '../../../functions/providers/provider.ts';

describe('provider config schema', () => {
  it.each([
    { kind: 'local' },
    { kind: 'bedrock', modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
    { kind: 'bedrock', modelId: 'amazon.nova-lite-v1:0', region: 'eu-central-1' },
    {
      kind: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
      apiKeyEnv: 'OPENAI_API_KEY',
    },
    { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2' },
  ])('accepts %o', (config) => {
    expect(ProviderConfigSchema.parse(config)).toEqual(config);
  });

  it.each([
    [{ kind: 'gemini' }, 'kind'],
    [{ kind: 'local', model: 'x' }, ''],
    [{ kind: 'bedrock' }, 'modelId'],
    [{ kind: 'bedrock', modelId: '' }, 'modelId'],
    [{ kind: 'bedrock', modelId: 'm', region: 'Frankfurt' }, 'region'],
    [{ kind: 'openai', baseUrl: 'ftp://models.example/v1', model: 'm' }, 'baseUrl'],
    [{ kind: 'openai', baseUrl: 'not a url', model: 'm' }, 'baseUrl'],
    [{ kind: 'openai', baseUrl: 'https://api.openai.com/v1' }, 'model'],
    // The key itself never goes into the config, only the name of the variable holding it.
    [
      { kind: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'm', apiKeyEnv: 'sk-proj abc' },
      'apiKeyEnv',
    ],
  ])('rejects %o naming the field %s', (config, field) => {
    const result = ProviderConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});
