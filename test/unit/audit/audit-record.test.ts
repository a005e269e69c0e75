// Building audit records: numbering, links, time order, subject and the per-field digests the hash covers.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildAuditRecord,
  fieldDigest,
  GENESIS_HASH,
  HASHED_FIELDS,
  recordHash,
  subjectOf,
  tipOf,
} from '../../../functions/core/audit/audit-record.ts';
import { canonicalJson } from '../../../functions/core/intents/canonical-json.ts';
import { sampleEvent, T0 } from './audit-chain-fixture.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('buildAuditRecord', () => {
  it('numbers the first record 1 and links it to the genesis hash', () => {
    const record = buildAuditRecord(undefined, sampleEvent('acme', 0), T0);
    expect(record.sequence).toBe(1);
    expect(record.previousHash).toBe(GENESIS_HASH);
    expect(record.recordedAt).toBe(new Date(T0).toISOString());
  });

  it('follows the tip: next sequence, previous hash', () => {
    const first = buildAuditRecord(undefined, sampleEvent('acme', 0), T0);
    const second = buildAuditRecord(tipOf(first), sampleEvent('acme', 1), T0 + 5);
    expect(second.sequence).toBe(2);
    expect(second.previousHash).toBe(first.hash);
    expect(second.hash).not.toBe(first.hash);
  });

  it('never records a time before the previous record, whatever the clock says', () => {
    const first = buildAuditRecord(undefined, sampleEvent('acme', 0), T0 + 60_000);
    const second = buildAuditRecord(tipOf(first), sampleEvent('acme', 1), T0);
    expect(second.recordedAt).toBe(first.recordedAt);
  });

  it('keeps the event as received: ids, type, source, occurredAt, data as detail', () => {
    const event = sampleEvent('acme', 0);
    const record = buildAuditRecord(undefined, event, T0);
    expect(record).toMatchObject({
      tenantId: 'acme',
      eventId: event.eventId,
      type: 'intent.decided',
      source: 'trustgate.intents',
      occurredAt: event.occurredAt,
      detail: event.data,
      subject: { agentId: 'agent-0', workflowId: 'wf-0' },
    });
  });

  it('digests each hashed field as SHA-256 of its canonical JSON', () => {
    const record = buildAuditRecord(undefined, sampleEvent('acme', 1), T0);
    for (const field of HASHED_FIELDS) {
      expect(record.fieldDigests[field], field).toBe(sha256(canonicalJson(record[field])));
    }
  });

  it('hashes previousHash, sequence and the digests in HASHED_FIELDS order, newline-separated', () => {
    const record = buildAuditRecord(undefined, sampleEvent('acme', 0), T0);
    const text = [record.previousHash, '1', ...HASHED_FIELDS.map((field) => record.fieldDigests[field])].join(
      '\n',
    );
    expect(record.hash).toBe(sha256(text));
    expect(recordHash(record.previousHash, 1, record.fieldDigests)).toBe(record.hash);
  });

  it('gives an absent value a digest no stored value has', () => {
    expect(fieldDigest(undefined)).not.toBe(fieldDigest(null));
    expect(fieldDigest(undefined)).not.toBe(fieldDigest(''));
  });
});

describe('subjectOf', () => {
  it('takes agentId and workflowId when the data names them as strings', () => {
    expect(subjectOf({ agentId: 'a', workflowId: 'w', other: 1 })).toEqual({ agentId: 'a', workflowId: 'w' });
    expect(subjectOf({ queue: 'q', messages: 3 })).toEqual({});
    expect(subjectOf({ agentId: 7 })).toEqual({});
    expect(subjectOf(null)).toEqual({});
  });
});
