// Writes checkpoint `number` of a tenant's trail, and any earlier one that is missing (a crash between an
// append and its checkpoint leaves a gap until the message is redelivered; this fills it). A checkpoint is
// written only over records that verify from the previous checkpoint's chainHash: a checkpoint attests
// records as they were found intact, never records already tampered with (those are left for verify to
// report, and no further checkpoint is written after them).

import { AuditChainVerifier } from '../../core/audit/audit-chain-verifier.ts';
import type { AuditCheckpoint } from '../../core/audit/audit-checkpoint.ts';
import { buildCheckpoint, checkpointRange } from '../../core/audit/audit-checkpoint.ts';
import { GENESIS_HASH } from '../../core/audit/audit-record.ts';
import {
  putAuditCheckpoint,
  readAuditRecordPages,
  readLatestCheckpoint,
} from '../../data/audit-repository.ts';
import { logger } from '../../observability/powertools.ts';
import type { AuditTrailStore } from './audit-trail-config.ts';

export async function ensureCheckpoint(
  store: AuditTrailStore,
  tenantId: string,
  number: number,
): Promise<void> {
  const { client, table } = store;
  let latest = await readLatestCheckpoint(client, table, tenantId, number);
  while ((latest?.number ?? 0) < number) {
    const next = (latest?.number ?? 0) + 1;
    const built = await checkpointOverVerifiedRecords(store, tenantId, next, latest);
    if (!built) return;
    await putAuditCheckpoint(client, table, tenantId, built);
    // Another writer's copy wins if it got there first; it is the same unless the records changed since.
    latest = (await readLatestCheckpoint(client, table, tenantId, next)) ?? built;
  }
}

async function checkpointOverVerifiedRecords(
  store: AuditTrailStore,
  tenantId: string,
  number: number,
  previous: AuditCheckpoint | undefined,
): Promise<AuditCheckpoint | undefined> {
  const interval = store.checkpointInterval;
  const range = checkpointRange(number, interval);
  const verifier = new AuditChainVerifier({
    tenantId,
    interval,
    start: { sequence: range.fromSequence, previousHash: previous?.chainHash ?? GENESIS_HASH },
  });
  const records: { sequence: number; hash: string }[] = [];
  for await (const page of readAuditRecordPages(store.client, store.table, tenantId, range)) {
    for (const item of page) {
      if (!verifier.add(item)) break;
      records.push({ sequence: item.sequence as number, hash: item.hash as string });
    }
    if (verifier.broken) break;
  }
  if (verifier.broken || records.length !== interval) {
    logger.error('audit checkpoint not written: its records do not verify', {
      tenantId,
      checkpoint: number,
      firstBroken: verifier.broken ?? { reason: `${records.length} of ${interval} records found` },
    });
    return undefined;
  }
  return buildCheckpoint(number, records, previous, interval);
}
