// The gate's side of memory (docs/backend.md "Memory"): what an allowed step recalls before its agent is
// called, and how its output becomes a memory when the step asks for it (`remember`).
//
// Recall: the agent's memories ranked against the step's request (its task or sub-task), at most
// STEP_RECALL_LIMIT with a cosine of at least STEP_MIN_SIMILARITY — below it a memory shares no more than
// stop-word noise with the task — handed to context assembly with their merged score as relevance, so the
// 16K memory section is fitted by summarize → prune (score < 0.5) → compress. Recall is an aid, not a
// precondition: when the embedder or the table fails the step runs without memories and says so
// (`memory.recallUnavailable`).
//
// Remember: the output (its extractive summary when longer than a memory may be) is stored with a vector of
// what was asked and what was answered — the normalized sum of the step's request's and the output's
// embeddings — because a later step finds it by its own request: a short task next to a long output would
// otherwise share too few features to pass STEP_MIN_SIMILARITY (measured with the local embedder: 0.15 for
// a related task against the output alone, 0.10 for an unrelated one). It is written in
// the step's result transaction, so a step is never SUCCEEDED with a memory half-written, nor a memory left
// behind by a step that was not. A long-term memory's id comes from the step's intent id, one per decision.
// At the long-term bound the result is recorded without the memory (`notRemembered: memory_limit_reached`);
// when the embedder fails, likewise (`embedder_unavailable`). Cached and degraded answers are never
// remembered: no agent produced them.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MemoryItem } from '../../core/budget/context-assembly.ts';
import type { Summarizer } from '../../core/budget/summarizer.ts';
import { countTokens, truncateToTokens } from '../../core/budget/tokenizer.ts';
import { type Embedder, EmbedderError, l2Normalize } from '../../core/memory/embedder.ts';
import { MAX_MEMORY_TEXT_TOKENS } from '../../core/memory/memory-limits.ts';
import { encodeVector } from '../../core/memory/vector-codec.ts';
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import {
  longTermMemoryId,
  longTermMemoryWrites,
  type NewMemory,
  shortTermMemoryWrite,
  takeShortTermSequence,
} from '../../data/memory-repository.ts';
import { memoryParagraph } from '../../providers/memory-block.ts';
import { embedTexts, recallMemories } from '../memory/recall-memories.ts';
import type { StepMemory, StepRemember } from '../workflows/workflow-item.ts';

export interface GateMemory {
  client: DynamoDBDocumentClient;
  table: string;
  embedder: Embedder;
}

export const STEP_RECALL_LIMIT = 20;
export const STEP_MIN_SIMILARITY = 0.2;

export interface StepRecall {
  items: MemoryItem[];
  unavailable?: string;
}

export async function recallForStep(
  memory: GateMemory,
  request: { tenantId: string; agentId: string; query: string; now: number },
): Promise<StepRecall> {
  try {
    const recall = await recallMemories(
      {
        client: memory.client,
        memoryTable: memory.table,
        embedder: memory.embedder,
        clock: () => request.now,
      },
      {
        tenantId: request.tenantId,
        agentId: request.agentId,
        query: request.query,
        limit: STEP_RECALL_LIMIT,
        minSimilarity: STEP_MIN_SIMILARITY,
      },
    );
    return {
      items: recall.memories.map(({ memory: stored, score }) => ({
        id: stored.memoryId,
        text: memoryParagraph(stored.memoryId, stored.text),
        relevance: score.score,
        importance: stored.importance,
        createdAt: stored.createdAtMs,
      })),
    };
  } catch (error) {
    const reason =
      error instanceof EmbedderError
        ? `the ${error.embedderKind} embedder failed: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    return { items: [], unavailable: reason };
  }
}

export interface StepMemoryPlan {
  /** Extra items of the result transaction (none when nothing is remembered). */
  items: TransactWriteItem[];
  /** Index within `items` of the long-term count, whose condition failing means the bound was reached. */
  limitItem?: number;
  record: Pick<StepMemory, 'remembered' | 'notRemembered'>;
}

/** The writes that remember the step's output, or why there are none. */
export async function planRememberOutput(
  memory: GateMemory,
  summarizer: Summarizer,
  step: {
    remember: StepRemember;
    tenantId: string;
    agentId: string;
    workflowId: string;
    stepName: string;
    stepIndex: number;
    intentId: string;
    /** What the step asked its agent (its task or sub-task). */
    request: string;
    output: string;
    completedAtMs: number;
    /** How long the embedding may take: what the invocation has left before it must record the result. */
    embedTimeoutMs: number;
  },
): Promise<StepMemoryPlan> {
  if (step.output.trim() === '') return { items: [], record: { notRemembered: 'empty_output' } };
  const text = await memoryText(step.output, summarizer);
  let vector: Float32Array;
  try {
    const [answered, asked] = (await embedTexts(
      memory.embedder,
      [text, step.request],
      step.embedTimeoutMs,
    )) as [Float32Array, Float32Array];
    vector = l2Normalize(answered.map((value, index) => value + asked[index]!));
  } catch {
    return { items: [], record: { notRemembered: 'embedder_unavailable' } };
  }
  const base: Omit<NewMemory, 'layer'> = {
    tenantId: step.tenantId,
    agentId: step.agentId,
    text,
    importance: step.remember.importance,
    source: {
      workflowId: step.workflowId,
      step: step.stepName,
      stepIndex: step.stepIndex,
      intentId: step.intentId,
    },
    embedderId: memory.embedder.embedderId,
    vector: encodeVector(vector),
    createdAtMs: step.completedAtMs,
  };
  if (step.remember.layer === 'short-term') {
    const sequence = await takeShortTermSequence(memory.client, memory.table, step.tenantId, step.agentId);
    const write = shortTermMemoryWrite(memory.table, { ...base, layer: 'short-term' }, sequence);
    return {
      items: [write.item],
      record: { remembered: { memoryId: write.memory.memoryId, layer: 'short-term' } },
    };
  }
  const write = longTermMemoryWrites(
    memory.table,
    { ...base, layer: 'long-term' },
    longTermMemoryId(step.intentId),
  );
  return {
    items: write.items,
    limitItem: 1,
    record: { remembered: { memoryId: write.memory.memoryId, layer: 'long-term' } },
  };
}

/** The output as a memory's text: itself when it fits, else its summary (cut on a token boundary if need be). */
async function memoryText(output: string, summarizer: Summarizer): Promise<string> {
  if (countTokens(output) <= MAX_MEMORY_TEXT_TOKENS) return output;
  const summary = await summarizer.summarize([output], MAX_MEMORY_TEXT_TOKENS);
  return truncateToTokens(summary, MAX_MEMORY_TEXT_TOKENS);
}
