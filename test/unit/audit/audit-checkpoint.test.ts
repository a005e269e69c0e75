// Checkpoints: built from the records they cover, chained, and every tampering of the chain detected.
import { describe, expect, it } from 'vitest';
import {
  buildCheckpoint,
  checkpointEndingAt,
  checkpointHashOf,
  verifyCheckpointChain,
} from '../../../functions/core/audit/audit-checkpoint.ts';
import { GENESIS_HASH } from '../../../functions/core/audit/audit-record.ts';
import { buildMerkleTree } from '../../../functions/core/proofs/merkle-tree.ts';
import { buildCheckpoints, buildTrail } from './audit-chain-fixture.ts';

const INTERVAL = 4;
const { records } = buildTrail('acme', 14);
const checkpoints = buildCheckpoints(records, INTERVAL);
const asItems = (list: unknown[]) => structuredClone(list) as Record<string, unknown>[];

describe('buildCheckpoint', () => {
  it('roots a Merkle tree over the record hashes of its range and chains to the previous checkpoint', () => {
    expect(checkpoints).toHaveLength(3);
    const [first, second] = checkpoints;
    expect(first).toMatchObject({
      number: 1,
      fromSequence: 1,
      toSequence: 4,
      previousCheckpointHash: GENESIS_HASH,
    });
    expect(first!.merkleRoot).toBe(buildMerkleTree(records.slice(0, 4).map((r) => r.hash)).root);
    expect(first!.chainHash).toBe(records[3]!.hash);
    expect(second!.previousCheckpointHash).toBe(first!.checkpointHash);
    expect(second!.checkpointHash).toBe(checkpointHashOf(second!));
  });

  it('is deterministic: the same records give the same checkpoint', () => {
    expect(buildCheckpoint(1, records.slice(0, 4), undefined, INTERVAL)).toEqual(checkpoints[0]);
  });

  it('refuses records that are not exactly its range, or a previous checkpoint out of place', () => {
    expect(() => buildCheckpoint(1, records.slice(0, 3), undefined, INTERVAL)).toThrow(RangeError);
    expect(() => buildCheckpoint(2, records.slice(0, 4), checkpoints[0], INTERVAL)).toThrow(RangeError);
    expect(() => buildCheckpoint(2, records.slice(4, 8), undefined, INTERVAL)).toThrow(RangeError);
  });

  it('ends a checkpoint at each multiple of the interval', () => {
    expect(checkpointEndingAt(8, INTERVAL)).toBe(2);
    expect(checkpointEndingAt(9, INTERVAL)).toBeUndefined();
    expect(checkpointEndingAt(0, INTERVAL)).toBeUndefined();
  });
});

describe('verifyCheckpointChain', () => {
  it('accepts the chain and returns its last checkpoint', () => {
    const result = verifyCheckpointChain(asItems(checkpoints), INTERVAL, 14);
    expect(result.broken).toBeUndefined();
    expect(result.checked).toBe(3);
    expect(result.last?.number).toBe(3);
  });

  it('accepts checkpoints missing at the end (not written yet)', () => {
    const result = verifyCheckpointChain(asItems(checkpoints.slice(0, 2)), INTERVAL, 14);
    expect(result.broken).toBeUndefined();
    expect(result.last?.toSequence).toBe(8);
  });

  for (const field of ['merkleRoot', 'chainHash'] as const) {
    it(`detects a changed ${field} through the checkpoint hash`, () => {
      const items = asItems(checkpoints);
      items[1]![field] = 'f'.repeat(64);
      const result = verifyCheckpointChain(items, INTERVAL, 14);
      expect(result.broken).toMatchObject({ sequence: 8, field: 'checkpoint.checkpointHash' });
      expect(result.last?.number).toBe(1);
    });
  }

  it('detects a rewritten checkpoint (fields and its own hash recomputed) by the next link', () => {
    const items = asItems(checkpoints);
    const forged = { ...checkpoints[1]!, merkleRoot: 'f'.repeat(64) };
    items[1] = { ...forged, checkpointHash: checkpointHashOf(forged) };
    expect(verifyCheckpointChain(items, INTERVAL, 14).broken).toMatchObject({
      sequence: 12,
      field: 'checkpoint.previousCheckpointHash',
    });
  });

  it('detects a deleted checkpoint in the middle', () => {
    const items = asItems([checkpoints[0], checkpoints[2]]);
    expect(verifyCheckpointChain(items, INTERVAL, 14).broken).toMatchObject({
      sequence: 8,
      field: 'checkpoint.number',
    });
  });

  it('detects a checkpoint over a different range', () => {
    const items = asItems(checkpoints);
    items[0]!.toSequence = 5;
    expect(verifyCheckpointChain(items, INTERVAL, 14).broken).toMatchObject({
      field: 'checkpoint.fromSequence',
    });
  });

  it('detects a checkpoint beyond the chain head (records deleted at the end)', () => {
    expect(verifyCheckpointChain(asItems(checkpoints), INTERVAL, 10).broken).toMatchObject({
      sequence: 12,
      field: 'checkpoint.toSequence',
    });
  });
});
