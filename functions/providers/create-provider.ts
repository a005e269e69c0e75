// The provider an agent's stored config names. Options exist for tests and the sandbox: another fetch
// for OpenAI-compatible endpoints, another endpoint for Bedrock.
import { BedrockProvider } from './bedrock-provider.ts';
import { LocalProvider } from './local-provider.ts';
import { OpenAiProvider } from './openai-provider.ts';
import type { AiProvider, ProviderConfig } from './provider.ts';

export interface CreateProviderOptions {
  fetch?: typeof fetch;
  bedrockEndpoint?: string;
}

export function createProvider(config: ProviderConfig, options: CreateProviderOptions = {}): AiProvider {
  switch (config.kind) {
    case 'local':
      return new LocalProvider();
    case 'bedrock':
      return new BedrockProvider(
        config,
        options.bedrockEndpoint === undefined ? {} : { endpoint: options.bedrockEndpoint },
      );
    case 'openai':
      return new OpenAiProvider(config, options.fetch);
  }
}
