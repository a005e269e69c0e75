// GET /v1/escalations, GET /v1/escalations/{id}, POST /v1/escalations/{id}/approve|reject
// (docs/backend.md "Escalations"). Wiring only: the routes live in functions/app/escalations/escalation-routes.ts.
import { SFNClient } from '@aws-sdk/client-sfn';
import { escalationsRoutes } from '../app/escalations/escalation-routes.ts';
import { sfnTaskResponder } from '../app/escalations/task-response.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busAnnouncer } from '../events/bus-publisher.ts';
import { routeRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { tracer } from '../observability/powertools.ts';

export const handler = observedHandler(
  routeRequest(
    escalationsRoutes({
      client: documentClient(),
      tables: { escalations: tableName('escalations'), workflows: tableName('workflows') },
      clock: Date.now,
      // Default configuration: AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL point it at the sandbox.
      tasks: sfnTaskResponder(tracer.captureAWSv3Client(new SFNClient({}))),
      events: busAnnouncer(),
    }),
    tenantApiRateLimitFromEnvironment(),
  ),
);
