// The body of `POST /v1/intents` (SPEC §3): { agentId, action, resource: { id, type }, context?, requiredTier? }.
//   action        one of AGENT_ACTIONS (the closed vocabulary policies speak about); an action the agent's
//                 manifest does not declare is not a 400 but a recorded DENY (L1, decided by the PolicyStore)
//   context       any JSON object, hashed into the record; bounded so a record stays a small DynamoDB item
//                 and every number survives the round trip through DynamoDB exactly
//   requiredTier  "T0"…"T5"; absent → the action's baseline tier
import { z } from 'zod';
import type { JsonObject } from '../../core/intents/canonical-json.ts';
import { AGENT_ACTIONS } from '../../core/policy/agent-actions.ts';
import { parseTierCode } from '../../core/trust/tiers.ts';
import { AgentIdSchema } from '../agents/agent-id.ts';

export const MAX_CONTEXT_BYTES = 16_384;
// DynamoDB nests attributes at most 32 levels deep; the item wraps the context in one level.
const MAX_CONTEXT_DEPTH = 16;

const IntentContextSchema = z
  .record(z.string(), z.json())
  .refine((context) => Buffer.byteLength(JSON.stringify(context), 'utf8') <= MAX_CONTEXT_BYTES, {
    message: `at most ${MAX_CONTEXT_BYTES} bytes of JSON`,
  })
  .refine((context) => depthOf(context) <= MAX_CONTEXT_DEPTH, {
    message: `nested at most ${MAX_CONTEXT_DEPTH} levels deep`,
  })
  .refine((context) => everyNumberIsExact(context), {
    message: 'numbers must be within ±2^53 (DynamoDB would not return larger ones exactly)',
  });

export const IntentDeclarationSchema = z.strictObject({
  agentId: AgentIdSchema,
  action: z.enum(AGENT_ACTIONS),
  resource: z.strictObject({
    id: z.string().min(1).max(512),
    type: z.string().min(1).max(100),
  }),
  context: IntentContextSchema.default({}),
  requiredTier: z
    .string()
    .transform((code, issue) => {
      const tier = parseTierCode(code);
      if (tier === undefined) issue.addIssue({ code: 'custom', message: 'a tier code "T0"…"T5"' });
      return tier ?? z.NEVER;
    })
    .optional(),
});

export type IntentDeclaration = Omit<z.output<typeof IntentDeclarationSchema>, 'context'> & {
  context: JsonObject;
};

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const members = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...members.map(depthOf));
}

function everyNumberIsExact(value: unknown): boolean {
  if (typeof value === 'number') return Math.abs(value) <= Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'object' || value === null) return true;
  const members = Array.isArray(value) ? value : Object.values(value);
  return members.every(everyNumberIsExact);
}
