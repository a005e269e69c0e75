// POST /v1/workflows, GET /v1/workflows, GET /v1/workflows/{id} (docs/backend.md). Wiring only: the routes live in
// functions/app/workflows/workflow-routes.ts.
import { randomBytes } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { workflowDefaultsFromEnvironment } from '../app/workflows/workflow-defaults.ts';
import type { WorkflowType } from '../app/workflows/workflow-item.ts';
import { MAX_OPEN_WORKFLOWS } from '../app/workflows/workflow-queue.ts';
import {
  getWorkflowRoute,
  listWorkflowsRoute,
  startWorkflowRoute,
} from '../app/workflows/workflow-routes.ts';
import { UuidV7Generator } from '../core/intents/uuidv7.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busAnnouncer } from '../events/bus-publisher.ts';
import { routeRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { tracer } from '../observability/powertools.ts';

function requiredEnvironment(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

const stateMachineArns: Readonly<Record<WorkflowType, string>> = {
  sequential: requiredEnvironment('SEQUENTIAL_STATE_MACHINE_ARN'),
  parallel: requiredEnvironment('PARALLEL_STATE_MACHINE_ARN'),
  saga: requiredEnvironment('SAGA_STATE_MACHINE_ARN'),
};
// Read once: a default out of range is a deployment bug and fails the cold start, not a request.
const defaults = workflowDefaultsFromEnvironment(process.env);

const sfn = tracer.captureAWSv3Client(new SFNClient({}));
const workflowIds = new UuidV7Generator({ nowMs: Date.now, randomBytes });
const client = documentClient();
const workflowsTable = tableName('workflows');

export const handler = observedHandler(
  routeRequest(
    {
      'POST /v1/workflows': startWorkflowRoute({
        client,
        workflowsTable,
        gateStateTable: tableName('gateState'),
        maxOpenWorkflows: MAX_OPEN_WORKFLOWS,
        stateMachineArns,
        startExecution: (request) => sfn.send(new StartExecutionCommand(request)),
        clock: Date.now,
        newWorkflowId: () => workflowIds.next(),
        defaults,
        stage: process.env.STAGE,
        events: busAnnouncer(),
      }),
      'GET /v1/workflows': listWorkflowsRoute({ client, workflowsTable }),
      'GET /v1/workflows/{id}': getWorkflowRoute({ client, workflowsTable }),
    },
    tenantApiRateLimitFromEnvironment(),
  ),
);
