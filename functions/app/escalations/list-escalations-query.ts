// Query string of `GET /v1/escalations`: `status` (default PENDING), `limit` (1…100, default 50) and the
// `nextToken` of the previous page.
import { z } from 'zod';
import { ESCALATION_STATUSES } from './escalation-item.ts';

export const ListEscalationsQuerySchema = z.object({
  status: z.enum(ESCALATION_STATUSES).default('PENDING'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
});
