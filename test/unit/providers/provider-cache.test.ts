import { describe, expect, it } from 'vitest';
import { cachedProviderFactory } from '../../../functions/providers/provider-cache.ts';

describe('cachedProviderFactory', () => {
  it('builds one provider per distinct configuration and reuses it', () => {
    const providerFor = cachedProviderFactory();
    const local = providerFor({ kind: 'local' });
    expect(providerFor({ kind: 'local' })).toBe(local);
    const bedrock = providerFor({
      kind: 'bedrock',
      modelId: 'anthropic.claude-3-haiku',
      region: 'us-east-1',
    });
    expect(bedrock.kind).toBe('bedrock');
    expect(bedrock).not.toBe(local);
    expect(providerFor({ kind: 'bedrock', modelId: 'anthropic.claude-3-haiku', region: 'us-east-1' })).toBe(
      bedrock,
    );
    expect(providerFor({ kind: 'bedrock', modelId: 'amazon.nova-lite', region: 'us-east-1' })).not.toBe(
      bedrock,
    );
  });
});
