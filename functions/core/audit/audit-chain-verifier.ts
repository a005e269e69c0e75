// Verifies a tenant's audit records as they are read, one page after another, holding only the running
// state (and, for the Merkle check, the hashes of the current checkpoint interval): 100 000 records never
// sit in memory at once.
//
// Per record, in this order (the first failure is the break, naming the field at fault):
//   sequence      the next one: a gap (missing record) or a repeat/out-of-order record
//   previousHash  the hash of the record before (or the anchor the verification started from)
//   <field>       a field's value no longer matches its digest while the digests still reproduce the hash
//   fieldDigests  the digests were changed: the values, not the stored digests, reproduce the hash
//   hash          neither: the stored hash itself was changed
//   tenantId      a record of another tenant's trail
//   recordedAt    earlier than the previous record's
// and, when `checkpoints` are given, at the last record of each checkpoint's range: the checkpoint's
// Merkle root over the interval's record hashes, and its chainHash against the record's hash.
import type { AuditBreak } from './audit-break.ts';
import { type AuditCheckpoint, checkpointEndingAt, merkleRootOf } from './audit-checkpoint.ts';
import {
  type AuditChainTip,
  fieldDigestsOf,
  HASHED_FIELDS,
  type HashedField,
  recordHash,
} from './audit-record.ts';

export interface VerificationStart {
  /** The sequence the first record read must have. */
  sequence: number;
  /** What that record's previousHash must be: GENESIS_HASH, a checkpoint's chainHash, or the record before. */
  previousHash: string;
  previousRecordedAt?: string;
}

export interface AuditChainVerifierOptions {
  tenantId: string;
  start: VerificationStart;
  /** The checkpoint interval; with `checkpoints`, enables the Merkle check of each interval read whole. */
  interval: number;
  /** Checkpoints by number, to check against the records they cover. */
  checkpoints?: ReadonlyMap<number, AuditCheckpoint>;
}

export class AuditChainVerifier {
  private nextSequence: number;
  private previousHash: string;
  private previousRecordedAt: string | undefined;
  private intervalHashes: string[] = [];
  /** Records that held. */
  checked = 0;
  broken: AuditBreak | undefined;

  constructor(private readonly options: AuditChainVerifierOptions) {
    this.nextSequence = options.start.sequence;
    this.previousHash = options.start.previousHash;
    this.previousRecordedAt = options.start.previousRecordedAt;
  }

  /** Checks the next record read; false once the chain is broken (stop reading). */
  add(item: Readonly<Record<string, unknown>>): boolean {
    if (this.broken) return false;
    const broken = this.check(item) ?? this.checkCheckpoint(item);
    if (broken) {
      this.broken = broken;
      return false;
    }
    this.checked++;
    this.nextSequence++;
    this.previousHash = item.hash as string;
    this.previousRecordedAt = item.recordedAt as string;
    return true;
  }

  /** The sequence and hash of the last record that held (the start's anchor if none did). */
  get tip(): { sequence: number; hash: string; recordedAt: string | undefined } {
    return { sequence: this.nextSequence - 1, hash: this.previousHash, recordedAt: this.previousRecordedAt };
  }

  /**
   * Once every record up to the end of the trail was read: the head must name the last record. A head
   * beyond it means records at the end were deleted; a head behind it, records written around the logger.
   */
  finish(head: AuditChainTip | undefined): AuditBreak | undefined {
    if (this.broken) return this.broken;
    const last = this.tip;
    const headSequence = head?.lastSequence ?? 0;
    if (headSequence > last.sequence) {
      this.broken = {
        sequence: last.sequence + 1,
        eventId: null,
        field: 'sequence',
        reason: `records ${last.sequence + 1}…${headSequence} are missing (the chain head is at ${headSequence})`,
      };
    } else if (headSequence < last.sequence) {
      this.broken = {
        sequence: headSequence + 1,
        eventId: null,
        field: 'head.lastSequence',
        reason: `the chain head is at ${headSequence} but records go on to ${last.sequence}`,
      };
    } else if (head && head.lastHash !== last.hash) {
      this.broken = {
        sequence: last.sequence,
        eventId: null,
        field: 'head.lastHash',
        reason: `the chain head's hash is not the hash of record ${last.sequence}`,
      };
    }
    return this.broken;
  }

  private check(item: Readonly<Record<string, unknown>>): AuditBreak | undefined {
    const sequence = this.nextSequence;
    const eventId = typeof item.eventId === 'string' ? item.eventId : null;
    const broken = (field: string, reason: string): AuditBreak => ({ sequence, eventId, field, reason });
    if (item.sequence !== sequence) {
      const found = item.sequence;
      return typeof found === 'number' && found > sequence
        ? broken('sequence', `record ${sequence} is missing (the next record read is ${found})`)
        : broken(
            'sequence',
            `found sequence ${String(found)} where ${sequence} was expected (repeated or out of order)`,
          );
    }
    if (item.previousHash !== this.previousHash) {
      return broken('previousHash', `does not link to the hash of record ${sequence - 1}`);
    }
    const stored = item.fieldDigests;
    if (typeof stored !== 'object' || stored === null) return broken('fieldDigests', 'missing');
    const storedDigests = stored as Record<string, unknown>;
    const recomputed = fieldDigestsOf(item as Record<HashedField, unknown>);
    const changed = HASHED_FIELDS.filter((field) => recomputed[field] !== storedDigests[field]);
    if (recordHash(this.previousHash, sequence, storedDigests) === item.hash) {
      if (changed.length > 0) return broken(changed[0]!, 'the value no longer matches its digest');
    } else if (recordHash(this.previousHash, sequence, recomputed) === item.hash) {
      return broken('fieldDigests', `the digest of ${changed.join(', ')} was changed`);
    } else if (changed.length === 0) {
      return broken('hash', 'does not match the record');
    } else {
      return broken(changed[0]!, 'the value no longer matches its digest, nor the record its hash');
    }
    if (item.tenantId !== this.options.tenantId)
      return broken('tenantId', "a record of another tenant's trail");
    if (this.previousRecordedAt !== undefined && String(item.recordedAt) < this.previousRecordedAt) {
      return broken('recordedAt', `earlier than record ${sequence - 1}'s`);
    }
    return undefined;
  }

  private checkCheckpoint(item: Readonly<Record<string, unknown>>): AuditBreak | undefined {
    const { checkpoints, interval } = this.options;
    if (!checkpoints) return undefined;
    const sequence = this.nextSequence;
    this.intervalHashes.push(item.hash as string);
    const number = checkpointEndingAt(sequence, interval);
    if (number === undefined) return undefined;
    const hashes = this.intervalHashes;
    this.intervalHashes = [];
    const checkpoint = checkpoints.get(number);
    // An interval only partly read (verification started inside it) cannot be checked against its root.
    if (!checkpoint || hashes.length !== interval) return undefined;
    const broken = (field: string, reason: string): AuditBreak => ({
      sequence,
      eventId: null,
      field: `checkpoint.${field}`,
      reason,
    });
    if (checkpoint.chainHash !== item.hash) {
      return broken('chainHash', `checkpoint ${number}'s chainHash is not the hash of record ${sequence}`);
    }
    if (checkpoint.merkleRoot !== merkleRootOf(hashes)) {
      return broken(
        'merkleRoot',
        `checkpoint ${number}'s Merkle root does not match records ${sequence - interval + 1}…${sequence}`,
      );
    }
    return undefined;
  }
}
