// Verification of audit records names the record and the field that no longer holds, for every field.
import { describe, expect, it } from 'vitest';
import { AuditChainVerifier } from '../../../functions/core/audit/audit-chain-verifier.ts';
import type { AuditCheckpoint } from '../../../functions/core/audit/audit-checkpoint.ts';
import {
  type AuditRecord,
  buildAuditRecord,
  GENESIS_HASH,
  tipOf,
} from '../../../functions/core/audit/audit-record.ts';
import { buildCheckpoints, buildTrail, sampleEvent, T0 } from './audit-chain-fixture.ts';

type Item = Record<string, unknown>;

function verify(
  items: readonly Item[],
  options: { tenantId?: string; interval?: number; checkpoints?: AuditCheckpoint[] } = {},
) {
  const verifier = new AuditChainVerifier({
    tenantId: options.tenantId ?? 'acme',
    interval: options.interval ?? 1000,
    start: { sequence: 1, previousHash: GENESIS_HASH },
    checkpoints: options.checkpoints && new Map(options.checkpoints.map((c) => [c.number, c])),
  });
  for (const item of items) if (!verifier.add(item)) break;
  return verifier;
}

const copy = (records: readonly AuditRecord[]): Item[] => structuredClone(records) as unknown as Item[];

/** Every field of a stored record, and an edit of only that field. */
const EDITS: Record<keyof AuditRecord, (item: Item) => void> = {
  sequence: (item) => {
    item.sequence = (item.sequence as number) + 1;
  },
  tenantId: (item) => {
    item.tenantId = 'other';
  },
  eventId: (item) => {
    item.eventId = `evt_${'f'.repeat(32)}`;
  },
  type: (item) => {
    item.type = 'intent.declared';
  },
  source: (item) => {
    item.source = 'trustgate.ingest';
  },
  occurredAt: (item) => {
    item.occurredAt = new Date(T0 - 86_400_000).toISOString();
  },
  recordedAt: (item) => {
    item.recordedAt = new Date(Date.parse(item.recordedAt as string) + 1).toISOString();
  },
  subject: (item) => {
    item.subject = { agentId: 'someone-else' };
  },
  detail: (item) => {
    (item.detail as Item).decision = 'DENY';
  },
  previousHash: (item) => {
    item.previousHash = 'a'.repeat(64);
  },
  hash: (item) => {
    item.hash = 'b'.repeat(64);
  },
  fieldDigests: (item) => {
    (item.fieldDigests as Item).detail = 'c'.repeat(64);
  },
};

describe('AuditChainVerifier', () => {
  const { records, tip } = buildTrail('acme', 7);

  it('accepts an intact trail and ends at its head', () => {
    const verifier = verify(copy(records));
    expect(verifier.broken).toBeUndefined();
    expect(verifier.checked).toBe(7);
    expect(verifier.finish(tip)).toBeUndefined();
    expect(verifier.tip).toMatchObject({ sequence: 7, hash: records[6]!.hash });
  });

  for (const [field, edit] of Object.entries(EDITS)) {
    it(`names record 5 and the field "${field}" when only ${field} was changed`, () => {
      const items = copy(records);
      edit(items[4]!);
      const verifier = verify(items);
      expect(verifier.broken).toMatchObject({ sequence: 5, eventId: items[4]!.eventId, field });
      expect(verifier.checked).toBe(4);
    });
  }

  it('names a field whose attribute was removed', () => {
    const items = copy(records);
    delete items[2]!.subject;
    expect(verify(items).broken).toMatchObject({ sequence: 3, field: 'subject' });
  });

  it('names sequence for a missing record, a repeated one and a swap', () => {
    const missing = copy(records);
    missing.splice(3, 1);
    expect(verify(missing).broken).toMatchObject({ sequence: 4, field: 'sequence' });
    expect(verify(missing).broken?.reason).toMatch(/record 4 is missing/);

    const repeated = copy(records);
    repeated.splice(3, 0, structuredClone(repeated[2]!));
    expect(verify(repeated).broken).toMatchObject({ sequence: 4, field: 'sequence' });

    const swapped = copy(records);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(verify(swapped).broken).toMatchObject({ sequence: 2, field: 'sequence' });
  });

  it('names previousHash at the record after one rewritten with consistent digests and hash', () => {
    const items = copy(records);
    // Record 3 replaced by a well-formed record 3 of another event: it holds, record 4 no longer links.
    items[2] = buildAuditRecord(tipOf(records[1]!), sampleEvent('acme', 99), T0 + 2000) as unknown as Item;
    expect(verify(items.slice(0, 3)).broken).toBeUndefined();
    expect(verify(items).broken).toMatchObject({ sequence: 4, field: 'previousHash' });
  });

  it("names tenantId for another tenant's intact trail", () => {
    const other = buildTrail('globex', 2).records;
    expect(verify(copy(other), { tenantId: 'acme' }).broken).toMatchObject({
      sequence: 1,
      field: 'tenantId',
    });
  });

  it('names recordedAt when a record was recorded before the previous one', () => {
    const first = buildAuditRecord(undefined, sampleEvent('acme', 0), T0 + 10_000);
    const early = { ...tipOf(first), lastRecordedAt: new Date(T0).toISOString() };
    const second = buildAuditRecord(early, sampleEvent('acme', 1), T0 + 5_000);
    expect(verify(copy([first, second])).broken).toMatchObject({ sequence: 2, field: 'recordedAt' });
  });

  describe('finish against the chain head', () => {
    it('reports records missing at the end', () => {
      const verifier = verify(copy(records.slice(0, 5)));
      expect(verifier.finish(tip)).toMatchObject({ sequence: 6, field: 'sequence' });
    });

    it('reports records beyond the head', () => {
      const verifier = verify(copy(records));
      expect(verifier.finish(tipOf(records[4]!))).toMatchObject({ sequence: 6, field: 'head.lastSequence' });
    });

    it("reports a head whose hash is not the last record's", () => {
      const verifier = verify(copy(records));
      expect(verifier.finish({ ...tip!, lastHash: 'd'.repeat(64) })).toMatchObject({
        sequence: 7,
        field: 'head.lastHash',
      });
    });

    it('accepts an empty trail without a head', () => {
      expect(verify([]).finish(undefined)).toBeUndefined();
    });
  });

  describe('checkpoints against the records they cover', () => {
    const trail = buildTrail('acme', 9).records;
    const checkpoints = buildCheckpoints(trail, 4);

    it('accepts checkpoints that match', () => {
      const verifier = verify(copy(trail), { interval: 4, checkpoints });
      expect(verifier.broken).toBeUndefined();
      expect(verifier.checked).toBe(9);
    });

    it("names checkpoint.merkleRoot when a checkpoint's root does not match its records", () => {
      const tampered = structuredClone(checkpoints);
      tampered[1]!.merkleRoot = 'e'.repeat(64);
      expect(verify(copy(trail), { interval: 4, checkpoints: tampered }).broken).toMatchObject({
        sequence: 8,
        field: 'checkpoint.merkleRoot',
      });
    });

    it("names checkpoint.chainHash when it is not the hash of the checkpoint's last record", () => {
      const tampered = structuredClone(checkpoints);
      tampered[0]!.chainHash = 'e'.repeat(64);
      expect(verify(copy(trail), { interval: 4, checkpoints: tampered }).broken).toMatchObject({
        sequence: 4,
        field: 'checkpoint.chainHash',
      });
    });
  });
});
