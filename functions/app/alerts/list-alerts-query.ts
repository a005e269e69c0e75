// Query string of `GET /v1/alerts`: optional `kind` (circuit_opened, …), `severity` (info, warning,
// critical) and `since` (ISO 8601 with offset: alerts whose cause happened at or after it), `limit`
// (1…100, default 50) and the `nextToken` of the previous page.
import { z } from 'zod';
import { ALERT_KINDS, ALERT_SEVERITIES } from '../../core/alerts/alert-kinds.ts';

export const ListAlertsQuerySchema = z.object({
  kind: z.enum(ALERT_KINDS).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  since: z.iso
    .datetime({ offset: true })
    // Normalised to the alertId's own form (UTC, milliseconds) so that a string comparison is a time one.
    .transform((value) => new Date(value).toISOString())
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
});
