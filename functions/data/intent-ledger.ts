// The intent ledger: each agent's hash chain of intents in IntentsTable (docs/backend.md), appended with
// conditional writes so that concurrent appends can neither overwrite a record nor leave a gap.
//
// IntentsTable item: PK `chainKey` = `<tenantId>#<agentId>`, SK `sequence` (N), GSI `byIntentId`; the
// IntentRecord fields of functions/core/intents (intentId, agentId, tenantId, action, resource, context,
// timestamp, sequence, previousHash, hash) plus `decision` { decision, reasons, limits?, escalation? },
// which is stored beside the record and is not part of its hash.
//
//   appendIntentTransaction(input) → TransactWriteCommandInput
//     [0] Put the intent, condition attribute_not_exists(chainKey)
//     [1] Update the agent's chainHead to { lastSequence, lastHash } of the new record, condition: the
//         agent exists and its chainHead.lastSequence is still the one the record follows (or the agent
//         has no chainHead yet, for sequence 1)
//     [2…] the caller's extra items, committed or rejected together with the intent (the gate's bucket)
//   declareIntent(client, input) → { record, item }
//     builds the record with appendIntent on the current head and sends that transaction; when [0] or [1]
//     lose a race it re-reads the head and tries again (MAX_APPEND_ATTEMPTS). A cancellation caused by an
//     extra item is rethrown unchanged: retrying cannot fix the caller's condition.
//   readChain(client, table, tenantId, agentId) → IntentRecord[] in sequence order, every page.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { JsonObject } from '../core/intents/canonical-json.ts';
import {
  type AppendIntentDependencies,
  appendIntent,
  type IntentRecord,
  type IntentResource,
} from '../core/intents/chain.ts';
import type { Decision } from '../core/policy/decision.ts';
import type { ExecutionLimits } from '../core/policy/execution-limits.ts';
import type { ChainHead } from './agent-item.ts';

/** The L3 answer as stored with the intent: the Decision without the policy-set bookkeeping. */
export interface IntentDecision {
  decision: Decision['decision'];
  reasons: Decision['reasons'];
  limits?: ExecutionLimits;
  escalation?: { level: number };
}

/** A record of one tenant's chain: tenantId is always set (IntentDraft leaves it optional). */
export type TenantIntentRecord = IntentRecord & { tenantId: string };

export interface IntentItem extends TenantIntentRecord {
  chainKey: string;
  decision: IntentDecision;
}

/** One element of TransactItems, as the document client takes it. */
export type TransactWriteItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface LedgerTables {
  agents: string;
  intents: string;
}

export const MAX_APPEND_ATTEMPTS = 10;

const INTENT_PUT_INDEX = 0;
const CHAIN_HEAD_UPDATE_INDEX = 1;

export function chainKey(tenantId: string, agentId: string): string {
  return `${tenantId}#${agentId}`;
}

/** Keeps only a stored Decision's fields that belong in the ledger. */
export function intentDecision(decision: Decision): IntentDecision {
  switch (decision.decision) {
    case 'ALLOW':
      return { decision: 'ALLOW', reasons: decision.reasons, limits: decision.limits };
    case 'ESCALATE':
      return { decision: 'ESCALATE', reasons: decision.reasons, escalation: decision.escalation };
    case 'DENY':
      return { decision: 'DENY', reasons: decision.reasons };
  }
}

export interface AppendIntentTransactionInput {
  tables: LedgerTables;
  record: TenantIntentRecord;
  decision: IntentDecision;
  extraItems?: readonly TransactWriteItem[];
}

export function appendIntentTransaction(input: AppendIntentTransactionInput): TransactWriteCommandInput {
  const { tables, record, decision } = input;
  const item: IntentItem = { ...record, chainKey: chainKey(record.tenantId, record.agentId), decision };
  const previousSequence = record.sequence - 1;
  const headCondition =
    previousSequence === 0 ? 'attribute_not_exists(chainHead)' : 'chainHead.lastSequence = :previousSequence';
  const nextHead: ChainHead = { lastSequence: record.sequence, lastHash: record.hash };
  return {
    TransactItems: [
      {
        Put: { TableName: tables.intents, Item: item, ConditionExpression: 'attribute_not_exists(chainKey)' },
      },
      {
        Update: {
          TableName: tables.agents,
          Key: { tenantId: record.tenantId, agentId: record.agentId },
          UpdateExpression: 'SET chainHead = :nextHead, updatedAt = :updatedAt',
          ConditionExpression: `attribute_exists(agentId) AND ${headCondition}`,
          ExpressionAttributeValues: {
            ':nextHead': nextHead,
            ':updatedAt': record.timestamp,
            ...(previousSequence === 0 ? {} : { ':previousSequence': previousSequence }),
          },
        },
      },
      ...(input.extraItems ?? []),
    ],
  };
}

export interface DeclareIntentInput {
  tables: LedgerTables;
  tenantId: string;
  agentId: string;
  draft: { action: string; resource: IntentResource; context: JsonObject };
  decision: IntentDecision;
  /** The head as read with the agent item, saving a read on the first attempt; omitted → read here. */
  knownHead?: { chainHead: ChainHead | undefined };
  extraItems?: readonly TransactWriteItem[];
  /** Clock and intent ids, injected so records are reproducible in tests. */
  ids: AppendIntentDependencies;
}

export class ChainAppendContentionError extends Error {
  override readonly name = 'ChainAppendContentionError';
}

export class AgentMissingError extends Error {
  override readonly name = 'AgentMissingError';
}

export async function declareIntent(
  client: DynamoDBDocumentClient,
  input: DeclareIntentInput,
): Promise<{ record: TenantIntentRecord; item: IntentItem }> {
  const { tables, tenantId, agentId } = input;
  let head = input.knownHead ?? (await readChainHead(client, tables.agents, tenantId, agentId));
  for (let attempt = 1; ; attempt++) {
    const record = appendIntent(
      chainTip(head.chainHead, tenantId, agentId),
      { agentId, tenantId, ...input.draft },
      input.ids,
    ) as TenantIntentRecord;
    const transaction = appendIntentTransaction({
      tables,
      record,
      decision: input.decision,
      extraItems: input.extraItems,
    });
    try {
      await client.send(new TransactWriteCommand(transaction));
      const item = transaction.TransactItems![INTENT_PUT_INDEX]!.Put!.Item as IntentItem;
      return { record, item };
    } catch (error) {
      if (!lostTheRace(error)) throw error;
      if (attempt >= MAX_APPEND_ATTEMPTS) {
        throw new ChainAppendContentionError(
          `intent chain of agent "${agentId}" stayed contended for ${MAX_APPEND_ATTEMPTS} attempts`,
        );
      }
    }
    await backOff(attempt);
    head = await readChainHead(client, tables.agents, tenantId, agentId);
  }
}

/**
 * appendIntent links a new record to the previous one through its agentId, tenantId, sequence and hash
 * only, and the chain head stores exactly those; reading the whole previous record would cost a request
 * per append for fields the link does not use.
 */
function chainTip(head: ChainHead | undefined, tenantId: string, agentId: string): IntentRecord | undefined {
  if (!head) return undefined;
  return { agentId, tenantId, sequence: head.lastSequence, hash: head.lastHash } as IntentRecord;
}

async function readChainHead(
  client: DynamoDBDocumentClient,
  agentsTable: string,
  tenantId: string,
  agentId: string,
): Promise<{ chainHead: ChainHead | undefined }> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: agentsTable,
      Key: { tenantId, agentId },
      ProjectionExpression: 'agentId, chainHead',
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new AgentMissingError(`agent "${agentId}" does not exist in tenant "${tenantId}"`);
  return { chainHead: Item.chainHead as ChainHead | undefined };
}

/**
 * True when the intent Put or the chain-head Update was rejected (another append took the sequence) or
 * DynamoDB refused the transaction because another one was touching the same items at that moment.
 */
function lostTheRace(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const reasons = error.CancellationReasons ?? [];
  const extraItemFailed = reasons
    .slice(CHAIN_HEAD_UPDATE_INDEX + 1)
    .some((reason) => reason.Code !== undefined && reason.Code !== 'None');
  if (extraItemFailed) return false;
  return [INTENT_PUT_INDEX, CHAIN_HEAD_UPDATE_INDEX].some((index) => {
    const code = reasons[index]?.Code;
    return code === 'ConditionalCheckFailed' || code === 'TransactionConflict';
  });
}

/** Jittered, growing pauses so that contending appenders stop colliding in lockstep. */
function backOff(attempt: number): Promise<void> {
  const delayMs = Math.random() * 10 * attempt;
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}

export async function readChain(
  client: DynamoDBDocumentClient,
  intentsTable: string,
  tenantId: string,
  agentId: string,
): Promise<TenantIntentRecord[]> {
  const records: TenantIntentRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: intentsTable,
        KeyConditionExpression: 'chainKey = :chainKey',
        ExpressionAttributeValues: { ':chainKey': chainKey(tenantId, agentId) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) records.push(recordOf(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}

/** The hashed fields of a stored item, whatever else the item carries (chainKey, decision, …). */
function recordOf(item: Record<string, unknown>): TenantIntentRecord {
  return {
    intentId: item.intentId,
    agentId: item.agentId,
    tenantId: item.tenantId,
    action: item.action,
    resource: item.resource,
    context: item.context,
    timestamp: item.timestamp,
    sequence: item.sequence,
    previousHash: item.previousHash,
    hash: item.hash,
  } as TenantIntentRecord;
}
