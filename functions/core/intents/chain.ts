// L2 of the intent engine (SPEC §3): each agent's intents form an append-only hash chain.
// - `sequence` is 1-based: the n-th intent an agent declares has sequence n, so the last sequence is also
//   the chain's length and a conditional write of n+1 can only follow n (no overwrite, no gap).
// - The first intent links to GENESIS_HASH, 64 zeros: the hex width of a SHA-256 digest, and a value no
//   real digest is expected to take.
// - `hash` is SHA-256 over the canonical JSON of every other field of the record — intentId, agentId,
//   tenantId, action, resource, context, timestamp, sequence and previousHash — so changing any field of
//   any record, or reordering, dropping or inserting records, breaks verification at exactly that record.
import { createHash } from 'node:crypto';
import { canonicalJson, type JsonObject } from './canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface IntentResource {
  id: string;
  type: string;
}

/** What the agent declares; the chain adds id, time and links. */
export interface IntentDraft {
  agentId: string;
  tenantId?: string;
  action: string;
  resource: IntentResource;
  context: JsonObject;
}

export interface IntentRecord extends IntentDraft {
  /** UUIDv7. */
  intentId: string;
  /** ISO 8601, UTC. */
  timestamp: string;
  sequence: number;
  previousHash: string;
  hash: string;
}

export interface AppendIntentDependencies {
  /** Unix epoch milliseconds. */
  clock: () => number;
  /** A fresh UUIDv7, e.g. `() => generator.next()`. */
  newIntentId: () => string;
}

export type ChainBreak = 'hash_mismatch' | 'previous_hash_mismatch' | 'sequence_gap';

export interface ChainVerification {
  valid: boolean;
  length: number;
  /** The first record that does not hold; `sequence` is the one it should have at its position. */
  brokenAt?: { sequence: number; intentId: string; reason: ChainBreak };
}

export function appendIntent(
  previous: IntentRecord | undefined,
  draft: IntentDraft,
  dependencies: AppendIntentDependencies,
): IntentRecord {
  if (previous && (previous.agentId !== draft.agentId || previous.tenantId !== draft.tenantId)) {
    throw new Error(
      `intent of agent "${draft.agentId}" cannot extend the chain of agent "${previous.agentId}"` +
        (previous.tenantId === draft.tenantId ? '' : ' in another tenant'),
    );
  }
  const unsigned: Omit<IntentRecord, 'hash'> = {
    ...draft,
    intentId: dependencies.newIntentId(),
    timestamp: new Date(dependencies.clock()).toISOString(),
    sequence: previous ? previous.sequence + 1 : 1,
    previousHash: previous ? previous.hash : GENESIS_HASH,
  };
  return { ...unsigned, hash: intentHash(unsigned) };
}

export function intentHash(record: Omit<IntentRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex');
}

/** Recomputes the chain from the genesis record and names the first broken link. */
export function verifyChain(records: readonly IntentRecord[]): ChainVerification {
  let expectedPreviousHash = GENESIS_HASH;
  for (const [position, record] of records.entries()) {
    const sequence = position + 1;
    const reason = firstBreak(record, sequence, expectedPreviousHash);
    if (reason)
      return {
        valid: false,
        length: records.length,
        brokenAt: { sequence, intentId: record.intentId, reason },
      };
    expectedPreviousHash = record.hash;
  }
  return { valid: true, length: records.length };
}

function firstBreak(
  record: IntentRecord,
  sequence: number,
  expectedPreviousHash: string,
): ChainBreak | undefined {
  if (record.sequence !== sequence) return 'sequence_gap';
  if (record.previousHash !== expectedPreviousHash) return 'previous_hash_mismatch';
  const { hash, ...unsigned } = record;
  let recomputed: string;
  try {
    recomputed = intentHash(unsigned);
  } catch {
    // A stored record that no longer serialises (a field swapped for a non-JSON value) is tampered too.
    return 'hash_mismatch';
  }
  return recomputed === hash ? undefined : 'hash_mismatch';
}
