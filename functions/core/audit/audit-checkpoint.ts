// Checkpoints of a tenant's audit trail: every `interval` records (CHECKPOINT_INTERVAL, 1000), a Merkle
// root over the hashes of those records, chained to the previous checkpoint. Checkpoint n covers records
// (n−1)·interval+1 … n·interval; its `chainHash` is the hash of its last record, which the first record
// after it links to. Verifying the chain of checkpoints plus the records after the last one (mode
// `checkpoints`) therefore establishes the head without re-reading the records the checkpoints cover.
//
//   checkpointHash = SHA-256(canonical JSON of { number, fromSequence, toSequence, merkleRoot, chainHash,
//                                                previousCheckpointHash })
// The first checkpoint links to GENESIS_HASH. Everything is derived from the records, so writing the same
// checkpoint twice (two appenders, a retry) yields the same item.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../intents/canonical-json.ts';
import { buildMerkleTree } from '../proofs/merkle-tree.ts';
import type { AuditBreak } from './audit-break.ts';
import { GENESIS_HASH } from './audit-record.ts';

export const CHECKPOINT_INTERVAL = 1000;

export interface AuditCheckpoint {
  number: number;
  fromSequence: number;
  toSequence: number;
  merkleRoot: string;
  chainHash: string;
  previousCheckpointHash: string;
  checkpointHash: string;
}

export function checkpointRange(
  number: number,
  interval: number,
): { fromSequence: number; toSequence: number } {
  return { fromSequence: (number - 1) * interval + 1, toSequence: number * interval };
}

/** The number of the checkpoint whose last record is `sequence`, or undefined if none ends there. */
export function checkpointEndingAt(sequence: number, interval: number): number | undefined {
  return sequence > 0 && sequence % interval === 0 ? sequence / interval : undefined;
}

export function checkpointHashOf(fields: Omit<AuditCheckpoint, 'checkpointHash'>): string {
  const { number, fromSequence, toSequence, merkleRoot, chainHash, previousCheckpointHash } = fields;
  const text = canonicalJson({
    number,
    fromSequence,
    toSequence,
    merkleRoot,
    chainHash,
    previousCheckpointHash,
  });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Merkle root over record hashes (RFC 6962 tree of merkle-tree.ts). */
export function merkleRootOf(recordHashes: readonly string[]): string {
  return buildMerkleTree(recordHashes).root;
}

/**
 * Checkpoint `number` over `records` (exactly its range, in order), after `previous` (checkpoint
 * number−1; undefined for the first). Throws when the records or the previous checkpoint do not fit.
 */
export function buildCheckpoint(
  number: number,
  records: readonly { sequence: number; hash: string }[],
  previous: AuditCheckpoint | undefined,
  interval: number,
): AuditCheckpoint {
  const { fromSequence, toSequence } = checkpointRange(number, interval);
  if (records.length !== interval || records.some((record, i) => record.sequence !== fromSequence + i)) {
    throw new RangeError(`checkpoint ${number} needs records ${fromSequence}…${toSequence}, in order`);
  }
  if (number > 1 ? previous?.number !== number - 1 : previous !== undefined) {
    throw new RangeError(`checkpoint ${number} follows checkpoint ${number - 1}`);
  }
  const fields = {
    number,
    fromSequence,
    toSequence,
    merkleRoot: merkleRootOf(records.map((record) => record.hash)),
    chainHash: records[records.length - 1]!.hash,
    previousCheckpointHash: previous?.checkpointHash ?? GENESIS_HASH,
  };
  return { ...fields, checkpointHash: checkpointHashOf(fields) };
}

export interface CheckpointChainVerification {
  checked: number;
  /** The last checkpoint that holds (the anchor for the records after it). */
  last?: AuditCheckpoint;
  broken?: AuditBreak;
}

/**
 * Checks checkpoints read in number order: numbered 1, 2, 3… without a gap, each over its range, each
 * linked to the one before, each hash matching its fields, none beyond `headSequence`. Missing checkpoints
 * at the end are no break (they are written after their records; the records after the last checkpoint are
 * verified one by one instead).
 */
export function verifyCheckpointChain(
  items: readonly Record<string, unknown>[],
  interval: number,
  headSequence: number,
): CheckpointChainVerification {
  let last: AuditCheckpoint | undefined;
  let checked = 0;
  for (const item of items) {
    const expectedNumber = (last?.number ?? 0) + 1;
    const { fromSequence, toSequence } = checkpointRange(expectedNumber, interval);
    const broken = (field: string, reason: string): CheckpointChainVerification => ({
      checked,
      last,
      broken: { sequence: toSequence, eventId: null, field: `checkpoint.${field}`, reason },
    });
    if (item.number !== expectedNumber) {
      return broken('number', `checkpoint ${expectedNumber} is missing (found ${String(item.number)})`);
    }
    if (item.fromSequence !== fromSequence || item.toSequence !== toSequence) {
      return broken('fromSequence', `checkpoint ${expectedNumber} must cover ${fromSequence}…${toSequence}`);
    }
    if (toSequence > headSequence) {
      return broken(
        'toSequence',
        `checkpoint ${expectedNumber} covers records beyond the head (${headSequence})`,
      );
    }
    const expectedPrevious = last?.checkpointHash ?? GENESIS_HASH;
    if (item.previousCheckpointHash !== expectedPrevious) {
      return broken('previousCheckpointHash', `does not link to checkpoint ${expectedNumber - 1}`);
    }
    const checkpoint = item as unknown as AuditCheckpoint;
    if (item.checkpointHash !== checkpointHashOf(checkpoint)) {
      return broken(
        'checkpointHash',
        'does not match the checkpoint (merkleRoot, chainHash or range changed)',
      );
    }
    checked++;
    last = checkpoint;
  }
  return { checked, last };
}
