// The query strings of the audit API, validated (a bad parameter is a 400 naming it):
//   GET /v1/audit         type (an event type of the catalog), agentId, workflowId, from / to (ISO 8601,
//                         inclusive bounds on recordedAt, from ≤ to), limit 1…100 (50), order asc|desc
//                         (asc: oldest first), nextToken
//   GET /v1/audit/verify  mode full|checkpoints (full), fromSequence ≥ 1 (full mode only)
// Unknown parameters are refused, so a misspelt filter (`agentID`) is not silently ignored.
import { z } from 'zod';
import { EVENT_TYPES } from '../../core/events/event-catalog.ts';

const isoInstant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());
const subjectId = z.string().min(1).max(256);

export const ListAuditQuerySchema = z
  .strictObject({
    type: z.enum(EVENT_TYPES).optional(),
    agentId: subjectId.optional(),
    workflowId: subjectId.optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    order: z.enum(['asc', 'desc']).default('asc'),
    nextToken: z.string().min(1).max(2048).optional(),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    path: ['to'],
    message: 'must not be before from',
  });

export const VerifyAuditQuerySchema = z
  .strictObject({
    mode: z.enum(['full', 'checkpoints']).default('full'),
    fromSequence: z.coerce.number().int().min(1).optional(),
  })
  .refine((query) => query.mode === 'full' || query.fromSequence === undefined, {
    path: ['fromSequence'],
    message: 'only with mode=full (mode=checkpoints always starts after the last checkpoint)',
  });
