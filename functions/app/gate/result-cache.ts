// The gate's cache of last good results (docs/backend.md "While a breaker is open"), in GateStateTable:
//
//   key        `result#<tenantId>#<agentId>#<inputHash>` (ids never contain `#`: tenant ids and agent ids are
//              letters, digits and `. _ : -`), so a tenant's or an agent's entries never mix
//   inputHash  SHA-256 of the completion request the provider got, in canonical JSON behind a domain tag:
//              system prompt (the agent, the step's place and action, its resource, the token limit), the
//              messages (the earlier steps' outputs, the task or sub-task), maxTokens, agentRole, action.
//              "The same input" is therefore exactly what the provider would be asked again: the same agent,
//              at the same step of a workflow of the same shape, for the same task, after the same earlier
//              outputs, within the same limits. Anything looser (the task alone) could serve an answer to a
//              question that was not asked.
//   expiresAt  epoch seconds, 24 h after the result (RESULT_CACHE_TTL_MS): the table's TTL attribute. An
//              answer older than a day is stale for most tasks, and SPEC §7 keeps short-term memory as long.
//              TTL deletes lazily, so a read treats an entry past expiresAt as a miss.
//
// Written by the provider path only (never by a saga step: core/breaker/open-circuit-serving.ts), as one
// more Put of the result transaction (no extra round trip), and only for outputs up to
// MAX_CACHED_OUTPUT_BYTES; a result served from the cache is never cached again, so an entry's cachedAt is
// always when an agent really produced it. The latest good result for an input replaces the previous one.
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../core/intents/canonical-json.ts';
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { CompletionRequest } from '../../providers/provider.ts';
import type { TokenUsage } from '../workflows/workflow-item.ts';

export const RESULT_CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Outputs above 128 KiB of UTF-8 are not cached (a later OPEN breaker then finds no entry). That covers a
 * T5 agent's whole 32K-token answer at about 4 bytes a token, and stays a third of DynamoDB's 400 KB item
 * limit, with room for the entry's other attributes.
 */
export const MAX_CACHED_OUTPUT_BYTES = 128 * 1024;

const INPUT_HASH_DOMAIN = 'trustgate:result-cache:v1\u0000';

export interface CachedResultItem {
  key: string;
  tenantId: string;
  agentId: string;
  inputHash: string;
  output: string;
  tokens: TokenUsage;
  /** The proof of the result when it was produced, and the intent it answered. */
  proofHash: string;
  intentId: string;
  workflowId: string;
  stepIndex: number;
  /** ISO 8601: when the agent produced the result. */
  cachedAt: string;
  /** Epoch seconds (the table's TTL attribute). */
  expiresAt: number;
}

/** Lowercase hex SHA-256 of the request as the provider gets it. */
export function completionInputHash(request: CompletionRequest): string {
  const { system, messages, maxTokens, agentRole, action } = request;
  const canonical = canonicalJson({
    system,
    messages: messages.map(({ role, content }) => ({ role, content })),
    maxTokens,
    agentRole,
    action,
  });
  return createHash('sha256').update(INPUT_HASH_DOMAIN, 'utf8').update(canonical, 'utf8').digest('hex');
}

export function resultCacheKey(tenantId: string, agentId: string, inputHash: string): string {
  return `result#${tenantId}#${agentId}#${inputHash}`;
}

export interface CacheableResult {
  tenantId: string;
  agentId: string;
  inputHash: string;
  output: string;
  tokens: TokenUsage;
  proofHash: string;
  intentId: string;
  workflowId: string;
  stepIndex: number;
  /** Epoch ms of the result. */
  completedAtMs: number;
}

/** The Put of the result transaction that caches `result`; undefined when its output is too large to keep. */
export function cachedResultPut(table: string, result: CacheableResult): TransactWriteItem | undefined {
  if (Buffer.byteLength(result.output, 'utf8') > MAX_CACHED_OUTPUT_BYTES) return undefined;
  const item: CachedResultItem = {
    key: resultCacheKey(result.tenantId, result.agentId, result.inputHash),
    tenantId: result.tenantId,
    agentId: result.agentId,
    inputHash: result.inputHash,
    output: result.output,
    tokens: result.tokens,
    proofHash: result.proofHash,
    intentId: result.intentId,
    workflowId: result.workflowId,
    stepIndex: result.stepIndex,
    cachedAt: new Date(result.completedAtMs).toISOString(),
    expiresAt: Math.ceil((result.completedAtMs + RESULT_CACHE_TTL_MS) / 1000),
  };
  // Unconditional: a newer good result for the same input simply replaces the older one.
  return { Put: { TableName: table, Item: item } };
}

/** The cached result for the agent and input, expired or not (openCircuitPlan decides), or undefined. */
export async function readCachedResult(
  client: DynamoDBDocumentClient,
  table: string,
  ids: { tenantId: string; agentId: string; inputHash: string },
): Promise<CachedResultItem | undefined> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: table,
      Key: { key: resultCacheKey(ids.tenantId, ids.agentId, ids.inputHash) },
      ConsistentRead: true,
    }),
  );
  return Item as CachedResultItem | undefined;
}
