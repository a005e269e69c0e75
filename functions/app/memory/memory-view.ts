// A memory as the API shows it: everything but the stored vector, whose embedder is named instead.
import type { MemoryScore } from '../../core/memory/memory-ranking.ts';
import type { MemorySource, StoredMemory } from '../../data/memory-repository.ts';

export interface MemoryView {
  memoryId: string;
  agentId: string;
  layer: StoredMemory['layer'];
  text: string;
  importance: number;
  source: MemorySource | null;
  embedder: string;
  createdAt: string;
  /** Short-term only: when the memory expires (ISO 8601). */
  expiresAt: string | null;
}

export interface RankedMemoryView extends MemoryView {
  /** The merged score and its parts (docs/backend.md "Memory": ranking). */
  score: MemoryScore;
}

export function memoryView(memory: StoredMemory): MemoryView {
  return {
    memoryId: memory.memoryId,
    agentId: memory.agentId,
    layer: memory.layer,
    text: memory.text,
    importance: memory.importance,
    source: memory.source ?? null,
    embedder: memory.embedderId,
    createdAt: memory.createdAt,
    expiresAt: memory.expiresAt === undefined ? null : new Date(memory.expiresAt * 1000).toISOString(),
  };
}

export function rankedMemoryView(memory: StoredMemory, score: MemoryScore): RankedMemoryView {
  return { ...memoryView(memory), score };
}
