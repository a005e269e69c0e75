// POST /v1/events (docs/backend.md "Events"). Wiring only: functions/app/events/ingest-events.ts.
import { randomBytes } from 'node:crypto';
import { ingestEvents } from '../app/events/ingest-events.ts';
import { UuidV7Generator } from '../core/intents/uuidv7.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busPublisher } from '../events/bus-publisher.ts';
import { routeRequest } from '../http/http-router.ts';
import { jsonResponse } from '../http/json-response.ts';
import { parseJsonBody } from '../http/request-body.ts';
import { requestTenant } from '../http/request-headers.ts';
import { observedHandler } from '../observability/observed-handler.ts';

const batchIds = new UuidV7Generator({ nowMs: Date.now, randomBytes });
const dependencies = {
  client: documentClient(),
  agentsTable: tableName('agents'),
  events: busPublisher(),
  clock: Date.now,
  newBatchId: () => batchIds.next(),
};

export const handler = observedHandler(
  routeRequest({
    'POST /v1/events': async (event) =>
      jsonResponse(202, await ingestEvents(dependencies, requestTenant(event), parseJsonBody(event))),
  }),
);
