// The body of `POST /v1/agents` (docs/backend.md, SPEC §2 and §9):
//   manifest       the AgentManifest, validated by validateManifest (L1); its identity.agentId is the agent's id
//   costPerCall    USD per call, 0…1000 (a ceiling far above any model price, to catch unit slips)
//   provider       ProviderConfig, default { kind: 'local' }
//   identity       { verificationLevel, certificate }               → the identity trust component
//   context        { environment, vpcIsolated?, mtls?, managedSecrets? } (flags default false) → context component
//   initialScore   0…1000, admins only (checked by registerAgent, which knows the caller's role)
// All problems are reported at once, manifest fields prefixed with `manifest.`.
import { z } from 'zod';
import { type AgentManifest, validateManifest } from '../../core/policy/agent-manifest.ts';
import { DEPLOYMENT_ENVIRONMENTS } from '../../core/trust/context.ts';
import { CERTIFICATE_LEVELS, IDENTITY_VERIFICATION_LEVELS } from '../../core/trust/identity.ts';
import { MAX_SCORE, MIN_SCORE } from '../../core/trust/tiers.ts';
import { type FieldError, validationFailed } from '../../http/api-error.ts';
import { prefixed, zodIssuesAsFieldErrors } from '../../http/validate-input.ts';
import { ProviderConfigSchema } from '../../providers/provider.ts';

// The provider reads the API key from the function's environment under this name and sends it to
// `baseUrl`, which the registering tenant chooses. Any name would let a tenant have the function's own
// AWS credentials (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) sent to a server of theirs; only variables
// meant to hold a provider API key may be named.
const PROVIDER_API_KEY_ENV = /^[A-Z][A-Z0-9_]*_API_KEY$/;

const RegistrationProviderSchema = ProviderConfigSchema.refine(
  (provider) =>
    provider.kind !== 'openai' ||
    provider.apiKeyEnv === undefined ||
    PROVIDER_API_KEY_ENV.test(provider.apiKeyEnv),
  { message: 'an environment variable named like OPENAI_API_KEY (ending in _API_KEY)', path: ['apiKeyEnv'] },
);

const RegistrationEnvelopeSchema = z.strictObject({
  manifest: z.unknown(),
  costPerCall: z.number().min(0).max(1_000),
  provider: RegistrationProviderSchema.default({ kind: 'local' }),
  identity: z.strictObject({
    verificationLevel: z.enum(IDENTITY_VERIFICATION_LEVELS),
    certificate: z.enum(CERTIFICATE_LEVELS),
  }),
  context: z.strictObject({
    environment: z.enum(DEPLOYMENT_ENVIRONMENTS),
    vpcIsolated: z.boolean().default(false),
    mtls: z.boolean().default(false),
    managedSecrets: z.boolean().default(false),
  }),
  initialScore: z.number().min(MIN_SCORE).max(MAX_SCORE).optional(),
});

export type AgentRegistration = Omit<z.output<typeof RegistrationEnvelopeSchema>, 'manifest'> & {
  manifest: AgentManifest;
};

export function parseAgentRegistration(body: unknown): AgentRegistration {
  const envelope = RegistrationEnvelopeSchema.safeParse(body);
  const errors: FieldError[] = envelope.success ? [] : zodIssuesAsFieldErrors(envelope.error.issues);
  // The manifest is checked even when the envelope is not an object's worth of fields, so a caller sees
  // every mistake in one answer.
  const manifestInput = isRecord(body) ? body.manifest : undefined;
  const manifest = validateManifest(manifestInput);
  if (!manifest.valid) {
    errors.push(...manifest.errors.map((error) => ({ ...error, field: prefixed('manifest', error.field) })));
  }
  if (!envelope.success || !manifest.valid) throw validationFailed(errors);
  return { ...envelope.data, manifest: manifest.manifest };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
