// Escalations (escalations.handler.ts, escalation-routes.ts, review-request.ts): the reviewers' queue.
import { EscalationIdSchema } from '../../escalations/escalation-id.ts';
import { ListEscalationsQuerySchema } from '../../escalations/list-escalations-query.ts';
import {
  ApproveBodySchema as ApproveEscalationBodySchema,
  RejectBodySchema as RejectEscalationBodySchema,
} from '../../escalations/review-request.ts';
import { describedObject, pageOf } from '../response-shapes.ts';
import type { RouteDoc } from '../route-doc.ts';
import {
  BAD_BODY_OR_PARAMETERS,
  BAD_OPTIONAL_BODY,
  BAD_PAGE,
  BAD_PARAMETERS,
  lacksRole,
} from './error-descriptions.ts';

const ESCALATION_ID = {
  schema: EscalationIdSchema,
  description: 'The escalation’s id, `esc-` and 32 lowercase hex characters.',
};
const ESCALATION = describedObject('escalation-view.ts `EscalationView`.');
const NOT_FOUND = '`escalation_not_found`: the tenant has no escalation with this id.';

function review(verdict: 'approve' | 'reject'): RouteDoc {
  const approve = verdict === 'approve';
  return {
    method: 'POST',
    path: `/v1/escalations/{id}/${verdict}`,
    operationId: approve ? 'approveEscalation' : 'rejectEscalation',
    summary: approve ? 'Approve an escalation' : 'Reject an escalation',
    description:
      `${approve ? 'Approves' : 'Rejects'} a PENDING escalation before its deadline; its workflow step ` +
      `${approve ? 'runs' : 'fails'}. The reviewer recorded is the key’s name, its authority the key’s ` +
      `reviewer level, which must reach the escalation’s level. ${
        approve ? 'No body, or `{ comment? }`.' : 'The reason is required, 1…1 000 characters once trimmed.'
      }`,
    tag: 'Escalations',
    access: { kind: 'key', role: 'reviewer' },
    pathParameters: { id: ESCALATION_ID },
    body: approve
      ? { schemas: [ApproveEscalationBodySchema], required: false, description: 'An optional comment.' }
      : { schemas: [RejectEscalationBodySchema], required: true, description: 'Why.' },
    success: { status: 200, description: 'Answered.', schema: ESCALATION },
    errors: {
      400: approve
        ? `${BAD_OPTIONAL_BODY} A bad path parameter: \`validation_failed\` naming \`pathParameters.id\`.`
        : BAD_BODY_OR_PARAMETERS,
      403: `${lacksRole('reviewer')} \`insufficient_authority\`: the key’s reviewer level is below the escalation’s.`,
      404: NOT_FOUND,
      409:
        '`escalation_not_pending`: it was answered or timed out already. `escalation_expired`: its deadline ' +
        'passed.',
    },
  };
}

export const ESCALATION_ROUTES: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/v1/escalations',
    operationId: 'listEscalations',
    summary: 'List escalations',
    description: 'The tenant’s escalations of one status (PENDING unless said), oldest first, paged.',
    tag: 'Escalations',
    access: { kind: 'key', role: 'any' },
    query: ListEscalationsQuerySchema,
    success: {
      status: 200,
      description: 'One page.',
      schema: pageOf('escalation-view.ts `EscalationView`.'),
    },
    errors: { 400: BAD_PAGE },
  },
  {
    method: 'GET',
    path: '/v1/escalations/{id}',
    operationId: 'getEscalation',
    summary: 'Get an escalation',
    description: 'One of the tenant’s escalations.',
    tag: 'Escalations',
    access: { kind: 'key', role: 'any' },
    pathParameters: { id: ESCALATION_ID },
    success: { status: 200, description: 'The escalation.', schema: ESCALATION },
    errors: { 400: BAD_PARAMETERS, 404: NOT_FOUND },
  },
  review('approve'),
  review('reject'),
];
