// POST /v1/workflows, GET /v1/workflows/{id} (docs/backend.md). Wiring only: the routes live in
// functions/app/workflows/workflow-routes.ts.
import { randomBytes } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { getWorkflowRoute, startWorkflowRoute } from '../app/workflows/workflow-routes.ts';
import { UuidV7Generator } from '../core/intents/uuidv7.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { routeRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { tracer } from '../observability/powertools.ts';

const STATE_MACHINE_ENV = 'SEQUENTIAL_STATE_MACHINE_ARN';

const stateMachineArn = process.env[STATE_MACHINE_ENV];
if (!stateMachineArn) throw new Error(`environment variable ${STATE_MACHINE_ENV} is not set`);

const sfn = tracer.captureAWSv3Client(new SFNClient({}));
const workflowIds = new UuidV7Generator({ nowMs: Date.now, randomBytes });
const client = documentClient();
const workflowsTable = tableName('workflows');

export const handler = observedHandler(
  routeRequest({
    'POST /v1/workflows': startWorkflowRoute({
      client,
      workflowsTable,
      stateMachineArn,
      startExecution: (request) => sfn.send(new StartExecutionCommand(request)),
      clock: Date.now,
      newWorkflowId: () => workflowIds.next(),
    }),
    'GET /v1/workflows/{id}': getWorkflowRoute({ client, workflowsTable }),
  }),
);
