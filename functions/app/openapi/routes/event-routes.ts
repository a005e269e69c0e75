// Events (events.handler.ts, ingest-events.ts, redrive-events.ts): a client's execution and compliance
// events in, and the replay of what a consumer gave up on.
import { MAX_CLOCK_SKEW_MS, MAX_EVENT_AGE_MS } from '../../events/ingest-request.ts';
import { objectOf } from '../response-shapes.ts';
import type { RouteDoc } from '../route-doc.ts';
import { IngestEventsBodySchema, RedriveEventsBodySchema } from '../unexported-request-schemas.ts';
import { BAD_BODY, lacksRole, NOT_PLATFORM_ADMIN } from './error-descriptions.ts';

/**
 * redrive-events.ts UNDELIVERED_EVENTS_QUEUE, spelt out: that module brings the EventBridge client along,
 * which the function serving this document has no use for (test/unit/openapi pins the two equal).
 */
export const UNDELIVERED_EVENTS_QUEUE_NAME = 'undelivered-events';

const MINUTES = MAX_CLOCK_SKEW_MS / 60_000;
const DAYS = MAX_EVENT_AGE_MS / (24 * 3600 * 1000);

export const EVENT_ROUTES: readonly RouteDoc[] = [
  {
    method: 'POST',
    path: '/v1/events',
    operationId: 'ingestEvents',
    summary: 'Ingest events',
    description:
      'Execution outcomes of the tenant’s agents outside a workflow, and compliance findings, put on the ' +
      'bus so trust moves as if the gate had seen them. Entries are checked one by one: one that does not ' +
      'match its type’s schema, names an agent the tenant does not have, or happened more than ' +
      `${MINUTES} minutes ahead or ${DAYS} days ago is rejected on its own and listed in the answer. An ` +
      'entry’s `id` is the client’s idempotency key: the same id always becomes the same event.',
    tag: 'Events',
    access: { kind: 'key', role: 'operator' },
    body: { schemas: [IngestEventsBodySchema], required: true, description: 'The events.' },
    success: {
      status: 202,
      description: 'Some or all entries accepted and put on the bus.',
      schema: objectOf('What became of the entries.', {
        accepted: { type: 'integer', minimum: 1 },
        rejected: {
          type: 'array',
          items: objectOf('A rejected entry: its index and the first problem found.', {
            index: { type: 'integer', minimum: 0 },
            field: { type: 'string' },
            message: { type: 'string' },
          }),
        },
        batchId: { type: 'string' },
      }),
    },
    errors: {
      400: `${BAD_BODY} When no entry is accepted, \`validation_failed\` lists every rejection; nothing is put.`,
      403: lacksRole('operator'),
      503: '`events_unavailable`: the bus did not take the events; retry the request.',
    },
  },
  {
    method: 'POST',
    path: '/v1/events/redrive',
    operationId: 'redriveEvents',
    summary: 'Replay a dead-letter queue',
    description:
      'Moves what a consumer gave up on back to it (`queue`: the consumer’s name), or the events the bus ' +
      `refused back onto the bus (\`queue\`: \`${UNDELIVERED_EVENTS_QUEUE_NAME}\`), at most 1 000 per call; ` +
      'call again to move more. A queue the deployment does not have is refused naming `queue`.',
    tag: 'Events',
    access: { kind: 'key', role: 'platform-admin' },
    body: { schemas: [RedriveEventsBodySchema], required: true, description: 'Which queue.' },
    success: {
      status: 200,
      description: 'Moved.',
      schema: objectOf('What was moved.', {
        queue: { type: 'string' },
        moved: { type: 'integer', minimum: 0 },
      }),
    },
    errors: { 400: BAD_BODY, 403: NOT_PLATFORM_ADMIN },
  },
];
