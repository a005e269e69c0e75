// What the memories routes accept (docs/backend.md "Memory"): the body of POST /v1/agents/{id}/memories,
// the query of GET /v1/agents/{id}/memories and a memory id in the path. Unknown keys are refused and every
// refusal names its field.
import { z } from 'zod';
import { withinTokens } from '../../core/budget/within-tokens.ts';
import {
  DEFAULT_MEMORY_IMPORTANCE,
  DEFAULT_RECALL_LIMIT,
  MAX_MEMORY_TEXT_CHARACTERS,
  MAX_MEMORY_TEXT_TOKENS,
  MAX_RECALL_LIMIT,
  MEMORY_LAYERS,
} from '../../core/memory/memory-limits.ts';

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const IDENTIFIER_MESSAGE = 'letters, digits and . _ : - only, starting with a letter or digit';
const TOKENS_MESSAGE = `must be at most ${MAX_MEMORY_TEXT_TOKENS} tokens`;

export const MemoryTextSchema = z
  .string({ error: 'must be a string' })
  .max(MAX_MEMORY_TEXT_CHARACTERS, { message: TOKENS_MESSAGE, abort: true })
  .refine((text) => text.trim() !== '', { message: 'must not be empty', abort: true })
  .refine((text) => withinTokens(text, MAX_MEMORY_TEXT_TOKENS), TOKENS_MESSAGE);

const LayerSchema = z.enum(MEMORY_LAYERS, { error: `must be one of ${MEMORY_LAYERS.join(', ')}` });
const ImportanceSchema = z.number({ error: 'must be a number within [0, 1]' }).min(0).max(1);

export const RememberBodySchema = z.strictObject({
  text: MemoryTextSchema,
  layer: LayerSchema.default('long-term'),
  importance: ImportanceSchema.default(DEFAULT_MEMORY_IMPORTANCE),
  source: z
    .strictObject({
      workflowId: z.string().min(1).max(128).regex(IDENTIFIER, IDENTIFIER_MESSAGE).optional(),
      step: z.string().min(1).max(64).regex(IDENTIFIER, IDENTIFIER_MESSAGE).optional(),
      intentId: z.string().min(1).max(128).regex(IDENTIFIER, IDENTIFIER_MESSAGE).optional(),
    })
    .optional(),
});

export type RememberBody = z.output<typeof RememberBodySchema>;

export const RecallQuerySchema = z.object({
  // A query is embedded like a memory, so it is bounded like one.
  query: MemoryTextSchema.optional(),
  layer: LayerSchema.optional(),
  limit: z.coerce
    .number({ error: `must be an integer within [1, ${MAX_RECALL_LIMIT}]` })
    .int(`must be an integer within [1, ${MAX_RECALL_LIMIT}]`)
    .min(1, `must be an integer within [1, ${MAX_RECALL_LIMIT}]`)
    .max(MAX_RECALL_LIMIT, `must be an integer within [1, ${MAX_RECALL_LIMIT}]`)
    .default(DEFAULT_RECALL_LIMIT),
});

export type RecallQuery = z.output<typeof RecallQuerySchema>;

/** `lt_<32 hex>` or `st_<sequence>`, as the memories API issues them. */
export const MemoryIdSchema = z
  .string()
  .regex(/^(lt_[0-9a-f]{32}|st_[1-9][0-9]{0,15})$/, 'a memory id such as lt_… or st_…');
