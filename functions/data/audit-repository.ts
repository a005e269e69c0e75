// AuditTable access (PK `chainKey` S, SK `sequence` N). Per tenant T:
//
//   chainKey T,                    sequence n ≥ 1   record n of T's trail (core/audit/audit-record.ts)
//   chainKey T#head,               sequence 0       { lastSequence, lastHash, lastRecordedAt }
//   chainKey T#event#<eventId>,    sequence 0       { recordSequence }: the event is in the trail
//   chainKey T#checkpoint,         sequence n ≥ 1   checkpoint n (core/audit/audit-checkpoint.ts)
//
// Tenant ids are letters, digits, `-` and `_` (TENANT_ID_PATTERN), so no tenant's records can share a
// partition with another's head, markers or checkpoints.
//
//   appendAuditRecordTransaction(table, record, tip)   one TransactWriteItems: the record (if absent), the
//       head (if still at `tip`) and the event's marker (if absent); sendAuditAppend classifies the result.
//   readAuditRecordPages(…)   the records from a sequence on, page by page (strongly consistent)
//   readAuditCheckpoints, readLatestCheckpoint, putAuditCheckpoint (if absent; a second put is a no-op)
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditCheckpoint } from '../core/audit/audit-checkpoint.ts';
import type { AuditChainTip, AuditRecord } from '../core/audit/audit-record.ts';

export const auditKeys = {
  records: (tenantId: string) => tenantId,
  head: (tenantId: string) => `${tenantId}#head`,
  marker: (tenantId: string, eventId: string) => `${tenantId}#event#${eventId}`,
  checkpoints: (tenantId: string) => `${tenantId}#checkpoint`,
};

export type AuditRecordItem = AuditRecord & { chainKey: string };
export type AuditCheckpointItem = AuditCheckpoint & { chainKey: string; sequence: number };

/** How an append transaction ended: in the trail now, already in it, or beaten to the sequence. */
export type AuditAppendOutcome = 'appended' | 'duplicate' | 'lost_race';

const RECORD_PUT = 0;
const HEAD_PUT = 1;
const MARKER_PUT = 2;

export function appendAuditRecordTransaction(
  table: string,
  record: AuditRecord,
  tip: AuditChainTip | undefined,
): TransactWriteCommandInput {
  const { tenantId } = record;
  return {
    TransactItems: [
      {
        Put: {
          TableName: table,
          Item: { chainKey: auditKeys.records(tenantId), ...record } satisfies AuditRecordItem,
          ConditionExpression: 'attribute_not_exists(chainKey)',
        },
      },
      {
        Put: {
          TableName: table,
          Item: {
            chainKey: auditKeys.head(tenantId),
            sequence: 0,
            lastSequence: record.sequence,
            lastHash: record.hash,
            lastRecordedAt: record.recordedAt,
          },
          ConditionExpression: tip ? 'lastSequence = :previousSequence' : 'attribute_not_exists(chainKey)',
          ...(tip ? { ExpressionAttributeValues: { ':previousSequence': tip.lastSequence } } : {}),
        },
      },
      {
        Put: {
          TableName: table,
          Item: {
            chainKey: auditKeys.marker(tenantId, record.eventId),
            sequence: 0,
            recordSequence: record.sequence,
          },
          ConditionExpression: 'attribute_not_exists(chainKey)',
        },
      },
    ],
  };
}

export async function sendAuditAppend(
  client: DynamoDBDocumentClient,
  table: string,
  record: AuditRecord,
  tip: AuditChainTip | undefined,
): Promise<AuditAppendOutcome> {
  try {
    await client.send(new TransactWriteCommand(appendAuditRecordTransaction(table, record, tip)));
    return 'appended';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
    // The marker exists: this event is in the trail already (a second delivery), whatever else failed.
    if (codes[MARKER_PUT] === 'ConditionalCheckFailed') return 'duplicate';
    const raced = [RECORD_PUT, HEAD_PUT, MARKER_PUT].some(
      (index) => codes[index] === 'ConditionalCheckFailed' || codes[index] === 'TransactionConflict',
    );
    if (raced) return 'lost_race';
    throw error;
  }
}

export async function readAuditHead(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
): Promise<AuditChainTip | undefined> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: table,
      Key: { chainKey: auditKeys.head(tenantId), sequence: 0 },
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  return {
    lastSequence: Item.lastSequence as number,
    lastHash: Item.lastHash as string,
    lastRecordedAt: Item.lastRecordedAt as string,
  };
}

/** The sequence of the record an event was appended as, or undefined if it never was. */
export async function readEventRecordSequence(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  eventId: string,
): Promise<number | undefined> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: table,
      Key: { chainKey: auditKeys.marker(tenantId, eventId), sequence: 0 },
      ConsistentRead: true,
    }),
  );
  return Item?.recordSequence as number | undefined;
}

export async function readAuditRecord(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  sequence: number,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: table,
      Key: { chainKey: auditKeys.records(tenantId), sequence },
      ConsistentRead: true,
    }),
  );
  return Item;
}

/**
 * The tenant's records with sequence ≥ `fromSequence` (and ≤ `toSequence`), ascending, one DynamoDB page
 * (≤ 1 MB) at a time, as stored: the verifier must see tampered items as they are.
 */
export async function* readAuditRecordPages(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  range: { fromSequence: number; toSequence?: number },
): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  const bounded = range.toSequence !== undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: bounded
          ? 'chainKey = :chainKey AND #sequence BETWEEN :from AND :to'
          : 'chainKey = :chainKey AND #sequence >= :from',
        ExpressionAttributeNames: { '#sequence': 'sequence' },
        ExpressionAttributeValues: {
          ':chainKey': auditKeys.records(tenantId),
          ':from': range.fromSequence,
          ...(bounded ? { ':to': range.toSequence } : {}),
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Every checkpoint of the tenant, in number order (100 for 100 000 records). */
export async function readAuditCheckpoints(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'chainKey = :chainKey',
        ExpressionAttributeValues: { ':chainKey': auditKeys.checkpoints(tenantId) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The checkpoint with the highest number ≤ `atMost`, or undefined. */
export async function readLatestCheckpoint(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  atMost: number,
): Promise<AuditCheckpoint | undefined> {
  const { Items } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'chainKey = :chainKey AND #sequence <= :atMost',
      ExpressionAttributeNames: { '#sequence': 'sequence' },
      ExpressionAttributeValues: { ':chainKey': auditKeys.checkpoints(tenantId), ':atMost': atMost },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return Items?.[0] as AuditCheckpoint | undefined;
}

/** Writes the checkpoint unless it exists; an existing one (a concurrent or earlier writer's) is kept. */
export async function putAuditCheckpoint(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  checkpoint: AuditCheckpoint,
): Promise<void> {
  const item: AuditCheckpointItem = {
    chainKey: auditKeys.checkpoints(tenantId),
    sequence: checkpoint.number,
    ...checkpoint,
  };
  try {
    await client.send(
      new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(chainKey)' }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
