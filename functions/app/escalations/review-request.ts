// What `POST /v1/escalations/{id}/approve` and `…/reject` ask, validated before anything is read:
//   the caller's key          must have the reviewer role; its authority level (1…3) and its name (who
//                             answered) come from the key, nothing from the request
//   pathParameters.id         an escalation id (escalation-id.ts)
//   body                      approve: { comment? } or no body at all; reject: { reason } (1…1000 characters)
import { z } from 'zod';
import type { Caller } from '../../core/auth/caller.ts';
import type { HttpApiEvent } from '../../http/http-api-event.ts';
import { pathParameter } from '../../http/path-parameters.ts';
import { parseJsonBody } from '../../http/request-body.ts';
import { requireRole } from '../../http/request-caller.ts';
import { validateInput } from '../../http/validate-input.ts';
import { EscalationIdSchema } from './escalation-id.ts';

const MAX_REVIEW_TEXT = 1000;

export const ApproveBodySchema = z.strictObject({
  comment: z.string().trim().min(1).max(MAX_REVIEW_TEXT).optional(),
});

export const RejectBodySchema = z.strictObject({
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

export function reviewRequest(
  event: HttpApiEvent,
  caller: Caller,
  kind: ReviewVerdict['kind'],
): ReviewRequest {
  requireRole(caller, 'reviewer', 'answering an escalation');
  // A reviewer key always carries its level (api-key-item.ts); the fallback only satisfies the type.
  const reviewerLevel = caller.reviewerLevel ?? 0;
  const { tenantId, name: reviewer } = caller;
  const escalationId = pathParameter(event, 'id', EscalationIdSchema);
  const verdict: ReviewVerdict =
    kind === 'approve'
      ? { kind, ...validateInput(ApproveBodySchema, optionalJsonBody(event)) }
      : { kind, ...validateInput(RejectBodySchema, parseJsonBody(event)) };
  return { tenantId, escalationId, reviewer, reviewerLevel, verdict };
}

/** An approval needs nothing but the key: no body reads as `{}`. */
function optionalJsonBody(event: HttpApiEvent): unknown {
  return event.body === undefined || event.body === '' ? {} : parseJsonBody(event);
}
