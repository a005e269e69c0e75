// The memory layers of SPEC §7 and the bounds every memory lives within.
//
//   working     the running workflow's context: the earlier steps' outputs the gate already passes on
//               (step-completion-request.ts). It is never stored as memories.
//   short-term  recent sessions: expires 24 h after it was written (the table's TTL attribute), and an agent
//               has at most SHORT_TERM_SLOTS_PER_AGENT of them — a ring: the next one overwrites the oldest.
//   long-term   persistent facts: kept until deleted; an agent has at most MAX_LONG_TERM_MEMORIES_PER_AGENT,
//               and a write past the bound is refused (409 memory_limit_reached), never an older fact evicted
//               behind the caller's back.
// Both stored layers carry an embedding, an importance 0..1 and where they came from, and are recalled by one
// ranking (memory-ranking.ts). A memory's text is at most MAX_MEMORY_TEXT_TOKENS, so at least sixteen of them
// fit the 16K memory section of a step's context.
export const MEMORY_LAYERS = ['short-term', 'long-term'] as const;
export type MemoryLayer = (typeof MEMORY_LAYERS)[number];

export const SHORT_TERM_TTL_MS = 24 * 60 * 60 * 1000;
export const SHORT_TERM_SLOTS_PER_AGENT = 1_000;
export const MAX_LONG_TERM_MEMORIES_PER_AGENT = 10_000;

export const MAX_MEMORY_TEXT_TOKENS = 1_024;
/** Checked before tokenizing (the tokenizer is slow on huge runs): 1 024 tokens of text stay far below it. */
export const MAX_MEMORY_TEXT_CHARACTERS = 32_768;

export const DEFAULT_MEMORY_IMPORTANCE = 0.5;

/** The most memories one recall returns (GET …/memories `limit`). */
export const MAX_RECALL_LIMIT = 100;
export const DEFAULT_RECALL_LIMIT = 20;
