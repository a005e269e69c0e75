import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../../functions/core/intents/canonical-json.ts';
import {
  appendIntent,
  GENESIS_HASH,
  type IntentDraft,
  type IntentRecord,
  verifyChain,
} from '../../../functions/core/intents/chain.ts';
import { UuidV7Generator } from '../../../functions/core/intents/uuidv7.ts';
import { deterministicRandomBytes } from './random-source.ts';

const T = Date.UTC(2026, 10, 25, 17, 0, 0);

function buildChain(drafts: readonly IntentDraft[]): IntentRecord[] {
  let now = T;
  const clock = () => now;
  const generator = new UuidV7Generator({ nowMs: clock, randomBytes: deterministicRandomBytes() });
  const records: IntentRecord[] = [];
  for (const draft of drafts) {
    records.push(appendIntent(records.at(-1), draft, { clock, newIntentId: () => generator.next() }));
    now += 1_250;
  }
  return records;
}

const draft = (action: string, context: JsonObject = {}): IntentDraft => ({
  agentId: 'research-agent',
  tenantId: 'tenant-a',
  action,
  resource: { id: 'report-42', type: 'reports' },
  context,
});

describe('appendIntent', () => {
  it('starts at sequence 1 on the genesis hash and links each record to the previous one', () => {
    const [first, second] = buildChain([draft('search_web'), draft('process_data', { step: 2 })]);
    expect(first).toMatchObject({
      sequence: 1,
      previousHash: GENESIS_HASH,
      timestamp: '2026-11-25T17:00:00.000Z',
      action: 'search_web',
    });
    expect(first!.intentId).toMatch(/^[0-9a-f-]{14}7/);
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toMatchObject({
      sequence: 2,
      previousHash: first!.hash,
      timestamp: '2026-11-25T17:00:01.250Z',
    });
  });

  it('hashes a canonical serialisation: key order does not matter, the format does not drift', () => {
    const fixed = { clock: () => T, newIntentId: () => '019abc00-0000-7000-8000-000000000000' };
    const one = appendIntent(undefined, draft('search_web', { a: 1, b: { c: [true, null] } }), fixed);
    const reordered = appendIntent(
      undefined,
      { ...draft('search_web'), context: { b: { c: [true, null] }, a: 1 } },
      fixed,
    );
    expect(reordered.hash).toBe(one.hash);
    // Pinned (SHA-256 of the sorted-key JSON, computed independently): stored chains must keep verifying
    // after any refactoring of the serialisation.
    expect(one.hash).toBe('0c798dbffddb48506c097d0695a2c51d576b413e0a82fd424213cfaff8c1e97a');
  });

  it("refuses to extend another agent's chain", () => {
    const [first] = buildChain([draft('search_web')]);
    const deps = { clock: () => T, newIntentId: () => 'id' };
    expect(() => appendIntent(first, { ...draft('x'), agentId: 'other-agent' }, deps)).toThrow(/other-agent/);
    expect(() => appendIntent(first, { ...draft('x'), tenantId: 'tenant-b' }, deps)).toThrow(
      /another tenant/,
    );
  });
});

describe('verifyChain', () => {
  it('accepts an empty chain and an intact one', () => {
    expect(verifyChain([])).toEqual({ valid: true, length: 0 });
    expect(verifyChain(buildChain([draft('a'), draft('b'), draft('c')]))).toEqual({ valid: true, length: 3 });
  });

  it('names a dropped record as a sequence gap', () => {
    const records = buildChain([draft('a'), draft('b'), draft('c')]);
    expect(verifyChain([records[0]!, records[2]!])).toEqual({
      valid: false,
      length: 2,
      brokenAt: { sequence: 2, intentId: records[2]!.intentId, reason: 'sequence_gap' },
    });
  });

  it('names a record re-linked into another chain position', () => {
    const records = buildChain([draft('a'), draft('b'), draft('c')]);
    const spliced = [records[0]!, { ...records[2]!, sequence: 2 }];
    expect(verifyChain(spliced).brokenAt).toEqual({
      sequence: 2,
      intentId: records[2]!.intentId,
      reason: 'previous_hash_mismatch',
    });
  });

  it('names a record whose context no longer serialises as a hash mismatch', () => {
    const records = buildChain([draft('a'), draft('b')]);
    const tampered = [records[0]!, { ...records[1]!, context: { amount: Number.NaN } }];
    expect(verifyChain(tampered).brokenAt).toMatchObject({ sequence: 2, reason: 'hash_mismatch' });
  });
});

// ---- the property: any single change to any record breaks verification at exactly that record ----

// fast-check types its JSON values with optional members; the values it generates never hold undefined.
const jsonValue = fc.jsonValue({ maxDepth: 2 }).map((value) => value as JsonValue);
const jsonContext = fc.dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 4 });

const drafts = fc
  .tuple(fc.string({ minLength: 1 }), fc.option(fc.string(), { nil: undefined }))
  .chain(([agentId, tenantId]) =>
    fc
      .array(
        fc.record({
          action: fc.string(),
          resource: fc.record({ id: fc.string(), type: fc.string() }),
          context: jsonContext,
        }),
        { minLength: 1, maxLength: 30 },
      )
      .map((bodies) =>
        bodies.map(
          (body): IntentDraft =>
            tenantId === undefined ? { agentId, ...body } : { agentId, tenantId, ...body },
        ),
      ),
  );

type Tamper = (record: IntentRecord) => IntentRecord;

const flipHexDigit = (hex: string, at: number) =>
  `${hex.slice(0, at)}${hex[at] === '0' ? '1' : '0'}${hex.slice(at + 1)}`;

const tampers: fc.Arbitrary<[string, Tamper]> = fc.oneof(
  fc.constantFrom<[string, Tamper]>(
    ['intentId', (r) => ({ ...r, intentId: `${r.intentId}0` })],
    ['agentId', (r) => ({ ...r, agentId: `${r.agentId}x` })],
    ['tenantId', (r) => ({ ...r, tenantId: r.tenantId === undefined ? '' : `${r.tenantId}x` })],
    ['action', (r) => ({ ...r, action: `${r.action}x` })],
    ['resource.id', (r) => ({ ...r, resource: { ...r.resource, id: `${r.resource.id}x` } })],
    ['resource.type', (r) => ({ ...r, resource: { ...r.resource, type: `${r.resource.type}x` } })],
    ['timestamp', (r) => ({ ...r, timestamp: new Date(Date.parse(r.timestamp) + 1).toISOString() })],
  ),
  fc
    .integer({ min: 0, max: 63 })
    .map((at): [string, Tamper] => ['hash', (r) => ({ ...r, hash: flipHexDigit(r.hash, at) })]),
  fc
    .integer({ min: 0, max: 63 })
    .map((at): [string, Tamper] => [
      'previousHash',
      (r) => ({ ...r, previousHash: flipHexDigit(r.previousHash, at) }),
    ]),
  fc
    .integer({ min: -5, max: 5 })
    .filter((delta) => delta !== 0)
    .map((delta): [string, Tamper] => ['sequence', (r) => ({ ...r, sequence: r.sequence + delta })]),
  fc.tuple(fc.string({ maxLength: 8 }), jsonValue).map(([key, value]): [string, Tamper] => [
    'context',
    // Wrapping an existing value in an array, or adding a key the context lacks, always changes it.
    (r) => ({
      ...r,
      context: Object.hasOwn(r.context, key)
        ? { ...r.context, [key]: [r.context[key]!] }
        : { ...r.context, [key]: value },
    }),
  ]),
);

const EXPECTED_REASON: Record<string, string> = {
  sequence: 'sequence_gap',
  previousHash: 'previous_hash_mismatch',
};

describe('verifyChain, property', () => {
  it('holds for every untouched chain', () => {
    fc.assert(
      fc.property(drafts, (chainDrafts) => {
        expect(verifyChain(buildChain(chainDrafts))).toEqual({ valid: true, length: chainDrafts.length });
      }),
    );
  });

  it('breaks at exactly the record whose field changed', () => {
    fc.assert(
      fc.property(drafts, fc.nat(), tampers, (chainDrafts, pick, [field, tamper]) => {
        const records = buildChain(chainDrafts);
        const index = pick % records.length;
        const tampered = records.map((record, i) => (i === index ? tamper(record) : record));
        expect(verifyChain(tampered)).toEqual({
          valid: false,
          length: records.length,
          brokenAt: {
            sequence: index + 1,
            intentId: tampered[index]!.intentId,
            reason: EXPECTED_REASON[field] ?? 'hash_mismatch',
          },
        });
      }),
      { numRuns: 500 },
    );
  });
});
