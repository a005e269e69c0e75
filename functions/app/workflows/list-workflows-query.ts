// Query string of `GET /v1/workflows`: `status` (a status as GET /v1/workflows/{id} shows it: RUNNING, QUEUED,
// WAITING_APPROVAL, SUCCEEDED, FAILED, COMPENSATED), `limit` (1…100, default 50) and the `nextToken` of the
// previous page. Unknown parameters are refused (functions/http/query-parameters.ts).
import { z } from 'zod';
import type { WorkflowViewStatus } from './workflow-item.ts';

export const WORKFLOW_VIEW_STATUSES = [
  'RUNNING',
  'QUEUED',
  'WAITING_APPROVAL',
  'SUCCEEDED',
  'FAILED',
  'COMPENSATED',
] as const satisfies readonly WorkflowViewStatus[];

export const ListWorkflowsQuerySchema = z.object({
  status: z.enum(WORKFLOW_VIEW_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
});
