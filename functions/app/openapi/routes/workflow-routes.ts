// Workflows (workflows.handler.ts, workflow-routes.ts): the body is startWorkflowBodySchema's two forms,
// a template or explicit steps, which the route tells apart by the `template` key — alternatives that
// exclude each other (each refuses the other's keys), hence a oneOf.

import { ListWorkflowsQuerySchema } from '../../workflows/list-workflows-query.ts';
import {
  MAX_INPUT_EXTRA_BYTES,
  MAX_TASK_TOKENS,
  MAX_WORKFLOW_STEPS,
  startWorkflowBodySchema,
} from '../../workflows/start-workflow-request.ts';
import { MAX_OPEN_WORKFLOWS } from '../../workflows/workflow-queue.ts';
import { WorkflowIdSchema } from '../../workflows/workflow-routes.ts';
import { describedObject, objectOf, pageOf } from '../response-shapes.ts';
import type { RouteDoc } from '../route-doc.ts';
import { BAD_BODY, BAD_PAGE, BAD_PARAMETERS, lacksRole } from './error-descriptions.ts';

// Outside production; the production schema differs only by a refinement (it refuses `input.failAt`),
// which JSON Schema cannot say and the description does.
const NOT_PRODUCTION = { stage: undefined };
const TEMPLATE_FORM = startWorkflowBodySchema({ template: 'report' }, NOT_PRODUCTION);
const EXPLICIT_FORM = startWorkflowBodySchema({}, NOT_PRODUCTION);

export const WORKFLOW_ROUTES: readonly RouteDoc[] = [
  {
    method: 'POST',
    path: '/v1/workflows',
    operationId: 'startWorkflow',
    summary: 'Start a workflow',
    description:
      'Validates the request into a plan (the deployment’s defaults fill in the options left out), writes ' +
      'the workflow and starts its type’s state machine; poll `GET /v1/workflows/{id}`. Either a template ' +
      '(`template`, `input`) or explicit steps (`type`, `input`, `steps`), with the options `remember`, ' +
      '`preference`, `escalation`, `queue` and, for parallel workflows only, `parallel`. Beyond the schema: ' +
      'a step names exactly one of `agentId` or `role`; step names are distinct (at most ' +
      `${MAX_WORKFLOW_STEPS} steps); \`input.task\` is not blank and at most ${MAX_TASK_TOKENS} tokens; ` +
      '`input.subtasks` (parallel only) has one entry per step; `input.failAt` names a step and is refused ' +
      `in production; the keys of \`input\` besides these are at most ${MAX_INPUT_EXTRA_BYTES} bytes of ` +
      `JSON, 16 levels deep. A tenant has at most ${MAX_OPEN_WORKFLOWS} open workflows.`,
    tag: 'Workflows',
    access: { kind: 'key', role: 'operator' },
    body: {
      schemas: [TEMPLATE_FORM, EXPLICIT_FORM],
      required: true,
      description: 'A template, or explicit steps.',
    },
    success: {
      status: 202,
      description: 'Started.',
      schema: objectOf('The new workflow.', { workflowId: { type: 'string' } }),
    },
    errors: {
      400: BAD_BODY,
      403: lacksRole('operator'),
      503:
        '`queue_full`: the tenant’s open workflows are at their limit; retry after `Retry-After` seconds. ' +
        '`workflow_start_failed`: the state machine did not start.',
    },
    retryAfterOn503: true,
  },
  {
    method: 'GET',
    path: '/v1/workflows',
    operationId: 'listWorkflows',
    summary: 'List workflows',
    description:
      'The tenant’s workflows, newest first, paged, of one status as `GET /v1/workflows/{id}` shows it when ' +
      '`status` is given. A filter that matches little of a long history may answer a short page, even an ' +
      'empty one, with a `nextToken`: continue with it.',
    tag: 'Workflows',
    access: { kind: 'key', role: 'any' },
    query: ListWorkflowsQuerySchema,
    success: {
      status: 200,
      description: 'One page.',
      schema: pageOf(
        'workflow-view.ts `WorkflowSummaryView`: status, a preview of the task, each step’s agent, status ' +
          'and decision.',
      ),
    },
    errors: { 400: BAD_PAGE },
  },
  {
    method: 'GET',
    path: '/v1/workflows/{id}',
    operationId: 'getWorkflow',
    summary: 'Get a workflow',
    description:
      'The workflow in one stable shape from start to end: every field present, null until it happens. ' +
      'While it runs its status is derived from its steps (WAITING_APPROVAL, QUEUED or RUNNING).',
    tag: 'Workflows',
    access: { kind: 'key', role: 'any' },
    pathParameters: { id: { schema: WorkflowIdSchema, description: 'The workflow’s id.' } },
    success: {
      status: 200,
      description: 'The workflow.',
      schema: describedObject('workflow-view.ts `WorkflowView`: status, options, steps, result, error, …'),
    },
    errors: { 400: BAD_PARAMETERS, 404: '`workflow_not_found`: the tenant has no workflow with this id.' },
  },
];
