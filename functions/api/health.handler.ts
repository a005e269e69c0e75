// GET /health and GET /ready, the unauthenticated probes (docs/backend.md "Health probes"), and GET
// /openapi.json, the API's OpenAPI document, unauthenticated too. Reads AWS_LAMBDA_FUNCTION_MEMORY_SIZE (set
// by Lambda), READINESS_TABLES and READINESS_QUEUES. Wiring only: the checks live in functions/app/health/,
// the document in functions/app/openapi/.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { healthRoutes } from '../app/health/health-routes.ts';
import { memoryInUse } from '../app/health/memory-in-use.ts';
import { parseReadinessQueues, parseReadinessTables } from '../app/health/readiness-targets.ts';
import { openApiRoutes } from '../app/openapi/openapi-route.ts';
import { PolicyStore } from '../core/policy/policy-store.ts';
import { routePublicRequest } from '../http/http-router.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { tracer } from '../observability/powertools.ts';

export const handler = observedHandler(
  routePublicRequest({
    ...healthRoutes({
      memoryLimit: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      memoryInUse,
      dynamodb: tracer.captureAWSv3Client(new DynamoDBClient({})),
      tables: parseReadinessTables(process.env.READINESS_TABLES),
      sqs: tracer.captureAWSv3Client(new SQSClient({})),
      queues: parseReadinessQueues(process.env.READINESS_QUEUES),
      // As the gate and the intents API build theirs; no memo, so the probe decision asks Cedar every time.
      loadPolicies: () => new PolicyStore({ clock: Date.now, answerMemoCapacity: 0 }),
    }),
    ...openApiRoutes(),
  }),
);
