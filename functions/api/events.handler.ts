// POST /v1/events and POST /v1/events/redrive (docs/backend.md "Events"). Wiring only:
// functions/app/events/ingest-events.ts and redrive-events.ts.
import { randomBytes } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ingestEvents } from '../app/events/ingest-events.ts';
import { redriveEvents } from '../app/events/redrive-events.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { UuidV7Generator } from '../core/intents/uuidv7.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { requiredEnvironment } from '../data/required-environment.ts';
import { busPublisher } from '../events/bus-publisher.ts';
import { routeRequest } from '../http/http-router.ts';
import { jsonResponse } from '../http/json-response.ts';
import { parseJsonBody } from '../http/request-body.ts';
import { requirePlatformAdmin, requireRole } from '../http/request-caller.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { tracer } from '../observability/powertools.ts';

const batchIds = new UuidV7Generator({ nowMs: Date.now, randomBytes });
const ingestion = {
  client: documentClient(),
  agentsTable: tableName('agents'),
  events: busPublisher(),
  clock: Date.now,
  newBatchId: () => batchIds.next(),
};
const redrive = {
  sqs: tracer.captureAWSv3Client(new SQSClient({})),
  eventBridge: tracer.captureAWSv3Client(new EventBridgeClient({})),
  consumerQueues: JSON.parse(requiredEnvironment('CONSUMER_QUEUES')) as Record<
    string,
    { queueUrl: string; deadLetterQueueUrl: string }
  >,
  undeliveredQueueUrl: requiredEnvironment('UNDELIVERED_EVENTS_QUEUE_URL'),
};

export const handler = observedHandler(
  routeRequest(
    {
      'POST /v1/events': async (event, caller) => {
        requireRole(caller, 'operator', 'ingesting events');
        return jsonResponse(202, await ingestEvents(ingestion, caller.tenantId, parseJsonBody(event)));
      },
      // The dead-letter queues hold every tenant's events, and a replay re-runs side effects (webhook
      // deliveries): an operation of the deployment's operators, not of one tenant's admin.
      'POST /v1/events/redrive': async (event, caller) => {
        requirePlatformAdmin(caller, 'replaying a dead-letter queue');
        return jsonResponse(200, await redriveEvents(redrive, parseJsonBody(event)));
      },
    },
    tenantApiRateLimitFromEnvironment(),
  ),
);
