// One provider per distinct configuration for the life of an execution environment: warm invocations then
// reuse a provider's client (the Bedrock SDK client keeps its HTTP/2 connections) instead of building one
// per gated step. Configurations are few (one per provider/model an agent registers), so the map stays small.
import { createProvider } from './create-provider.ts';
import type { AiProvider, ProviderConfig } from './provider.ts';

export function cachedProviderFactory(
  create: (config: ProviderConfig) => AiProvider = createProvider,
): (config: ProviderConfig) => AiProvider {
  const providers = new Map<string, AiProvider>();
  return (config) => {
    const key = JSON.stringify(config);
    let provider = providers.get(key);
    if (!provider) {
      provider = create(config);
      providers.set(key, provider);
    }
    return provider;
  };
}
