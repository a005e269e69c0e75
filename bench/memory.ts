// `npm run bench -- memory`: what agent memory recall costs (SPEC §7), at 1 000 and 10 000 long-term memories
// of one agent (MAX_LONG_TERM_MEMORIES_PER_AGENT is the upper size). The memories are sentence-like texts of
// 40–120 words, built from a seeded pool of a few hundred sentences over a dozen topics, embedded by the
// LocalEmbedder (256 dimensions); the queries are short phrases of the same vocabulary. Everything but the
// timings is deterministic.
//
// 1. Scoring alone, in-process, over vectors already in memory (no DynamoDB):
//      production  rankVectorRows (recall-memories.ts), exactly what recallMemories runs over the rows it read:
//                  the query normalized once, preparedCosineToEncoded over each int8 vector (vector-codec.ts),
//                  rankMemories(…, { limit: 20 }) (a bounded heap).
//      baseline    brute force in float64: Float64Array vectors of the embedder's own output (no
//                  quantization), exact cosine, the same score formula (checked against scoreMemory), a full
//                  sort of every candidate by the ranking's total order, the first 20.
//    The two run interleaved per query (order rotated), after a warm-up. Agreement: how many of the 20 ids
//    the int8 ranking shares with the exact one.
// 2. Recall against DynamoDB Local (the sandbox's emulator, a JVM on the same machine):
//      production  recallMemories (query embedded, partition read with a projection without texts, scored
//                  as it arrives, one BatchGetItem of the 20 winners' texts)
//      baseline    the query embedded, the agent's whole partition read WITH texts (no projection), every
//                  vector decoded to float64, exact cosine, full sort, the first 20
//    Interleaved per query; pages, items, consumed capacity and response bytes counted by a client
//    middleware in one extra accounting recall of each (outside the timings).
// 3. Bytes per memory by DynamoDB's item-size rules, the vector encodings compared, and what a recall moves.
// Figures are printed, never asserted: a shared 2-core machine makes timings noisy.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type MemoryDependencies,
  rankVectorRows,
  recallMemories,
} from '../functions/app/memory/recall-memories.ts';
import { UuidV7Generator } from '../functions/core/intents/uuidv7.ts';
import { embedLocally, LocalEmbedder } from '../functions/core/memory/local-embedder.ts';
import {
  DEFAULT_RANKING_WEIGHTS,
  DEFAULT_RECENCY_HALF_LIFE_MS,
  scoreMemory,
} from '../functions/core/memory/memory-ranking.ts';
import {
  decodeVector,
  encodedVectorBytes,
  encodeVector,
  prepareQuery,
} from '../functions/core/memory/vector-codec.ts';
import {
  agentKey,
  longTermMemoryId,
  longTermMemoryWrites,
  META_SLOT,
  type MemorySource,
  type MemoryVectorRow,
  type StoredMemory,
  VECTOR_ROW_ATTRIBUTES,
} from '../functions/data/memory-repository.ts';
import { startDynamoDbLocal } from '../sandbox/emulators/dynamodb-local.ts';
import { createTables, uniqueTableNames } from '../test/support/dynamodb-tables.ts';
import { formatFigure, type LatencySummary, summarize } from './measure.ts';

const SIZES = [1_000, 10_000] as const;
const TOP_K = 20;
const SEED = 0x5eed_2025;
/** The ranking's clock: fixed, so recency (and so every ranking) is the same on every run. */
const NOW_MS = Date.UTC(2025, 5, 2, 12, 0, 0);
/** Memories were written over the half year before NOW_MS. */
const HISTORY_MS = 182 * 24 * 3600 * 1000;
const TENANT = 'bench-memory';

const SENTENCES_PER_TOPIC = 40;
const MIN_WORDS = 40;
const MAX_WORDS = 120;

const SCORING_WARMUP = 20;
const SCORING_QUERIES = 100;

const RECALL_WARMUP = 2;
const RECALL_QUERIES = 20;
/** Fewer samples when a warm recall takes longer than this, to keep the whole run within minutes. */
const SLOW_RECALL_MS = 1_000;
const SLOW_RECALL_QUERIES = 10;

const SEED_BATCH = 25;
const SEED_IN_FLIGHT = 4;

const embedder = new LocalEmbedder();
const DIMENSIONS = embedder.dimensions;

export async function runMemoryBenchmark(): Promise<void> {
  const started = performance.now();
  const corpus = buildCorpus(Math.max(...SIZES));
  console.log(
    `memory corpus: ${corpus.memories.length} memories (${corpus.sentences} pooled sentences over ${TOPICS.length} topics, ${MIN_WORDS}–${MAX_WORDS} words, mean ${corpus.meanWords.toFixed(0)}), ${corpus.queries.length} queries, ${DIMENSIONS}-dim ${embedder.embedderId}; built and embedded in ${formatFigure((performance.now() - started) / 1000, 's')}`,
  );
  console.log();
  scoringBenchmark(corpus);
  console.log();
  const items = await recallBenchmark(corpus);
  console.log();
  sizeReport(items);
}

// ---------------------------------------------------------------------------------------------------------
// The corpus: seeded sentence pool, memory texts, queries.

/** xorshift32 with a multiplicative finish: deterministic, good enough to pick words. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (Math.imul(state, 0x2c1b3c6d) >>> 0) / 2 ** 32;
  };
}

interface Topic {
  nouns: readonly string[];
  verbs: readonly string[];
  adjectives: readonly string[];
}

const words = (list: string): readonly string[] => list.split(' ');

const TOPICS: readonly Topic[] = [
  {
    nouns: words('invoice refund subscription discount renewal chargeback ledger payment plan tax receipt'),
    verbs: words('reconciled refunded disputed approved invoiced discounted renewed audited'),
    adjectives: words('overdue annual prorated duplicate monthly disputed'),
  },
  {
    nouns: words('deployment rollback canary pipeline release artifact container cluster hotfix branch'),
    verbs: words('deployed rolled promoted paused tagged rebuilt shipped reverted'),
    adjectives: words('failed green staged blue flaky nightly'),
  },
  {
    nouns: words('customer account contract onboarding churn renewal champion stakeholder demo workshop'),
    verbs: words('escalated signed onboarded briefed interviewed called upsold retained'),
    adjectives: words('strategic unhappy enterprise new loyal hesitant'),
  },
  {
    nouns: words('credential token certificate vulnerability firewall audit permission role incident patch'),
    verbs: words('rotated revoked patched scanned flagged restricted granted investigated'),
    adjectives: words('expired critical leaked privileged encrypted suspicious'),
  },
  {
    nouns: words('dataset schema partition warehouse column backfill query dashboard metric snapshot'),
    verbs: words('migrated backfilled indexed partitioned validated exported sampled deduplicated'),
    adjectives: words('stale nullable wide hourly corrupted incremental'),
  },
  {
    nouns: words('ticket outage pager runbook escalation queue backlog severity postmortem latency'),
    verbs: words('triaged resolved paged acknowledged reopened closed mitigated assigned'),
    adjectives: words('urgent recurring noisy blocked minor customer-facing'),
  },
  {
    nouns: words('paper experiment hypothesis benchmark baseline ablation survey citation model evaluation'),
    verbs: words('replicated cited reviewed measured compared summarized published tuned'),
    adjectives: words('promising inconclusive peer-reviewed preliminary robust novel'),
  },
  {
    nouns: words('flight hotel itinerary visa conference venue booking layover reimbursement agenda'),
    verbs: words('booked cancelled rescheduled confirmed reimbursed upgraded planned moved'),
    adjectives: words('refundable delayed overnight international early economy'),
  },
  {
    nouns: words('candidate interview offer role referral recruiter salary onboarding probation headcount'),
    verbs: words('interviewed hired rejected referred negotiated onboarded shortlisted promoted'),
    adjectives: words('senior remote junior contract qualified internal'),
  },
  {
    nouns: words('campaign newsletter launch audience funnel keyword landing webinar brand conversion'),
    verbs: words('launched targeted segmented tested promoted drafted scheduled optimized'),
    adjectives: words('seasonal organic paid viral weekly regional'),
  },
  {
    nouns: words('budget instance storage bandwidth reservation quota forecast spend region savings'),
    verbs: words('reserved downsized forecast capped tagged reduced overspent provisioned'),
    adjectives: words('idle spot reserved unexpected quarterly regional'),
  },
  {
    nouns: words('agreement clause liability indemnity amendment signature compliance counsel policy NDA'),
    verbs: words('redlined signed amended reviewed terminated notarized countersigned filed'),
    adjectives: words('binding confidential mutual pending exclusive revised'),
  },
];

const PEOPLE = words('Priya Marcus Lena Tomás Aiko Dmitri Fatima Jonas Grace Omar Sofia Kwame');
const ORGS = words('Northwind Globex Initech Umbrella Hooli Vandelay Wayne Tyrell Soylent Cyberdyne');
const WHEN = [
  'on Monday',
  'last week',
  'before the quarterly review',
  'after the outage',
  'in March',
  'every Friday',
  'since the migration',
  'during the audit',
  'yesterday afternoon',
  'at the planning meeting',
];
const UNITS = words('percent dollars hours requests tickets gigabytes days users');
const STEPS = words('research summarize draft review classify extract plan report');

interface Picker {
  of: <T>(list: readonly T[]) => T;
  int: (min: number, max: number) => number;
}

function picker(random: () => number): Picker {
  return {
    of: (list) => list[Math.floor(random() * list.length)]!,
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
  };
}

type Template = (t: Topic, p: Picker) => string;

const SENTENCE_TEMPLATES: readonly Template[] = [
  (t, p) =>
    `${p.of(PEOPLE)} said the ${p.of(t.adjectives)} ${p.of(t.nouns)} ${p.of(t.verbs)} the ${p.of(t.nouns)} ${p.of(WHEN)}.`,
  (t, p) =>
    `The ${p.of(t.nouns)} for ${p.of(ORGS)} was ${p.of(t.verbs)} at ${p.int(2, 95)} ${p.of(UNITS)} ${p.of(WHEN)}.`,
  (t, p) =>
    `We ${p.of(t.verbs)} the ${p.of(t.nouns)} and the ${p.of(t.nouns)} because the ${p.of(t.nouns)} looked ${p.of(t.adjectives)}.`,
  (t, p) =>
    `Remember that ${p.of(ORGS)} prefers a ${p.of(t.adjectives)} ${p.of(t.nouns)} over a ${p.of(t.adjectives)} ${p.of(t.nouns)}.`,
  (t, p) =>
    `If the ${p.of(t.nouns)} is ${p.of(t.adjectives)} again, ${p.of(PEOPLE)} wants the ${p.of(t.nouns)} ${p.of(t.verbs)} first.`,
  (t, p) =>
    `${p.of(PEOPLE)} and ${p.of(PEOPLE)} ${p.of(t.verbs)} ${p.int(2, 40)} ${p.of(t.nouns)} items for ${p.of(ORGS)} ${p.of(WHEN)}.`,
  (t, p) =>
    `Open question from ${p.of(PEOPLE)}: whether the ${p.of(t.adjectives)} ${p.of(t.nouns)} should be ${p.of(t.verbs)} before the ${p.of(t.nouns)}.`,
  (t, p) =>
    `The ${p.of(t.nouns)} owner is ${p.of(PEOPLE)}, who ${p.of(t.verbs)} it after the ${p.of(t.adjectives)} ${p.of(t.nouns)} ${p.of(WHEN)}.`,
];

const QUERY_TEMPLATES: readonly Template[] = [
  (t, p) => `${p.of(t.adjectives)} ${p.of(t.nouns)} ${p.of(t.nouns)} for ${p.of(ORGS)}`,
  (t, p) => `what did ${p.of(PEOPLE)} decide about the ${p.of(t.adjectives)} ${p.of(t.nouns)}`,
  (t, p) => `which ${p.of(t.nouns)} was ${p.of(t.verbs)} ${p.of(WHEN)}`,
  (t, p) => `${p.of(t.nouns)} ${p.of(t.verbs)} ${p.of(t.nouns)} ${p.of(t.adjectives)} ${p.of(t.nouns)}`,
  (t, p) => `status of the ${p.of(t.nouns)} and ${p.of(t.nouns)} that ${p.of(ORGS)} asked about`,
];

interface BenchMemory {
  memoryId: string;
  createdAtMs: number;
  importance: number;
  text: string;
  source: MemorySource;
  /** The embedder's output (float32, unit length). */
  embedding: Float32Array;
  encoded: Uint8Array;
}

interface BenchQuery {
  text: string;
  vector: Float32Array;
}

interface Corpus {
  sentences: number;
  meanWords: number;
  memories: BenchMemory[];
  queries: BenchQuery[];
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

function buildCorpus(count: number): Corpus {
  const random = seededRandom(SEED);
  const pick = picker(random);
  const pool = TOPICS.map((topic) =>
    Array.from({ length: SENTENCES_PER_TOPIC }, () => pick.of(SENTENCE_TEMPLATES)(topic, pick)),
  );
  // Ids: deterministic bytes, timestamps in creation order (memories are generated oldest first).
  let idClock = 0;
  const ids = new UuidV7Generator({
    nowMs: () => idClock,
    randomBytes: (length) => Uint8Array.from({ length }, () => Math.floor(random() * 256)),
  });
  const uuid = () => {
    const bytes = Array.from({ length: 16 }, () =>
      Math.floor(random() * 256)
        .toString(16)
        .padStart(2, '0'),
    );
    const hex = bytes.join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  };
  const createdAt = Array.from({ length: count }, () => NOW_MS - Math.floor(random() * HISTORY_MS)).sort(
    (a, b) => a - b,
  );
  let totalWords = 0;
  const memories = createdAt.map((createdAtMs): BenchMemory => {
    // A few topics dominate an agent's memories, as its work does.
    const primary = Math.floor(TOPICS.length * random() ** 1.6);
    const target = pick.int(MIN_WORDS, MAX_WORDS);
    // One sentence of its own, the rest from the pool (mostly the primary topic's).
    const sentences = [pick.of(SENTENCE_TEMPLATES)(TOPICS[primary]!, pick)];
    let length = wordCount(sentences[0]!);
    for (;;) {
      const topic = random() < 0.85 ? primary : pick.int(0, TOPICS.length - 1);
      const sentence = pick.of(pool[topic]!);
      const next = length + wordCount(sentence);
      if (length >= MIN_WORDS && (next > MAX_WORDS || length >= target)) break;
      sentences.push(sentence);
      length = next;
    }
    totalWords += length;
    const text = sentences.join(' ');
    idClock = createdAtMs;
    const embedding = embedLocally(text);
    return {
      memoryId: longTermMemoryId(ids.next()),
      createdAtMs,
      // Most writes keep the default importance; some callers rate theirs.
      importance: random() < 0.6 ? 0.5 : Math.round((0.1 + 0.9 * random()) * 100) / 100,
      text,
      source: { workflowId: uuid(), step: pick.of(STEPS), stepIndex: pick.int(0, 5), intentId: uuid() },
      embedding,
      encoded: encodeVector(embedding),
    };
  });
  const queries = Array.from({ length: SCORING_WARMUP + SCORING_QUERIES }, (): BenchQuery => {
    const text = pick.of(QUERY_TEMPLATES)(pick.of(TOPICS), pick);
    return { text, vector: embedLocally(text) };
  });
  return {
    sentences: pool.reduce((sum, sentences) => sum + sentences.length, 0),
    meanWords: totalWords / count,
    memories,
    queries,
  };
}

/** An agent of `size` memories: evenly spread over the corpus, so every size covers the same half year. */
function agentMemories(corpus: Corpus, size: number): BenchMemory[] {
  const stride = corpus.memories.length / size;
  return Array.from({ length: size }, (_, index) => corpus.memories[Math.floor(index * stride)]!);
}

const agentIdOf = (size: number) => `agent-${size}`;

function storedMemoryOf(table: string, agentId: string, memory: BenchMemory): StoredMemory {
  return longTermMemoryWrites(
    table,
    {
      tenantId: TENANT,
      agentId,
      layer: 'long-term',
      text: memory.text,
      importance: memory.importance,
      source: memory.source,
      embedderId: embedder.embedderId,
      vector: memory.encoded,
      createdAtMs: memory.createdAtMs,
    },
    memory.memoryId,
  ).memory;
}

// ---------------------------------------------------------------------------------------------------------
// Ranking: production (int8 + bounded heap) and the brute-force float64 baseline.

/** recallMemories' scoring and ranking, over rows already read. */
function productionTopK(rows: readonly MemoryVectorRow[], query: Float32Array): string[] {
  return rankVectorRows(rows, {
    query: prepareQuery(query),
    embedderId: embedder.embedderId,
    now: NOW_MS,
    limit: TOP_K,
  }).map((entry) => entry.candidate.memoryId);
}

interface ExactRow {
  memoryId: string;
  createdAtMs: number;
  importance: number;
  vector: Float64Array;
}

interface ExactScored {
  memoryId: string;
  createdAt: number;
  importance: number;
  similarity: number;
  score: number;
}

function exactCosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(normA * normB)));
}

/** memory-ranking.ts's score, written out: relevance, recency and importance, weighted, capped at 1. */
function exactScore(similarity: number, createdAt: number, importance: number): number {
  const weights = DEFAULT_RANKING_WEIGHTS;
  const relevance = Math.min(1, Math.max(0, similarity));
  const recency = 0.5 ** (Math.max(0, NOW_MS - createdAt) / DEFAULT_RECENCY_HALF_LIFE_MS);
  return Math.min(
    1,
    weights.relevance * relevance + weights.recency * recency + weights.importance * importance,
  );
}

/** The ranking's total order (memory-ranking.ts), for a full sort. */
function byRank(a: ExactScored, b: ExactScored): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.similarity !== b.similarity) return b.similarity - a.similarity;
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  if (a.importance !== b.importance) return b.importance - a.importance;
  return a.memoryId < b.memoryId ? -1 : a.memoryId > b.memoryId ? 1 : 0;
}

function bruteForceTopK(rows: readonly ExactRow[], query: Float64Array): ExactScored[] {
  const scored = rows.map((row): ExactScored => {
    const similarity = exactCosine(query, row.vector);
    return {
      memoryId: row.memoryId,
      createdAt: row.createdAtMs,
      importance: row.importance,
      similarity,
      score: exactScore(similarity, row.createdAtMs, row.importance),
    };
  });
  scored.sort(byRank);
  return scored.slice(0, TOP_K);
}

/** The baseline's score must be the ranking's: checked against scoreMemory on real candidates. */
function checkScoreFormula(rows: readonly ExactRow[], query: Float64Array): void {
  for (const row of rows.slice(0, 200)) {
    const similarity = exactCosine(query, row.vector);
    const expected = scoreMemory(
      { memoryId: row.memoryId, createdAt: row.createdAtMs, importance: row.importance, similarity },
      NOW_MS,
    ).score;
    const actual = exactScore(similarity, row.createdAtMs, row.importance);
    if (actual !== expected) {
      throw new Error(`baseline score ${actual} differs from scoreMemory's ${expected} for ${row.memoryId}`);
    }
  }
}

interface Agreement {
  mean: number;
  min: number;
  all: number;
  sameOrder: number;
  queries: number;
}

function agreementOf(
  pairs: readonly [production: readonly string[], baseline: readonly string[]][],
): Agreement {
  let total = 0;
  let min = TOP_K;
  let all = 0;
  let sameOrder = 0;
  for (const [production, baseline] of pairs) {
    const expected = new Set(baseline);
    const shared = production.filter((id) => expected.has(id)).length;
    total += shared;
    min = Math.min(min, shared);
    if (shared === baseline.length) all += 1;
    if (production.length === baseline.length && production.every((id, index) => id === baseline[index])) {
      sameOrder += 1;
    }
  }
  return { mean: total / pairs.length, min, all, sameOrder, queries: pairs.length };
}

function formatAgreement(agreement: Agreement): string {
  return `mean ${agreement.mean.toFixed(2)}/${TOP_K} ids shared, min ${agreement.min}/${TOP_K}; all ${TOP_K} shared in ${agreement.all}/${agreement.queries} queries, identical order in ${agreement.sameOrder}/${agreement.queries}`;
}

// ---------------------------------------------------------------------------------------------------------
// 1. Scoring alone.

function vectorRowOf(item: StoredMemory): MemoryVectorRow {
  return {
    agentKey: item.agentKey,
    slot: item.slot,
    memoryId: item.memoryId,
    layer: item.layer,
    importance: item.importance,
    embedderId: item.embedderId,
    vector: item.vector,
    createdAt: item.createdAt,
    createdAtMs: item.createdAtMs,
  };
}

function micros(value: number): string {
  return value >= 1_000 ? formatFigure(value / 1_000, 'ms') : formatFigure(value, 'µs');
}

function latency(summary: LatencySummary, format: (value: number) => string): string {
  return `p50 ${format(summary.p50)}, p99 ${format(summary.p99)}`;
}

function ratio(summary: LatencySummary, baseline: LatencySummary): string {
  return `${(summary.p50 / baseline.p50).toFixed(2)}x / ${(summary.p99 / baseline.p99).toFixed(2)}x`;
}

function scoringBenchmark(corpus: Corpus): void {
  console.log(
    `1. scoring alone, in-process (${SCORING_QUERIES} queries per size after ${SCORING_WARMUP} warm-up queries, variants interleaved per query, order rotated; top ${TOP_K})`,
  );
  for (const size of SIZES) {
    const memories = agentMemories(corpus, size);
    const rows = memories.map((memory) => vectorRowOf(storedMemoryOf('bench', agentIdOf(size), memory)));
    const exactRows = memories.map(
      (memory): ExactRow => ({
        memoryId: memory.memoryId,
        createdAtMs: memory.createdAtMs,
        importance: memory.importance,
        vector: Float64Array.from(memory.embedding),
      }),
    );
    const exactQueries = corpus.queries.map((query) => Float64Array.from(query.vector));
    checkScoreFormula(exactRows, exactQueries[0]!);

    type Variant = 'production' | 'baseline';
    const variants: Variant[] = ['production', 'baseline'];
    const results: Record<Variant, string[]> = { production: [], baseline: [] };
    const run: Record<Variant, (query: number) => void> = {
      production: (query) => {
        results.production = productionTopK(rows, corpus.queries[query]!.vector);
      },
      baseline: (query) => {
        results.baseline = bruteForceTopK(exactRows, exactQueries[query]!).map((entry) => entry.memoryId);
      },
    };
    const timings: Record<Variant, Float64Array> = {
      production: new Float64Array(SCORING_QUERIES),
      baseline: new Float64Array(SCORING_QUERIES),
    };
    const agreement: [string[], string[]][] = [];
    for (let query = 0; query < corpus.queries.length; query++) {
      const sample = query - SCORING_WARMUP;
      for (let offset = 0; offset < variants.length; offset++) {
        const variant = variants[(query + offset) % variants.length]!;
        const started = process.hrtime.bigint();
        run[variant](query);
        const elapsed = Number(process.hrtime.bigint() - started) / 1_000;
        if (sample >= 0) timings[variant][sample] = elapsed;
      }
      if (sample >= 0) {
        agreement.push([results.production, results.baseline]);
      }
    }
    const production = summarize(timings.production);
    const baseline = summarize(timings.baseline);
    const vectorMegabytes = (bytes: number) => `${((bytes * size) / 1e6).toFixed(2)} MB`;
    console.log(`  ${size.toLocaleString('en-US')} memories of one agent:`);
    console.log(
      `    production, rankVectorRows (int8 cosine + bounded heap):    ${latency(production, micros)}; vs baseline p50/p99 ${ratio(production, baseline)}`,
    );
    console.log(
      `    baseline, float64 exact cosine + full sort of all:         ${latency(baseline, micros)}`,
    );
    console.log(
      `    per memory (production p50): ${formatFigure((production.p50 * 1_000) / size, 'ns')}; vectors held: int8 ${vectorMegabytes(encodedVectorBytes(DIMENSIONS))}, float64 ${vectorMegabytes(8 * DIMENSIONS)}`,
    );
    console.log(
      `    top-${TOP_K} agreement, int8 vs exact float64: ${formatAgreement(agreementOf(agreement))}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// 2. Recall against DynamoDB Local.

interface CommandTally {
  calls: number;
  items: number;
  scanned: number;
  capacity: number;
  responseBytes: number;
}

type Tallies = Map<string, CommandTally>;

/**
 * Counts every command's calls (always), and while `accounting.on` also asks for the consumed capacity and
 * adds up items, scanned items, capacity units and response body bytes (Content-Length).
 */
function tallyCommands(client: DynamoDBClient): { tallies: Tallies; accounting: { on: boolean } } {
  const tallies: Tallies = new Map();
  const accounting = { on: false };
  const tallyOf = (command: string) => {
    let tally = tallies.get(command);
    if (tally === undefined) {
      tally = { calls: 0, items: 0, scanned: 0, capacity: 0, responseBytes: 0 };
      tallies.set(command, tally);
    }
    return tally;
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const tally = tallyOf(context.commandName ?? 'unknown');
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (accounting.on) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      tally.calls += 1;
      if (accounting.on) {
        const output = result.output as {
          Count?: number;
          ScannedCount?: number;
          Responses?: Record<string, unknown[]>;
          ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
        };
        tally.items +=
          output.Count ?? Object.values(output.Responses ?? {}).reduce((sum, list) => sum + list.length, 0);
        tally.scanned += output.ScannedCount ?? 0;
        const consumed = output.ConsumedCapacity;
        const units = Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed];
        for (const unit of units) tally.capacity += unit.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'benchMemoryTally' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (accounting.on) {
        const response = result.response as { headers?: Record<string, string | undefined> };
        tallyOf(context.commandName ?? 'unknown').responseBytes += Number(
          response.headers?.['content-length'] ?? 0,
        );
      }
      return result;
    },
    { step: 'deserialize', name: 'benchMemoryResponseBytes' },
  );
  return { tallies, accounting };
}

function formatTallies(tallies: Tallies): string {
  return [...tallies.entries()]
    .filter(([, tally]) => tally.calls > 0)
    .map(
      ([command, tally]) =>
        `${command.replace(/Command$/, '')} ×${tally.calls}: ${tally.items} items` +
        (tally.scanned > 0 ? ` (${tally.scanned} scanned)` : '') +
        `, ${tally.capacity.toFixed(1)} RCU, ${(tally.responseBytes / 1e6).toFixed(2)} MB JSON response body`,
    )
    .join('; ');
}

async function seedAgent(
  documents: DynamoDBDocumentClient,
  table: string,
  items: readonly StoredMemory[],
): Promise<{ millis: number; batches: number; retries: number }> {
  const first = items[0]!;
  const writes: Record<string, unknown>[] = [
    ...items.map((item) => ({ ...item })),
    { agentKey: first.agentKey, slot: META_SLOT, longTermCount: items.length },
  ];
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < writes.length; start += SEED_BATCH) {
    batches.push(writes.slice(start, start + SEED_BATCH));
  }
  let nextBatch = 0;
  let retries = 0;
  const started = performance.now();
  const worker = async () => {
    while (nextBatch < batches.length) {
      let requests: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = batches[
        nextBatch++
      ]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests !== undefined && requests.length > 0; attempt++) {
        if (attempt >= 10) throw new Error('DynamoDB Local kept leaving seed writes unprocessed');
        if (attempt > 0) {
          retries += 1;
          await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        }
        const { UnprocessedItems } = await documents.send(
          new BatchWriteCommand({ RequestItems: { [table]: requests } }),
        );
        requests = UnprocessedItems?.[table] as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: SEED_IN_FLIGHT }, worker));
  return { millis: performance.now() - started, batches: batches.length, retries };
}

/** The baseline recall: the whole partition with texts, decoded to float64, exact cosine, full sort. */
async function bruteForceRecall(
  documents: DynamoDBDocumentClient,
  table: string,
  agentId: string,
  queryText: string,
): Promise<{ ids: string[]; texts: number }> {
  const [queryVector] = await embedder.embed([queryText]);
  const query = Float64Array.from(queryVector!);
  const rows: (ExactRow & { text: string })[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'agentKey = :key',
        ExpressionAttributeValues: { ':key': agentKey(TENANT, agentId) },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of (page.Items ?? []) as Partial<StoredMemory>[]) {
      if (item.memoryId === undefined || item.vector === undefined) continue;
      rows.push({
        memoryId: item.memoryId,
        createdAtMs: item.createdAtMs!,
        importance: item.importance!,
        text: item.text!,
        vector: Float64Array.from(decodeVector(item.vector, DIMENSIONS)),
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  const top = bruteForceTopK(rows, query);
  const textById = new Map(rows.map((row) => [row.memoryId, row.text]));
  return {
    ids: top.map((entry) => entry.memoryId),
    texts: top.filter((entry) => textById.has(entry.memoryId)).length,
  };
}

async function recallBenchmark(corpus: Corpus): Promise<StoredMemory[]> {
  console.log(
    `2. recall against DynamoDB Local (a JVM on this machine; production recallMemories vs brute-force float64 over the full partition, interleaved per query, order rotated; top ${TOP_K})`,
  );
  const emulator = await startDynamoDbLocal({ port: 0 });
  const client = new DynamoDBClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const { tallies, accounting } = tallyCommands(client);
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const table = uniqueTableNames('bench-memory').memory;
  let largest: StoredMemory[] = [];
  try {
    await createTables(client, { memory: table });
    const deps: MemoryDependencies = { client: documents, memoryTable: table, embedder, clock: () => NOW_MS };
    for (const size of SIZES) {
      const agentId = agentIdOf(size);
      const items = agentMemories(corpus, size).map((memory) => storedMemoryOf(table, agentId, memory));
      largest = items;
      const seeded = await seedAgent(documents, table, items);
      console.log(
        `  ${size.toLocaleString('en-US')} memories: seeded ${items.length + 1} items (with the meta item) in ${seeded.batches} BatchWriteItem of ≤ ${SEED_BATCH}, ${SEED_IN_FLIGHT} in flight: ${formatFigure(seeded.millis / 1_000, 's')} (${Math.round(((items.length + 1) / seeded.millis) * 1_000)} items/s, ${seeded.retries} retries of unprocessed items)`,
      );

      type Variant = 'production' | 'baseline';
      const variants: Variant[] = ['production', 'baseline'];
      const latest: Record<Variant, string[]> = { production: [], baseline: [] };
      let considered = 0;
      let recalledTexts = 0;
      let baselineTexts = 0;
      const run: Record<Variant, (query: string) => Promise<void>> = {
        production: async (query) => {
          const recall = await recallMemories(deps, { tenantId: TENANT, agentId, query, limit: TOP_K });
          latest.production = recall.memories.map((entry) => entry.memory.memoryId);
          considered = recall.considered;
          recalledTexts = recall.memories.filter((entry) => typeof entry.memory.text === 'string').length;
        },
        baseline: async (query) => {
          const recall = await bruteForceRecall(documents, table, agentId, query);
          latest.baseline = recall.ids;
          baselineTexts = recall.texts;
        },
      };

      // Warm-up, which also decides how many samples fit.
      let slowest = 0;
      for (let round = 0; round < RECALL_WARMUP; round++) {
        for (const variant of variants) {
          const started = performance.now();
          await run[variant](corpus.queries[round]!.text);
          slowest = Math.max(slowest, performance.now() - started);
        }
      }
      const samples = slowest > SLOW_RECALL_MS ? SLOW_RECALL_QUERIES : RECALL_QUERIES;

      // One accounting recall of each, outside the timings.
      const accountingQuery = corpus.queries[RECALL_WARMUP]!.text;
      const accounted: Record<Variant, string> = { production: '', baseline: '' };
      for (const variant of variants) {
        tallies.clear();
        accounting.on = true;
        await run[variant](accountingQuery);
        accounting.on = false;
        accounted[variant] = formatTallies(tallies);
      }

      const millis: Record<Variant, Float64Array> = {
        production: new Float64Array(samples),
        baseline: new Float64Array(samples),
      };
      const agreement: [string[], string[]][] = [];
      for (let sample = 0; sample < samples; sample++) {
        const query = corpus.queries[RECALL_WARMUP + 1 + sample]!.text;
        for (let offset = 0; offset < variants.length; offset++) {
          const variant = variants[(sample + offset) % variants.length]!;
          const started = performance.now();
          await run[variant](query);
          millis[variant][sample] = performance.now() - started;
        }
        agreement.push([latest.production, latest.baseline]);
      }
      const production = summarize(millis.production);
      const baseline = summarize(millis.baseline);
      const ms = (value: number) => formatFigure(value, 'ms');
      console.log(
        `    ${samples} queries per variant after ${RECALL_WARMUP} warm-up rounds${samples < RECALL_QUERIES ? ` (fewer: a warm recall took ${formatFigure(slowest / 1_000, 's')})` : ''}; p99 of ${samples} samples is their maximum`,
      );
      console.log(
        `    production recallMemories (projection, int8, heap, BatchGet of winners): ${latency(production, ms)}; vs baseline p50/p99 ${ratio(production, baseline)}`,
      );
      console.log(
        `    baseline, full items with texts, float64 exact cosine, full sort:         ${latency(baseline, ms)}`,
      );
      console.log(`    per recall, production: ${accounted.production}`);
      console.log(`    per recall, baseline:   ${accounted.baseline}`);
      console.log(
        `    considered ${considered} memories; texts returned: production ${recalledTexts}/${TOP_K}, baseline ${baselineTexts}/${TOP_K}; top-${TOP_K} agreement (both from the stored int8 vectors): ${formatAgreement(agreementOf(agreement))}`,
      );
    }
  } finally {
    client.destroy();
    await emulator.stop();
  }
  return largest;
}

// ---------------------------------------------------------------------------------------------------------
// 3. Bytes per memory.

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** DynamoDB's size of a number: 1 byte per two significant digits, plus 1. */
function numberSize(value: number): number {
  const digits = String(Math.abs(value))
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** The size of one attribute value by DynamoDB's item-size rules (names are counted by the caller). */
function valueSize(value: unknown): number {
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number') return numberSize(value);
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  // Lists and maps: 3 bytes, plus 1 per element, plus the elements (and, in a map, their names).
  if (Array.isArray(value))
    return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object' && value !== undefined) {
    return (
      3 +
      Object.entries(value)
        .filter(([, element]) => element !== undefined)
        .reduce((sum, [name, element]) => sum + 1 + utf8Bytes(name) + valueSize(element), 0)
    );
  }
  throw new TypeError(`no DynamoDB size for ${typeof value}`);
}

function attributeSizes(item: object): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) sizes.set(name, utf8Bytes(name) + valueSize(value));
  }
  return sizes;
}

const sumOf = (sizes: Map<string, number>, names?: readonly string[]) =>
  [...sizes.entries()]
    .filter(([name]) => names === undefined || names.includes(name))
    .reduce((sum, [, size]) => sum + size, 0);

function sizeReport(items: readonly StoredMemory[]): void {
  const count = items.length;
  const attributeTotals = new Map<string, number>();
  let full = 0;
  let projected = 0;
  let asFloat32 = 0;
  let asFloat64 = 0;
  let asNumberList = 0;
  for (const item of items) {
    const sizes = attributeSizes(item);
    for (const [name, size] of sizes) attributeTotals.set(name, (attributeTotals.get(name) ?? 0) + size);
    const itemSize = sumOf(sizes);
    full += itemSize;
    projected += sumOf(sizes, VECTOR_ROW_ATTRIBUTES);
    const vectorSize = sizes.get('vector')!;
    const decoded = decodeVector(item.vector, DIMENSIONS);
    const name = utf8Bytes('vector');
    asFloat32 += itemSize - vectorSize + name + 4 * DIMENSIONS;
    asFloat64 += itemSize - vectorSize + name + 8 * DIMENSIONS;
    asNumberList += itemSize - vectorSize + name + valueSize(Array.from(decoded));
  }
  const mean = (total: number) => total / count;
  const bytes = (total: number) => `${Math.round(mean(total)).toLocaleString('en-US')} B`;
  // A Query reads (and bills) whole items, projection or not: 4 KB per RCU, half for eventually consistent.
  const queryRcu = (perItem: number) => (mean(perItem) * count) / 4096 / 2;
  console.log(
    `3. bytes per memory by DynamoDB's item-size rules (mean over the ${count.toLocaleString('en-US')} seeded items, ${DIMENSIONS} dims; names + values, numbers ⌈digits/2⌉ + 1, binary raw, maps 3 + 1 per element)`,
  );
  const order = [...attributeTotals.entries()].sort((a, b) => b[1] - a[1]);
  console.log(
    `  by attribute: ${order.map(([name, total]) => `${name} ${Math.round(mean(total))}`).join(', ')} (name + value, bytes)`,
  );
  const vector = mean(attributeTotals.get('vector')!);
  console.log(
    `  full item: ${bytes(full)}, of which the vector ${Math.round(vector)} B (int8 ${encodedVectorBytes(DIMENSIONS)} B value = 5 + D, ${((vector / mean(full)) * 100).toFixed(0)} % of the item) and the text ${Math.round(mean(attributeTotals.get('text')!))} B; stored: + 100 B DynamoDB index overhead each`,
  );
  console.log(
    `  recall's projection (${VECTOR_ROW_ATTRIBUTES.length} attributes, no text/source/tenantId/agentId): ${bytes(projected)} per memory, ${((projected / full) * 100).toFixed(0)} % of the full item: what recall moves per memory, ${((mean(projected) * count) / 1e6).toFixed(2)} MB per recall of ${count.toLocaleString('en-US')} vs ${((mean(full) * count) / 1e6).toFixed(2)} MB unprojected`,
  );
  console.log(
    '  the same item with the vector stored otherwise (RCU: one eventually consistent Query of the whole partition, which bills whole items, projection or not):',
  );
  const alternatives: [string, number][] = [
    [`int8 binary, 5 + D = ${encodedVectorBytes(DIMENSIONS)} B (stored)`, full],
    [`float32 binary, 4·D = ${4 * DIMENSIONS} B`, asFloat32],
    [`float64 binary, 8·D = ${8 * DIMENSIONS} B`, asFloat64],
    ['list of numbers (the decoded values as a DynamoDB L of N)', asNumberList],
  ];
  for (const [label, total] of alternatives) {
    console.log(
      `    ${label.padEnd(60)} ${bytes(total).padStart(8)} per item (${(mean(total) / mean(full)).toFixed(2)}x), ${queryRcu(total).toFixed(0)} RCU per recall of ${count.toLocaleString('en-US')}`,
    );
  }
}
