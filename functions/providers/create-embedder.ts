// The embedder long-term memory uses. One per deployment, not per agent: every stored vector must come
// from the same embedder to be comparable, so it is configured once, in the EMBEDDER environment variable
// (the JSON of an EmbedderConfig; unset → local). AWS_ENDPOINT_URL_BEDROCK_RUNTIME, read by the SDK
// itself, points the bedrock embedder elsewhere. Options exist for tests and the sandbox: another fetch
// for OpenAI-compatible endpoints, another endpoint for Bedrock.
import { type Embedder, type EmbedderConfig, EmbedderConfigSchema } from '../core/memory/embedder.ts';
import { LocalEmbedder } from '../core/memory/local-embedder.ts';
import { BedrockEmbedder } from './bedrock-embedder.ts';
import { OpenAiEmbedder } from './openai-embedder.ts';

export interface CreateEmbedderOptions {
  fetch?: typeof fetch;
  bedrockEndpoint?: string;
}

export function createEmbedder(config: EmbedderConfig, options: CreateEmbedderOptions = {}): Embedder {
  switch (config.kind) {
    case 'local':
      return new LocalEmbedder();
    case 'bedrock':
      return new BedrockEmbedder(
        config,
        options.bedrockEndpoint === undefined ? {} : { endpoint: options.bedrockEndpoint },
      );
    case 'openai':
      return new OpenAiEmbedder(config, options.fetch);
  }
}

// One embedder per distinct EMBEDDER value for the life of an execution environment: warm invocations
// reuse its client (the Bedrock SDK client keeps its HTTP/2 connections) instead of building one per call.
const embedders = new Map<string, Embedder>();

/** The embedder EMBEDDER configures (absent or empty: local). Throws an Error naming EMBEDDER when it is invalid. */
export function embedderFromEnvironment(env: NodeJS.ProcessEnv = process.env): Embedder {
  const raw = env.EMBEDDER?.trim() ?? '';
  const cached = embedders.get(raw);
  if (cached !== undefined) return cached;
  const embedder = createEmbedder(parseEmbedderVariable(raw));
  embedders.set(raw, embedder);
  return embedder;
}

function parseEmbedderVariable(raw: string): EmbedderConfig {
  if (raw === '') return { kind: 'local' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // Not the parser's message: it quotes the value, and a misplaced secret must not travel into logs.
    throw new Error('EMBEDDER is not JSON: expected an embedder config such as {"kind":"local"}');
  }
  const parsed = EmbedderConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`EMBEDDER is not a valid embedder config: ${issues.join('; ')}`);
  }
  return parsed.data;
}
