// MemoryTable access (docs/backend.md "Memory"): PK `agentKey` = `<tenantId>#<agentId>`, SK `slot`.
//
//   slot `long#<d>#<memoryId>`  a long-term memory; memoryId `lt_<32 hex>` (a UUIDv7), `d` its last hex digit:
//                            the shard recall reads it in (scanMemoryVectorRows)
//   slot `short#<NNN>`       one of the agent's SHORT_TERM_SLOTS_PER_AGENT short-term slots; memoryId
//                            `st_<sequence>` lives in slot sequence mod the slot count, so the next write
//                            past the ring overwrites the oldest; `expiresAt` (epoch seconds) is the TTL
//   slot `meta`              longTermCount (kept exact: every long-term put and delete moves it in the same
//                            transaction, under the bound) and shortTermSequence (the ring's last sequence)
// Tenant and agent ids never contain `#` (letters, digits and `. _ : -`), so keys of two agents never mix.
//
// A memory item: memoryId, tenantId, agentId, layer, text, importance, source?, embedderId, vector (binary,
// vector-codec.ts), createdAt (ISO 8601), createdAtMs, expiresAt (short-term only). Recall reads the agent's
// partition without the texts (a projection) and fetches only the winners' texts, so scoring 10 000
// memories moves their vectors, not their words.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  MAX_LONG_TERM_MEMORIES_PER_AGENT,
  type MemoryLayer,
  SHORT_TERM_SLOTS_PER_AGENT,
  SHORT_TERM_TTL_MS,
} from '../core/memory/memory-limits.ts';
import { chainKey, type TransactWriteItem } from './intent-ledger.ts';

export interface MemorySource {
  workflowId?: string;
  /** The step's name. */
  step?: string;
  stepIndex?: number;
  intentId?: string;
}

export interface StoredMemory {
  agentKey: string;
  slot: string;
  memoryId: string;
  tenantId: string;
  agentId: string;
  layer: MemoryLayer;
  text: string;
  importance: number;
  source?: MemorySource;
  embedderId: string;
  vector: Uint8Array;
  createdAt: string;
  /** Epoch milliseconds. */
  createdAtMs: number;
  /** Epoch seconds; short-term only. */
  expiresAt?: number;
}

/** What recall scores: a stored memory without its text. */
export type MemoryVectorRow = Omit<StoredMemory, 'text' | 'source' | 'tenantId' | 'agentId'>;

/** A memory to store: what its writer knows; keys, ids and timestamps' other forms are derived. */
export type NewMemory = Pick<
  StoredMemory,
  | 'tenantId'
  | 'agentId'
  | 'layer'
  | 'text'
  | 'importance'
  | 'source'
  | 'embedderId'
  | 'vector'
  | 'createdAtMs'
>;

export const META_SLOT = 'meta';
const LONG_TERM_PREFIX = 'long#';
const SHORT_TERM_PREFIX = 'short#';
const LONG_TERM_ID = /^lt_[0-9a-f]{32}$/;
const SHORT_TERM_ID = /^st_([1-9][0-9]{0,15})$/;

/** Refused: the agent already holds MAX_LONG_TERM_MEMORIES_PER_AGENT long-term memories. */
export class MemoryLimitReachedError extends Error {
  override readonly name = 'MemoryLimitReachedError';
  readonly limit = MAX_LONG_TERM_MEMORIES_PER_AGENT;
}

/** An agent's partition: the same `<tenantId>#<agentId>` as its intent chain's key. */
export const agentKey = chainKey;

/** A long-term memory id from a UUIDv7. */
export function longTermMemoryId(uuid: string): string {
  return `lt_${uuid.replaceAll('-', '').toLowerCase()}`;
}

function longTermSlot(memoryId: string): string {
  return `${LONG_TERM_PREFIX}${memoryId.at(-1)}#${memoryId}`;
}

function shortTermSlot(sequence: number): string {
  const width = String(SHORT_TERM_SLOTS_PER_AGENT - 1).length;
  return `${SHORT_TERM_PREFIX}${String(sequence % SHORT_TERM_SLOTS_PER_AGENT).padStart(width, '0')}`;
}

/** Where a memory id lives, or undefined for an id this table never issues. */
export function memorySlot(memoryId: string): string | undefined {
  if (LONG_TERM_ID.test(memoryId)) return longTermSlot(memoryId);
  const shortTerm = SHORT_TERM_ID.exec(memoryId);
  if (shortTerm) {
    const sequence = Number(shortTerm[1]);
    return Number.isSafeInteger(sequence) ? shortTermSlot(sequence) : undefined;
  }
  return undefined;
}

function storedMemory(memory: NewMemory, memoryId: string, slot: string): StoredMemory {
  return {
    agentKey: agentKey(memory.tenantId, memory.agentId),
    slot,
    memoryId,
    tenantId: memory.tenantId,
    agentId: memory.agentId,
    layer: memory.layer,
    text: memory.text,
    importance: memory.importance,
    ...(memory.source === undefined ? {} : { source: memory.source }),
    embedderId: memory.embedderId,
    vector: memory.vector,
    createdAt: new Date(memory.createdAtMs).toISOString(),
    createdAtMs: memory.createdAtMs,
    ...(memory.layer === 'short-term'
      ? { expiresAt: Math.ceil((memory.createdAtMs + SHORT_TERM_TTL_MS) / 1000) }
      : {}),
  };
}

/**
 * The two transaction items that store a long-term memory under the bound: the memory (once) and the
 * agent's count, raised only while below MAX_LONG_TERM_MEMORIES_PER_AGENT. Index 1 failing its condition
 * means the bound was reached (`isLongTermLimitCancellation`).
 */
export function longTermMemoryWrites(
  table: string,
  memory: NewMemory & { layer: 'long-term' },
  memoryId: string,
): { memory: StoredMemory; items: [TransactWriteItem, TransactWriteItem] } {
  const stored = storedMemory(memory, memoryId, longTermSlot(memoryId));
  return {
    memory: stored,
    items: [
      {
        Put: { TableName: table, Item: stored, ConditionExpression: 'attribute_not_exists(slot)' },
      },
      {
        Update: {
          TableName: table,
          Key: { agentKey: stored.agentKey, slot: META_SLOT },
          UpdateExpression: 'ADD longTermCount :one',
          ConditionExpression: 'attribute_not_exists(longTermCount) OR longTermCount < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': MAX_LONG_TERM_MEMORIES_PER_AGENT },
        },
      },
    ],
  };
}

/** Whether the count item (at `countItemIndex` of a cancelled transaction) refused: the bound was reached. */
export function isLongTermLimitCancellation(error: unknown, countItemIndex: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[countItemIndex]?.Code === 'ConditionalCheckFailed'
  );
}

/**
 * Takes the agent's next short-term sequence (an atomic counter: concurrent writers get different slots).
 * A sequence taken by a write that then fails leaves its slot as it was, which costs nothing.
 */
export async function takeShortTermSequence(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  agentId: string,
): Promise<number> {
  const { Attributes } = await client.send(
    new UpdateCommand({
      TableName: table,
      Key: { agentKey: agentKey(tenantId, agentId), slot: META_SLOT },
      UpdateExpression: 'ADD shortTermSequence :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.shortTermSequence);
}

/** The Put of a short-term memory into its ring slot, overwriting whatever the slot held. */
export function shortTermMemoryWrite(
  table: string,
  memory: NewMemory & { layer: 'short-term' },
  sequence: number,
): { memory: StoredMemory; item: TransactWriteItem } {
  const stored = storedMemory(memory, `st_${sequence}`, shortTermSlot(sequence));
  return { memory: stored, item: { Put: { TableName: table, Item: stored } } };
}

/** Stores a memory outside any other transaction (the memories API); MemoryLimitReachedError past the bound. */
export async function putMemory(
  client: DynamoDBDocumentClient,
  table: string,
  memory: NewMemory,
  newUuid: () => string,
): Promise<StoredMemory> {
  if (memory.layer === 'short-term') {
    const sequence = await takeShortTermSequence(client, table, memory.tenantId, memory.agentId);
    const write = shortTermMemoryWrite(table, { ...memory, layer: 'short-term' }, sequence);
    await client.send(new PutCommand(write.item.Put!));
    return write.memory;
  }
  const write = longTermMemoryWrites(table, { ...memory, layer: 'long-term' }, longTermMemoryId(newUuid()));
  try {
    await client.send(new TransactWriteCommand({ TransactItems: write.items }));
  } catch (error) {
    if (isLongTermLimitCancellation(error, 1)) {
      throw new MemoryLimitReachedError(
        `agent "${memory.agentId}" already holds ${MAX_LONG_TERM_MEMORIES_PER_AGENT} long-term memories`,
      );
    }
    throw error;
  }
  return write.memory;
}

/**
 * Deletes one memory of the agent; false when it has no such memory (never had it, deleted, or — short-term —
 * expired or overwritten by a later one). A long-term delete gives its place under the bound back.
 */
export async function deleteMemory(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  agentId: string,
  memoryId: string,
  nowMs: number,
): Promise<boolean> {
  const slot = memorySlot(memoryId);
  if (slot === undefined) return false;
  const key = { agentKey: agentKey(tenantId, agentId), slot };
  try {
    if (slot.startsWith(SHORT_TERM_PREFIX)) {
      await client.send(
        new DeleteCommand({
          TableName: table,
          Key: key,
          ConditionExpression: 'memoryId = :memoryId AND expiresAt > :now',
          ExpressionAttributeValues: { ':memoryId': memoryId, ':now': Math.floor(nowMs / 1000) },
        }),
      );
    } else {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: table, Key: key, ConditionExpression: 'attribute_exists(slot)' } },
            {
              Update: {
                TableName: table,
                Key: { agentKey: key.agentKey, slot: META_SLOT },
                UpdateExpression: 'ADD longTermCount :minusOne',
                ExpressionAttributeValues: { ':minusOne': -1 },
              },
            },
          ],
        }),
      );
    }
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    if (error instanceof TransactionCanceledException) {
      if (error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    }
    throw error;
  }
}

/** What recall projects: the attributes of a MemoryVectorRow. */
export const VECTOR_ROW_ATTRIBUTES: readonly (keyof MemoryVectorRow)[] = [
  'agentKey',
  'slot',
  'memoryId',
  'layer',
  'importance',
  'embedderId',
  'vector',
  'createdAt',
  'createdAtMs',
  'expiresAt',
];

/**
 * How recall reads a partition: one Query per shard of slots, all at once, instead of one Query paging
 * through the whole partition. Long-term slots are spread over 16 shards by the last hex digit of the memory
 * id (random bits of its UUIDv7), short-term slots over 10 by their first digit. Ten thousand memories are then
 * about 16 pages read side by side rather than a dozen one after another — and DynamoDB Local, which slows
 * down on every further page of a large partition, reads them about 4× faster (`npm run bench -- memory`).
 */
const LONG_TERM_SHARDS = [...'0123456789abcdef'].map((digit) => `${LONG_TERM_PREFIX}${digit}#`);
const SHORT_TERM_SHARDS = [...'0123456789'].map((digit) => `${SHORT_TERM_PREFIX}${digit}`);

/**
 * Calls `onRows` with every live memory of the agent (optionally one layer), without texts, page by page as
 * the shards' pages arrive. Expired short-term memories are left out here: TTL deletes lazily, so an item
 * past expiresAt may still be stored.
 */
export async function scanMemoryVectorRows(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  agentId: string,
  options: { layer?: MemoryLayer; nowMs: number },
  onRows: (rows: readonly MemoryVectorRow[]) => void,
): Promise<void> {
  const shards = [
    ...(options.layer === 'short-term' ? [] : LONG_TERM_SHARDS),
    ...(options.layer === 'long-term' ? [] : SHORT_TERM_SHARDS),
  ];
  const nowSeconds = Math.floor(options.nowMs / 1000);
  const readShard = async (prefix: string) => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'agentKey = :key AND begins_with(slot, :prefix)',
          FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
          ProjectionExpression: VECTOR_ROW_ATTRIBUTES.map((name) =>
            name === 'layer' ? '#layer' : name,
          ).join(', '),
          ExpressionAttributeNames: { '#layer': 'layer' },
          ExpressionAttributeValues: {
            ':key': agentKey(tenantId, agentId),
            ':prefix': prefix,
            ':now': nowSeconds,
          },
          ExclusiveStartKey: startKey,
        }),
      );
      onRows((page.Items ?? []) as MemoryVectorRow[]);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  };
  await Promise.all(shards.map(readShard));
}

/** The full memories of the given rows (at most 100: one BatchGetItem), in the rows' order. */
export async function memoriesOf(
  client: DynamoDBDocumentClient,
  table: string,
  rows: readonly Pick<MemoryVectorRow, 'agentKey' | 'slot' | 'memoryId'>[],
): Promise<StoredMemory[]> {
  if (rows.length === 0) return [];
  if (rows.length > 100) throw new RangeError(`at most 100 memories per read, got ${rows.length}`);
  const found = new Map<string, StoredMemory>();
  let keys: Record<string, unknown>[] | undefined = rows.map((row) => ({
    agentKey: row.agentKey,
    slot: row.slot,
  }));
  // BatchGetItem may return part of the keys as unprocessed under load: ask again for those.
  for (let attempt = 0; keys !== undefined && keys.length > 0; attempt++) {
    if (attempt >= 10) throw new Error('DynamoDB kept leaving memory reads unprocessed');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    const { Responses, UnprocessedKeys } = await client.send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }),
    );
    for (const item of (Responses?.[table] ?? []) as StoredMemory[]) found.set(item.slot, item);
    keys = UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
  }
  // A row whose memory was deleted (or whose slot was overwritten) between the two reads is left out.
  return rows.flatMap((row) => {
    const memory = found.get(row.slot);
    return memory?.memoryId === row.memoryId ? [memory] : [];
  });
}
