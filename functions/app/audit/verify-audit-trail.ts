// GET /v1/audit/verify: is the tenant's trail intact, and if not, where does it first break?
//
//   full         re-reads the records of [fromSequence, fromSequence + maxRecords) (default: from 1), checks
//                each one's digests, hash, link and sequence, each checkpoint wholly in the range against
//                its records (Merkle root, chainHash), the chain of checkpoints, and — once the range
//                reaches the end — the chain head. A longer trail answers `nextSequence`: ask again with
//                fromSequence=nextSequence (the range then starts from the stored hash of the record before
//                it, itself verified by the previous range).
//   checkpoints  verifies the chain of checkpoints (numbers, ranges, links, hashes) and re-reads only the
//                records after the last checkpoint, the first linking to its chainHash, up to the head. The
//                records the checkpoints cover are not re-read: this mode trusts them to be as they were
//                when checkpointed (a tamperer who rewrote a covered record and nothing else is caught by
//                full mode, not by this one).
import { type AuditBreak, earliestBreak } from '../../core/audit/audit-break.ts';
import { AuditChainVerifier, type VerificationStart } from '../../core/audit/audit-chain-verifier.ts';
import { type AuditCheckpoint, verifyCheckpointChain } from '../../core/audit/audit-checkpoint.ts';
import { GENESIS_HASH } from '../../core/audit/audit-record.ts';
import {
  readAuditCheckpoints,
  readAuditHead,
  readAuditRecord,
  readAuditRecordPages,
} from '../../data/audit-repository.ts';
import type { AuditTrailStore } from './audit-trail-config.ts';

export type VerificationMode = 'full' | 'checkpoints';

export interface AuditVerification {
  valid: boolean;
  mode: VerificationMode;
  checked: { records: number; checkpoints: number };
  head: { sequence: number; hash: string };
  /** The records this answer re-read (null when none were). */
  range: { fromSequence: number; toSequence: number } | null;
  /** Where the next range starts when this one stopped before the head; null once the head was reached. */
  nextSequence: number | null;
  firstBroken: AuditBreak | null;
}

export interface VerifyAuditDependencies extends AuditTrailStore {
  /** The most records one answer re-reads (MAX_FULL_VERIFY_RECORDS). */
  maxRecords: number;
}

export class FromSequenceBeyondHeadError extends Error {
  override readonly name = 'FromSequenceBeyondHeadError';
}

export async function verifyAuditTrail(
  deps: VerifyAuditDependencies,
  tenantId: string,
  request: { mode: VerificationMode; fromSequence?: number },
): Promise<AuditVerification> {
  const { client, table, checkpointInterval: interval } = deps;
  const [head, checkpointItems] = await Promise.all([
    readAuditHead(client, table, tenantId),
    readAuditCheckpoints(client, table, tenantId),
  ]);
  const headSequence = head?.lastSequence ?? 0;
  const checkpointChain = verifyCheckpointChain(checkpointItems, interval, headSequence);
  const answer = (
    fields: Pick<AuditVerification, 'range' | 'nextSequence'> & { records: number; broken?: AuditBreak },
  ): AuditVerification => ({
    valid: fields.broken === undefined,
    mode: request.mode,
    checked: { records: fields.records, checkpoints: checkpointChain.checked },
    head: { sequence: headSequence, hash: head?.lastHash ?? GENESIS_HASH },
    range: fields.range,
    nextSequence: fields.nextSequence,
    firstBroken: fields.broken ?? null,
  });

  let start: VerificationStart;
  let checkpoints: Map<number, AuditCheckpoint> | undefined;
  if (request.mode === 'checkpoints') {
    if (checkpointChain.broken) {
      return answer({ records: 0, range: null, nextSequence: null, broken: checkpointChain.broken });
    }
    const last = checkpointChain.last;
    start = { sequence: (last?.toSequence ?? 0) + 1, previousHash: last?.chainHash ?? GENESIS_HASH };
  } else {
    const fromSequence = request.fromSequence ?? 1;
    if (fromSequence > Math.max(headSequence, 1)) {
      throw new FromSequenceBeyondHeadError(`fromSequence is beyond the chain head (${headSequence})`);
    }
    const anchor =
      fromSequence === 1 ? undefined : await readAuditRecord(client, table, tenantId, fromSequence - 1);
    if (fromSequence > 1 && !anchor) {
      const missing = {
        sequence: fromSequence - 1,
        eventId: null,
        field: 'sequence',
        reason: `record ${fromSequence - 1} is missing`,
      };
      return answer({ records: 0, range: null, nextSequence: null, broken: missing });
    }
    start = anchor
      ? {
          sequence: fromSequence,
          previousHash: String(anchor.hash),
          previousRecordedAt: String(anchor.recordedAt),
        }
      : { sequence: 1, previousHash: GENESIS_HASH };
    checkpoints = new Map(
      (checkpointItems as unknown as AuditCheckpoint[])
        .slice(0, checkpointChain.checked)
        .map((checkpoint) => [checkpoint.number, checkpoint]),
    );
  }

  const toSequence = start.sequence + deps.maxRecords - 1;
  const reachesHead = toSequence >= headSequence;
  const verifier = new AuditChainVerifier({ tenantId, interval, start, checkpoints });
  // Up to the head, the read is open-ended: records written beyond it are found, not skipped.
  const pages = readAuditRecordPages(client, table, tenantId, {
    fromSequence: start.sequence,
    ...(reachesHead ? {} : { toSequence }),
  });
  reading: for await (const page of pages) {
    for (const item of page) {
      if (!verifier.add(item)) break reading;
      if (reachesHead && verifier.checked >= deps.maxRecords + 1) break reading;
    }
  }
  const recordBreak = reachesHead ? verifier.finish(head) : verifier.broken;
  const checkpointBreak = request.mode === 'full' ? checkpointChain.broken : undefined;
  return answer({
    records: verifier.checked,
    range: verifier.checked > 0 ? { fromSequence: start.sequence, toSequence: verifier.tip.sequence } : null,
    nextSequence: reachesHead || recordBreak ? null : toSequence + 1,
    broken: earliestBreak(recordBreak, checkpointBreak),
  });
}
