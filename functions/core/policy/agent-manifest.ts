// L1 of the intent engine (SPEC §3): the agent manifest — who the agent is, which actions it declares
// (with a level and scopes) and the constraints it accepts. Unknown keys are rejected so that a typo in a
// constraint cannot silently drop it; `schemaVersion` is how the format may grow later.
import { z } from 'zod';
import { AGENT_ACTIONS, type AgentAction } from './agent-actions.ts';

export const MANIFEST_SCHEMA_VERSION = '1.0';

/** How far a capability reaches: observe, change, or administer what it touches. */
export const CAPABILITY_LEVELS = ['read', 'write', 'admin'] as const;

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** The most resource types a manifest may restrict an agent to. */
export const MAX_ALLOWED_RESOURCE_TYPES = 100;

export const CapabilitySchema = z.strictObject({
  name: z.enum(AGENT_ACTIONS),
  level: z.enum(CAPABILITY_LEVELS),
  scopes: z.array(z.string().min(1).max(200)).max(50),
});

export const AgentManifestSchema = z.strictObject({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  identity: z.strictObject({
    agentId: z.string().min(1).max(128).regex(IDENTIFIER, 'letters, digits and . _ : - only'),
    name: z.string().min(1).max(200),
    role: z.string().min(1).max(64),
    version: z.string().min(1).max(64).optional(),
    description: z.string().max(2000).optional(),
  }),
  capabilities: z
    .array(CapabilitySchema)
    .min(1)
    .max(AGENT_ACTIONS.length)
    .refine((capabilities) => new Set(capabilities.map((c) => c.name)).size === capabilities.length, {
      message: 'each action may be declared once',
    }),
  constraints: z
    .strictObject({
      maxTokensPerCall: z.int().positive().optional(),
      maxTimeoutMs: z.int().positive().optional(),
      /**
       * Resource types the agent may act on; absent means any. Bounded like every other list here: the
       * manifest is stored on the agent item, and thousands of types made it larger than DynamoDB's 400 KB,
       * a 500 (found by the fuzz suite, test/integration/fuzz).
       */
      allowedResourceTypes: z
        .array(z.string().min(1).max(100))
        .min(1)
        .max(MAX_ALLOWED_RESOURCE_TYPES)
        .optional(),
    })
    .default({}),
});

export type AgentManifest = z.infer<typeof AgentManifestSchema>;
export type Capability = z.infer<typeof CapabilitySchema>;

export interface ManifestFieldError {
  /** Dotted path of the offending field, e.g. `capabilities.0.name`; empty for the manifest itself. */
  field: string;
  message: string;
}

export type ManifestValidation =
  | { valid: true; manifest: AgentManifest }
  | { valid: false; errors: ManifestFieldError[] };

export function validateManifest(input: unknown): ManifestValidation {
  const parsed = AgentManifestSchema.safeParse(input);
  if (parsed.success) return { valid: true, manifest: parsed.data };
  return {
    valid: false,
    errors: parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}

/** The capability the manifest declares for an action, or undefined when the action is not declared. */
export function findDeclaredCapability(manifest: AgentManifest, action: string): Capability | undefined {
  return manifest.capabilities.find((capability) => capability.name === action);
}

export function declaredActions(manifest: AgentManifest): AgentAction[] {
  return manifest.capabilities.map((capability) => capability.name);
}
