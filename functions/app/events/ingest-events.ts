// POST /v1/events: a client reports what its agents did outside a workflow (execution outcomes) and what
// its reviews found (compliance), so their trust moves as if the gate had seen it. Valid entries are put
// on the bus with the source `trustgate.ingest`; the trust calculator, analytics, audit and webhooks take
// them from there like any other event.
//
//   202 { accepted, rejected: [{ index, field, message }], batchId }   some or all entries accepted
//   400 validation_failed, the rejections as details                    none accepted (nothing is put)
//   503 events_unavailable                                              the bus refused them: retry
// An entry naming an agent the tenant does not have is rejected (`events.<i>.data.agentId`): trust signals
// about nobody would only fill the DLQ.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EVENT_SOURCES } from '../../core/events/event-catalog.ts';
import { newEvent, type TrustgateEvent } from '../../core/events/event-envelope.ts';
import { getAgent } from '../../data/agents-repository.ts';
import { EventPublishError, type EventPublisher } from '../../events/event-publisher.ts';
import { ApiError, type FieldError, validationFailed } from '../../http/api-error.ts';
import { validateInput } from '../../http/validate-input.ts';
import { checkEntry, IngestBodySchema, type IngestEntry } from './ingest-request.ts';

export interface IngestDependencies {
  client: DynamoDBDocumentClient;
  agentsTable: string;
  events: EventPublisher;
  clock: () => number;
  newBatchId: () => string;
}

export interface IngestResult {
  accepted: number;
  rejected: (FieldError & { index: number })[];
  batchId: string;
}

export async function ingestEvents(
  deps: IngestDependencies,
  tenantId: string,
  body: unknown,
): Promise<IngestResult> {
  const { events: raw } = validateInput(IngestBodySchema, body);
  const now = deps.clock();
  const batchId = deps.newBatchId();
  const rejected: IngestResult['rejected'] = [];
  const valid: IngestEntry[] = [];
  raw.forEach((entry, index) => {
    const check = checkEntry(entry, index, now);
    if (check.ok) valid.push(check.entry);
    else rejected.push({ index, ...check.rejection });
  });

  const known = await knownAgents(deps, tenantId, new Set(valid.map((entry) => entry.data.agentId)));
  const accepted = valid.filter((entry) => {
    if (known.has(entry.data.agentId)) return true;
    rejected.push({
      index: entry.index,
      field: `events.${entry.index}.data.agentId`,
      message: `agent "${entry.data.agentId}" is not registered in tenant "${tenantId}"`,
    });
    return false;
  });
  rejected.sort((a, b) => a.index - b.index);
  if (accepted.length === 0) throw validationFailed(rejected.map(({ index: _, ...error }) => error));

  const events: TrustgateEvent[] = accepted.map((entry) =>
    newEvent(entry.type, {
      tenantId,
      key: entry.clientId === undefined ? `${batchId}#${entry.index}` : `client#${entry.clientId}`,
      occurredAt: entry.occurredAt,
      data: entry.data as never,
    }),
  );
  try {
    await deps.events.publish(events, { source: EVENT_SOURCES.ingest });
  } catch (error) {
    if (!(error instanceof EventPublishError)) throw error;
    throw new ApiError(
      503,
      'events_unavailable',
      'the event bus did not accept the events; retry the request',
      [],
    );
  }
  return { accepted: accepted.length, rejected, batchId };
}

/** The agent ids among `ids` registered in the tenant (reads run in parallel; a batch names few agents). */
async function knownAgents(
  deps: IngestDependencies,
  tenantId: string,
  ids: Set<string>,
): Promise<Set<string>> {
  const found = await Promise.all(
    [...ids].map(async (agentId) =>
      (await getAgent(deps.client, deps.agentsTable, tenantId, agentId)) ? agentId : undefined,
    ),
  );
  return new Set(found.filter((id): id is string => id !== undefined));
}
