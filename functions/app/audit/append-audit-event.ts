// The audit logger's effect for one bus event: append it to its tenant's trail, exactly once.
//
//   1. read the chain head, build the next record (core/audit/audit-record.ts)
//   2. one transaction: the record, the head moved to it, the event's marker (audit-repository.ts)
//      - the marker already exists: a second delivery; nothing is written, and that is success
//      - another appender took the sequence first: re-read the head and try again after a jittered,
//        growing pause, at most MAX_APPEND_ATTEMPTS times, then throw (SQS redelivers the message)
//   3. if the record closes a checkpoint interval, write the checkpoint (ensure-checkpoint.ts). This runs
//      for a duplicate too, so a crash between 2 and 3 is repaired by the redelivery.

import { checkpointEndingAt } from '../../core/audit/audit-checkpoint.ts';
import { buildAuditRecord } from '../../core/audit/audit-record.ts';
import { TENANT_ID_PATTERN } from '../../core/auth/caller.ts';
import type { BusEvent } from '../../core/events/event-envelope.ts';
import { MalformedEventError } from '../../core/events/event-envelope.ts';
import { readAuditHead, readEventRecordSequence, sendAuditAppend } from '../../data/audit-repository.ts';
import type { AuditTrailStore } from './audit-trail-config.ts';
import { ensureCheckpoint } from './ensure-checkpoint.ts';

export const MAX_APPEND_ATTEMPTS = 25;
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 400;

export interface AuditLoggerDependencies extends AuditTrailStore {
  /** Unix epoch milliseconds. */
  clock: () => number;
  /** [0, 1), for the backoff jitter. */
  random: () => number;
}

export interface AuditAppendResult {
  outcome: 'appended' | 'duplicate';
  sequence: number;
}

export class AuditAppendContentionError extends Error {
  override readonly name = 'AuditAppendContentionError';
}

export async function appendAuditEvent(
  deps: AuditLoggerDependencies,
  event: BusEvent,
): Promise<AuditAppendResult> {
  const { tenantId } = event.detail;
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    // `#` separates the table's key parts: such a tenant could write into another tenant's head or markers.
    throw new MalformedEventError('detail.tenantId', 'letters, digits, - and _ only, at most 64 characters');
  }
  const result = await appendOnce(deps, event);
  const checkpoint = checkpointEndingAt(result.sequence, deps.checkpointInterval);
  if (checkpoint !== undefined) await ensureCheckpoint(deps, tenantId, checkpoint);
  return result;
}

async function appendOnce(deps: AuditLoggerDependencies, event: BusEvent): Promise<AuditAppendResult> {
  const { detail } = event;
  const audited = {
    tenantId: detail.tenantId,
    eventId: detail.eventId,
    type: detail.type,
    source: event.source,
    occurredAt: detail.occurredAt,
    data: detail.data,
  };
  for (let attempt = 1; ; attempt++) {
    const tip = await readAuditHead(deps.client, deps.table, detail.tenantId);
    const record = buildAuditRecord(tip, audited, deps.clock());
    const outcome = await sendAuditAppend(deps.client, deps.table, record, tip);
    if (outcome === 'appended') return { outcome, sequence: record.sequence };
    if (outcome === 'duplicate') {
      const sequence = await readEventRecordSequence(
        deps.client,
        deps.table,
        detail.tenantId,
        detail.eventId,
      );
      return { outcome, sequence: sequence ?? 0 };
    }
    if (attempt >= MAX_APPEND_ATTEMPTS) {
      throw new AuditAppendContentionError(
        `audit trail of tenant "${detail.tenantId}" stayed contended for ${MAX_APPEND_ATTEMPTS} attempts`,
      );
    }
    await pause(deps.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
