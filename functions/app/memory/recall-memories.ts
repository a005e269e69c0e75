// Recall (SPEC §7): an agent's live memories ranked by one score that merges recency, relevance to the
// query (cosine of the embeddings) and importance (core/memory/memory-ranking.ts).
//
// Scoring happens here, in the function: the agent's partition is read without texts (vectors, importance,
// timestamps: about 490 bytes a memory against 1.2 KB for the whole item), shard by shard at once, every
// vector is scored against the query (rankVectorRows, a bounded heap for the top `limit`), and only the
// winners' texts are fetched (one BatchGetItem). Without a query every memory's relevance is 0 and recency
// and importance decide. A vector from another embedder than the one configured now cannot be compared, so
// it counts as not relevant (the memory can still win on recency and importance).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Embedder } from '../../core/memory/embedder.ts';
import type { MemoryLayer } from '../../core/memory/memory-limits.ts';
import {
  type MemoryScore,
  type RankedMemory,
  type RankingCandidate,
  rankMemories,
} from '../../core/memory/memory-ranking.ts';
import { type PreparedQuery, preparedCosineToEncoded, prepareQuery } from '../../core/memory/vector-codec.ts';
import {
  type MemoryVectorRow,
  memoriesOf,
  type StoredMemory,
  scanMemoryVectorRows,
} from '../../data/memory-repository.ts';

/** How long one embedding call may take before it counts as failed (retryable): well inside the API's 10 s. */
export const EMBED_TIMEOUT_MS = 5_000;

/** The embedder's vectors for `texts`, under EMBED_TIMEOUT_MS (or less, when the caller has less time). */
export function embedTexts(
  embedder: Embedder,
  texts: readonly string[],
  timeoutMs = EMBED_TIMEOUT_MS,
): Promise<Float32Array[]> {
  return embedder.embed(texts, AbortSignal.timeout(Math.max(1, Math.min(EMBED_TIMEOUT_MS, timeoutMs))));
}

export interface MemoryDependencies {
  client: DynamoDBDocumentClient;
  memoryTable: string;
  embedder: Embedder;
  /** Epoch milliseconds. */
  clock: () => number;
}

export interface RecallRequest {
  tenantId: string;
  agentId: string;
  query?: string;
  layer?: MemoryLayer;
  limit: number;
  /** Leave out memories whose cosine to the query is below this (only with a query). */
  minSimilarity?: number;
}

export interface RecalledMemory {
  memory: StoredMemory;
  score: MemoryScore;
}

export interface Recall {
  memories: RecalledMemory[];
  /** How many live memories were scored. */
  considered: number;
}

export interface Candidate extends RankingCandidate {
  row: MemoryVectorRow;
}

export async function recallMemories(deps: MemoryDependencies, request: RecallRequest): Promise<Recall> {
  const now = deps.clock();
  const query =
    request.query === undefined
      ? undefined
      : prepareQuery((await embedTexts(deps.embedder, [request.query]))[0]!);
  const rows: MemoryVectorRow[] = [];
  await scanMemoryVectorRows(
    deps.client,
    deps.memoryTable,
    request.tenantId,
    request.agentId,
    { ...(request.layer === undefined ? {} : { layer: request.layer }), nowMs: now },
    (page) => rows.push(...page),
  );
  const ranked = rankVectorRows(rows, {
    ...(query === undefined ? {} : { query }),
    embedderId: deps.embedder.embedderId,
    now,
    limit: request.limit,
    ...(request.minSimilarity === undefined ? {} : { minSimilarity: request.minSimilarity }),
  });
  const memories = await memoriesOf(
    deps.client,
    deps.memoryTable,
    ranked.map((entry) => entry.candidate.row),
  );
  const scores = new Map(ranked.map((entry) => [entry.candidate.row.memoryId, entry]));
  return {
    memories: memories.map((memory) => {
      const { score, relevance, recency, importance } = scores.get(memory.memoryId)!;
      return { memory, score: { score, relevance, recency, importance } };
    }),
    considered: rows.length,
  };
}

/**
 * The scoring itself, pure: the best `limit` rows for the query (none: recency and importance alone). Only
 * vectors of the configured embedder are compared; with `minSimilarity`, rows below it are left out.
 */
export function rankVectorRows(
  rows: readonly MemoryVectorRow[],
  options: { query?: PreparedQuery; embedderId: string; now: number; limit: number; minSimilarity?: number },
): RankedMemory<Candidate>[] {
  const { query, minSimilarity } = options;
  const candidates: Candidate[] = [];
  for (const row of rows) {
    const similarity =
      query !== undefined && row.embedderId === options.embedderId
        ? preparedCosineToEncoded(query, row.vector)
        : null;
    if (
      query !== undefined &&
      minSimilarity !== undefined &&
      (similarity === null || similarity < minSimilarity)
    )
      continue;
    candidates.push({
      memoryId: row.memoryId,
      createdAt: row.createdAtMs,
      importance: row.importance,
      similarity,
      row,
    });
  }
  return rankMemories(candidates, options.now, { limit: options.limit });
}
