// The request schemas the document needs that their routes cannot hand it as they are (the registration's
// manifest is checked by validateManifest after an envelope schema, event entries one by one, redrive queue
// names against the deployment's): rebuilt here from the same exported parts (patterns, enums, bounds), for
// the document only — no route validates with these; every other route's schema is imported from its route.
// Being copies, these are pinned to their routes by test/unit/openapi/unexported-request-schemas.test.ts,
// which sends the same inputs to the route and to the document and fails when they disagree.
import { z } from 'zod';
import { EVENT_CATALOG, INGESTIBLE_EVENT_TYPES } from '../../core/events/event-catalog.ts';
import { AgentManifestSchema } from '../../core/policy/agent-manifest.ts';
import { DEPLOYMENT_ENVIRONMENTS } from '../../core/trust/context.ts';
import { CERTIFICATE_LEVELS, IDENTITY_VERIFICATION_LEVELS } from '../../core/trust/identity.ts';
import { MAX_SCORE, MIN_SCORE } from '../../core/trust/tiers.ts';
import { ProviderConfigSchema } from '../../providers/provider.ts';
import { MAX_EVENTS_PER_REQUEST } from '../events/ingest-request.ts';

/** POST /v1/agents (agent-registration.ts): the envelope, with the manifest its validateManifest checks. */
export const AgentRegistrationBodySchema = z.strictObject({
  manifest: AgentManifestSchema,
  costPerCall: z.number().min(0).max(1_000),
  provider: ProviderConfigSchema.default({ kind: 'local' }),
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

/**
 * One entry of POST /v1/events (ingest-request.ts `checkEntry`): its type's own data schema, strict as the
 * route applies it. The route checks entries one by one and rejects a bad one on its own (in the 202's
 * `rejected`); the document describes the entry a client must send to have it accepted.
 */
const IngestEntrySchemas = INGESTIBLE_EVENT_TYPES.map((type) =>
  z.strictObject({
    type: z.literal(type),
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/)
      .optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    data: EVENT_CATALOG[type].data.strict(),
  }),
);

const [FirstIngestEntrySchema, ...OtherIngestEntrySchemas] = IngestEntrySchemas;

export const IngestEventsBodySchema = z.strictObject({
  events: z
    .array(z.discriminatedUnion('type', [FirstIngestEntrySchema!, ...OtherIngestEntrySchemas]))
    .min(1)
    .max(MAX_EVENTS_PER_REQUEST),
});

/** POST /v1/events/redrive (redrive-events.ts): the queue's name, one of the deployment's (see the route). */
export const RedriveEventsBodySchema = z.strictObject({ queue: z.string() });
