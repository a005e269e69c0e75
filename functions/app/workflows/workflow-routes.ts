// The routes of the workflows API:
//   POST /v1/workflows       validate → plan (defaults resolved) → write the workflow → start the execution
//                            of its type's state machine → 202 { workflowId }
//   GET  /v1/workflows       the tenant's workflows, newest first, paged, optionally of one status
//                            (list-workflows.ts) → { items: [summary view], nextToken }
//   GET  /v1/workflows/{id}  the tenant's workflow (workflow-view.ts), 404 for any other

import { z } from 'zod';
import type { Caller } from '../../core/auth/caller.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../http/http-api-event.ts';
import type { RouteHandler } from '../../http/http-router.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { pathParameter } from '../../http/path-parameters.ts';
import { queryParameters } from '../../http/query-parameters.ts';
import { parseJsonBody } from '../../http/request-body.ts';
import { requireRole } from '../../http/request-caller.ts';
import { validateInput } from '../../http/validate-input.ts';
import { listTenantWorkflows } from './list-workflows.ts';
import { ListWorkflowsQuerySchema } from './list-workflows-query.ts';
import { type StartWorkflowDependencies, startWorkflow, WorkflowStartError } from './start-workflow.ts';
import { startWorkflowBodySchema, workflowPlan } from './start-workflow-request.ts';
import type { WorkflowDefaults } from './workflow-defaults.ts';
import { QUEUE_FULL_RETRY_AFTER_SECONDS, WorkflowQueueFullError } from './workflow-queue.ts';
import { workflowView } from './workflow-view.ts';
import { getTenantWorkflow } from './workflows-repository.ts';

export const WorkflowIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'letters, digits and - only');

export interface StartWorkflowRouteDependencies extends StartWorkflowDependencies {
  /** The deployment's defaults for the options a request leaves out. */
  defaults: WorkflowDefaults;
  /** The deployment stage (STAGE); production refuses `input.failAt`. */
  stage: string | undefined;
}

export function startWorkflowRoute(deps: StartWorkflowRouteDependencies): RouteHandler {
  return async (event: HttpApiEvent, caller: Caller): Promise<HttpApiResponse> => {
    requireRole(caller, 'operator', 'starting a workflow');
    const { tenantId } = caller;
    const body = parseJsonBody(event);
    const schema = startWorkflowBodySchema(body, { stage: deps.stage });
    const plan = workflowPlan(validateInput(schema, body), deps.defaults);
    try {
      return jsonResponse(202, await startWorkflow(deps, tenantId, plan));
    } catch (error) {
      if (error instanceof WorkflowStartError) {
        throw new ApiError(503, 'workflow_start_failed', error.message);
      }
      if (error instanceof WorkflowQueueFullError) {
        throw new ApiError(503, 'queue_full', error.message, [], {
          'retry-after': String(QUEUE_FULL_RETRY_AFTER_SECONDS),
        });
      }
      throw error;
    }
  };
}

export function getWorkflowRoute(
  deps: Pick<StartWorkflowDependencies, 'client' | 'workflowsTable'>,
): RouteHandler {
  return async (event: HttpApiEvent, { tenantId }: Caller): Promise<HttpApiResponse> => {
    const workflowId = pathParameter(event, 'id', WorkflowIdSchema);
    const workflow = await getTenantWorkflow(deps.client, deps.workflowsTable, tenantId, workflowId);
    if (!workflow) {
      throw notFound('workflow_not_found', `workflow "${workflowId}" does not exist`, 'pathParameters.id');
    }
    return jsonResponse(200, workflowView(workflow));
  };
}

export function listWorkflowsRoute(
  deps: Pick<StartWorkflowDependencies, 'client' | 'workflowsTable'>,
): RouteHandler {
  return async (event: HttpApiEvent, { tenantId }: Caller): Promise<HttpApiResponse> => {
    const query = queryParameters(event, ListWorkflowsQuerySchema);
    const page = await listTenantWorkflows(deps.client, deps.workflowsTable, tenantId, query);
    return jsonResponse(200, { items: page.items, nextToken: page.nextToken ?? null });
  };
}
