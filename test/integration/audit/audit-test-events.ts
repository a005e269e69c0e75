// Bus events for the audit integration tests, built with the event contract's own newEvent, and a seeder
// that writes a valid pre-built trail straight into AuditTable (BatchWriteItem), for long trails the
// consumer would take too long to append one by one (the benchmark uses it too).
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { buildCheckpoint } from '../../../functions/core/audit/audit-checkpoint.ts';
import {
  type AuditChainTip,
  type AuditRecord,
  buildAuditRecord,
  tipOf,
} from '../../../functions/core/audit/audit-record.ts';
import { EVENT_CATALOG } from '../../../functions/core/events/event-catalog.ts';
import {
  type BusEvent,
  newEvent,
  type TrustgateEvent,
} from '../../../functions/core/events/event-envelope.ts';
import { auditKeys } from '../../../functions/data/audit-repository.ts';

export const T0 = Date.UTC(2026, 11, 5, 9);

/** The i-th event of a tenant: a decision of agent-(i mod 3) in workflow wf-(i mod 2), or a workflow start. */
export function auditTestEvent(tenantId: string, index: number): TrustgateEvent {
  const occurredAt = T0 + index * 1000;
  if (index % 4 === 3) {
    return newEvent('workflow.started', {
      tenantId,
      key: `wf-start-${index}`,
      occurredAt,
      data: { workflowId: `wf-${index % 2}`, type: 'sequential', template: null, steps: ['research'] },
    });
  }
  return newEvent('intent.decided', {
    tenantId,
    key: `intent-${index}`,
    occurredAt,
    data: {
      intentId: `int-${index}`,
      agentId: `agent-${index % 3}`,
      action: 'search_web',
      decision: index % 5 === 0 ? 'DENY' : 'ALLOW',
      reasons: ['default-policy'],
      agentTier: 'T3',
      score: 580,
      workflowId: `wf-${index % 2}`,
    },
  });
}

/** The event as an EventBridge rule puts it on the consumer's queue. */
export function busEventOf(detail: TrustgateEvent): BusEvent {
  return {
    id: `eb-${detail.eventId}`,
    source: EVENT_CATALOG[detail.type].source,
    'detail-type': detail.type,
    time: detail.occurredAt,
    detail,
  };
}

/** A valid trail of `count` records (with its head and the checkpoints of `interval`), batch-written. */
export async function seedAuditTrail(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  count: number,
  interval: number,
  concurrency = 8,
): Promise<{ records: AuditRecord[]; tip: AuditChainTip | undefined }> {
  const records: AuditRecord[] = [];
  let tip: AuditChainTip | undefined;
  for (let i = 0; i < count; i++) {
    const event = auditTestEvent(tenantId, i);
    const record = buildAuditRecord(
      tip,
      { ...event, source: EVENT_CATALOG[event.type].source, data: event.data },
      T0 + i * 1000 + 10,
    );
    records.push(record);
    tip = tipOf(record);
  }
  const items: Record<string, unknown>[] = records.map((record) => ({
    chainKey: auditKeys.records(tenantId),
    ...record,
  }));
  let previous: ReturnType<typeof buildCheckpoint> | undefined;
  for (let number = 1; number * interval <= count; number++) {
    previous = buildCheckpoint(
      number,
      records.slice((number - 1) * interval, number * interval),
      previous,
      interval,
    );
    items.push({ chainKey: auditKeys.checkpoints(tenantId), sequence: number, ...previous });
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const writeBatch = async (batch: Record<string, unknown>[]) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) await writeBatch(batches[next++]!);
    }),
  );
  if (tip) {
    await client.send(
      new PutCommand({ TableName: table, Item: { chainKey: auditKeys.head(tenantId), sequence: 0, ...tip } }),
    );
  }
  return { records, tip };
}
