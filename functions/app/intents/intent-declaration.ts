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
import { nestedAtMost, numbersAreExact } from '../json-bounds.ts';

export const MAX_CONTEXT_BYTES = 16_384;
// DynamoDB nests attributes at most 32 levels deep; the item wraps the context in one level.
const MAX_CONTEXT_DEPTH = 16;

const IntentContextSchema = z
  .unknown()
  // The depth first, and aborting: z.json() and JSON.stringify recurse once per level, so a context nested
  // thousands of levels deep overflowed the stack before the depth refinement ran (a 500; found by the
  // fuzz suite, test/integration/fuzz).
  .refine((context) => nestedAtMost(context, MAX_CONTEXT_DEPTH), {
    message: `nested at most ${MAX_CONTEXT_DEPTH} levels deep`,
    abort: true,
  })
  .pipe(
    z
      .record(z.string(), z.json())
      .refine((context) => Buffer.byteLength(JSON.stringify(context), 'utf8') <= MAX_CONTEXT_BYTES, {
        message: `at most ${MAX_CONTEXT_BYTES} bytes of JSON`,
      })
      .refine((context) => numbersAreExact(context), {
        message: 'numbers must be within ±2^53 (DynamoDB would not return larger ones exactly)',
      }),
  );

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
