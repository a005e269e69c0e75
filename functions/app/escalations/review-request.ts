// What `POST /v1/escalations/{id}/approve` and `…/reject` ask, validated before anything is read:
//   X-Trustgate-Role              reviewer or admin, else 403 forbidden (an unknown role is a 400, as everywhere)
//   X-Trustgate-Reviewer-Level    1…3, required (400 naming headers.x-trustgate-reviewer-level)
//   X-Trustgate-Reviewer          who answers; `anonymous` when absent
//   pathParameters.id             an escalation id (escalation-id.ts)
//   body                          approve: { comment? } or no body at all; reject: { reason } (1…1000 characters)
// Until the API-key authorizer lands these headers come from the caller; it will set them from the key.
import { z } from 'zod';
import { ApiError } from '../../http/api-error.ts';
import type { HttpApiEvent } from '../../http/http-api-event.ts';
import { pathParameter } from '../../http/path-parameters.ts';
import { parseJsonBody } from '../../http/request-body.ts';
import { callerRole, ROLE_HEADER, requestReviewer, requestTenant } from '../../http/request-headers.ts';
import { validateInput } from '../../http/validate-input.ts';
import { EscalationIdSchema } from './escalation-id.ts';

const MAX_REVIEW_TEXT = 1000;

const ApproveBodySchema = z.strictObject({
  comment: z.string().trim().min(1).max(MAX_REVIEW_TEXT).optional(),
});

const RejectBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(MAX_REVIEW_TEXT),
});

export type ReviewVerdict = { kind: 'approve'; comment?: string } | { kind: 'reject'; reason: string };

export interface ReviewRequest {
  tenantId: string;
  escalationId: string;
  reviewer: string;
  reviewerLevel: number;
  verdict: ReviewVerdict;
}

const REVIEWING_ROLES = ['reviewer', 'admin'] as const;

export function reviewRequest(event: HttpApiEvent, kind: ReviewVerdict['kind']): ReviewRequest {
  const tenantId = requestTenant(event);
  const role = callerRole(event);
  if (!REVIEWING_ROLES.some((allowed) => allowed === role)) {
    throw new ApiError(403, 'forbidden', 'only a reviewer or an admin may answer an escalation', [
      { field: `headers.${ROLE_HEADER}`, message: `requires ${REVIEWING_ROLES.join(' or ')}` },
    ]);
  }
  const { reviewer, reviewerLevel } = requestReviewer(event);
  const escalationId = pathParameter(event, 'id', EscalationIdSchema);
  const verdict: ReviewVerdict =
    kind === 'approve'
      ? { kind, ...validateInput(ApproveBodySchema, optionalJsonBody(event)) }
      : { kind, ...validateInput(RejectBodySchema, parseJsonBody(event)) };
  return { tenantId, escalationId, reviewer, reviewerLevel, verdict };
}

/** An approval needs nothing but the headers: no body reads as `{}`. */
function optionalJsonBody(event: HttpApiEvent): unknown {
  return event.body === undefined || event.body === '' ? {} : parseJsonBody(event);
}
