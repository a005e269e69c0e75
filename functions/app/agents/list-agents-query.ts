// Query string of `GET /v1/agents`: `limit` (1…100, default 50) and the `nextToken` of the previous page.
import { z } from 'zod';

export const ListAgentsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
});
