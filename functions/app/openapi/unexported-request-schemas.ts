// The request schemas the document needs that their routes keep to themselves (a schema local to its route
// file, or built per request): rebuilt here from the same exported parts (patterns, enums, bounds), for
// the document only — no route validates with these. Being copies, each is pinned to its route by
// test/unit/openapi/unexported-request-schemas.test.ts, which sends the same inputs to the route and to
// the document and fails when they disagree; exporting the route's own schema lets it go from here.
import { z } from 'zod';
import { KEY_ID_PATTERN } from '../../core/auth/api-key.ts';
import { EVENT_CATALOG, INGESTIBLE_EVENT_TYPES } from '../../core/events/event-catalog.ts';
import { AgentManifestSchema } from '../../core/policy/agent-manifest.ts';
import { RATE_LIMIT_PLAN_NAMES } from '../../core/rate-limit/rate-limit-plans.ts';
import { DEPLOYMENT_ENVIRONMENTS } from '../../core/trust/context.ts';
import { CERTIFICATE_LEVELS, IDENTITY_VERIFICATION_LEVELS } from '../../core/trust/identity.ts';
import { MAX_SCORE, MIN_SCORE } from '../../core/trust/tiers.ts';
import { ProviderConfigSchema } from '../../providers/provider.ts';
import { TenantIdSchema } from '../auth/tenant-id.ts';
import { MAX_EVENTS_PER_REQUEST } from '../events/ingest-request.ts';

const PAGE_LIMIT = z.coerce.number().int().min(1).max(100).default(50);
const NEXT_TOKEN = z.string().min(1).max(2048).optional();

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

/** GET /v1/workflows/{id} (workflow-routes.ts). */
export const WorkflowIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/);

/** GET|DELETE /v1/api-keys/{keyId} (api-key-routes.ts). */
export const ApiKeyIdSchema = z.string().regex(KEY_ID_PATTERN);

/** GET /v1/api-keys (api-key-routes.ts). */
export const ListApiKeysQuerySchema = z.object({
  limit: PAGE_LIMIT,
  nextToken: NEXT_TOKEN,
  tenantId: TenantIdSchema.optional(),
});

/** PUT /v1/tenants/{tenantId}/plan (tenant-plan-routes.ts). */
export const TenantPlanBodySchema = z.strictObject({
  plan: z.enum(['default', ...RATE_LIMIT_PLAN_NAMES]),
});

/** GET /v1/webhooks (webhook-routes.ts). */
export const ListWebhooksQuerySchema = z.object({ limit: PAGE_LIMIT, nextToken: NEXT_TOKEN });

/** POST /v1/webhooks/redrive (webhook-routes.ts): no body, or `{}`. */
export const WebhookRedriveBodySchema = z.strictObject({});

/** POST /v1/escalations/{id}/approve (review-request.ts): no body, or `{ comment? }`. */
export const ApproveEscalationBodySchema = z.strictObject({
  comment: z.string().trim().min(1).max(1000).optional(),
});

/** POST /v1/escalations/{id}/reject (review-request.ts). */
export const RejectEscalationBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(1000),
});

/** GET /metrics (metrics-route.ts). */
export const MetricsQuerySchema = z.object({ tenant: TenantIdSchema.optional() });
