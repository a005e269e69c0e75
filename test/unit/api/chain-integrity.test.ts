// chainIntegrity: verifyChain's answer, checked against the agent's chain head for a cut or rewritten tail.
import { describe, expect, it } from 'vitest';
import { chainIntegrity } from '../../../functions/app/intents/chain-integrity.ts';
import { appendIntent, type IntentRecord, verifyChain } from '../../../functions/core/intents/chain.ts';

function chainOf(length: number): IntentRecord[] {
  const records: IntentRecord[] = [];
  let id = 0;
  for (let i = 0; i < length; i++) {
    records.push(
      appendIntent(
        records.at(-1),
        {
          agentId: 'a1',
          tenantId: 't1',
          action: 'search_web',
          resource: { id: 'r', type: 'topic' },
          context: {},
        },
        { clock: () => 1_700_000_000_000 + i, newIntentId: () => `intent-${++id}` },
      ),
    );
  }
  return records;
}

function headOf(records: IntentRecord[]) {
  const last = records.at(-1)!;
  return { lastSequence: last.sequence, lastHash: last.hash };
}

describe('chainIntegrity', () => {
  it('accepts a chain that ends where its head says', () => {
    const records = chainOf(3);
    expect(chainIntegrity(verifyChain(records), records, headOf(records))).toEqual({
      valid: true,
      length: 3,
    });
  });

  it('accepts an empty chain without a head', () => {
    expect(chainIntegrity(verifyChain([]), [], undefined)).toEqual({ valid: true, length: 0 });
  });

  it('names the first missing sequence when records after the last one read are gone', () => {
    const records = chainOf(4);
    const remaining = records.slice(0, 2);
    expect(chainIntegrity(verifyChain(remaining), remaining, headOf(records))).toEqual({
      valid: false,
      length: 2,
      brokenAt: { sequence: 3, reason: 'missing_record' },
    });
  });

  it('names the last record when it was rewritten together with its own hash', () => {
    const records = chainOf(2);
    const head = headOf(records);
    const forged = appendIntent(
      records[0],
      {
        agentId: 'a1',
        tenantId: 't1',
        action: 'delete_data',
        resource: { id: 'r', type: 'topic' },
        context: {},
      },
      { clock: () => 1_700_000_000_001, newIntentId: () => 'intent-forged' },
    );
    const tampered = [records[0]!, forged];
    expect(verifyChain(tampered).valid).toBe(true);
    expect(chainIntegrity(verifyChain(tampered), tampered, head)).toEqual({
      valid: false,
      length: 2,
      brokenAt: { sequence: 2, intentId: 'intent-forged', reason: 'head_mismatch' },
    });
  });

  it('passes a broken link through as verifyChain named it', () => {
    const records = chainOf(3);
    const tampered = records.map((record, index) =>
      index === 1 ? { ...record, action: 'delete_data' } : record,
    );
    expect(chainIntegrity(verifyChain(tampered), tampered, headOf(records))).toEqual({
      valid: false,
      length: 3,
      brokenAt: { sequence: 2, intentId: 'intent-2', reason: 'hash_mismatch' },
    });
  });
});
