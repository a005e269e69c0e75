import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MerklePathStep } from '../../../functions/core/proofs/merkle-tree.ts';
import { buildMerkleTree, merklePath, verifyMerklePath } from '../../../functions/core/proofs/merkle-tree.ts';

const sha256 = (...parts: Buffer[]): string =>
  createHash('sha256').update(Buffer.concat(parts)).digest('hex');
const leafHash = (leaf: string) => sha256(Buffer.from([0]), Buffer.from(leaf, 'hex'));
const innerHash = (left: string, right: string) =>
  sha256(Buffer.from([1]), Buffer.from(left, 'hex'), Buffer.from(right, 'hex'));

/** RFC 6962 §2.1 Merkle Tree Hash, written independently as the reference. */
function rfc6962Root(leaves: readonly string[]): string {
  if (leaves.length === 1) return leafHash(leaves[0]!);
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  return innerHash(rfc6962Root(leaves.slice(0, split)), rfc6962Root(leaves.slice(split)));
}

const leavesOf = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => createHash('sha256').update(`result ${i}`).digest('hex'));

/** Flips one bit of a hex digest. */
function flipBit(hex: string, bit: number): string {
  const bytes = Buffer.from(hex, 'hex');
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString('hex');
}

describe('buildMerkleTree', () => {
  it('gives a single leaf its leaf node hash as root and an empty path', () => {
    const [leaf] = leavesOf(1);
    const tree = buildMerkleTree([leaf!]);
    expect(tree.root).toBe(leafHash(leaf!));
    expect(tree.levels).toEqual([[leafHash(leaf!)]]);
    expect(merklePath(tree, 0)).toEqual([]);
    expect(verifyMerklePath(leaf!, [], tree.root)).toBe(true);
  });

  it('promotes the odd last node unchanged instead of duplicating it', () => {
    const [a, b, c] = leavesOf(3) as [string, string, string];
    const tree = buildMerkleTree([a, b, c]);
    expect(tree.levels[1]).toEqual([innerHash(leafHash(a), leafHash(b)), leafHash(c)]);
    expect(tree.root).toBe(innerHash(innerHash(leafHash(a), leafHash(b)), leafHash(c)));
    // With duplication, [a, b, c] and [a, b, c, c] would share this root.
    expect(buildMerkleTree([a, b, c, c]).root).not.toBe(tree.root);
    expect(merklePath(tree, 2)).toEqual([{ position: 'left', hash: innerHash(leafHash(a), leafHash(b)) }]);
  });

  it('separates leaves from inner nodes: an inner node presented as a leaf does not verify', () => {
    const [a, b, c, d] = leavesOf(4) as [string, string, string, string];
    const tree = buildMerkleTree([a, b, c, d]);
    const innerAB = tree.levels[1]![0]!;
    expect(verifyMerklePath(innerAB, [{ position: 'right', hash: tree.levels[1]![1]! }], tree.root)).toBe(
      false,
    );
  });

  it('computes the RFC 6962 Merkle Tree Hash for every size from 1 to 20', () => {
    for (let size = 1; size <= 20; size++) {
      const leaves = leavesOf(size);
      expect(buildMerkleTree(leaves).root).toBe(rfc6962Root(leaves));
    }
  });

  it('refuses an empty tree and leaves that are not lowercase hex SHA-256 digests', () => {
    expect(() => buildMerkleTree([])).toThrow(/at least one leaf/);
    expect(() => buildMerkleTree(['abc'])).toThrow(/leaf 0/);
    expect(() => buildMerkleTree([leavesOf(1)[0]!.toUpperCase()])).toThrow(/leaf 0/);
  });
});

describe('merklePath and verifyMerklePath', () => {
  it('verify every leaf of every tree of 1 to 20 leaves, and only at its own index', () => {
    for (let size = 1; size <= 20; size++) {
      const leaves = leavesOf(size);
      const tree = buildMerkleTree(leaves);
      leaves.forEach((leaf, index) => {
        const path = merklePath(tree, index);
        expect(path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(verifyMerklePath(leaf, path, tree.root)).toBe(true);
        if (size > 1) expect(verifyMerklePath(leaves[(index + 1) % size]!, path, tree.root)).toBe(false);
      });
    }
  });

  it('refuses an index outside the tree', () => {
    const tree = buildMerkleTree(leavesOf(3));
    expect(() => merklePath(tree, 3)).toThrow(/\[0, 2\]/);
    expect(() => merklePath(tree, -1)).toThrow(RangeError);
    expect(() => merklePath(tree, 0.5)).toThrow(RangeError);
  });

  it('answers false, not an exception, to malformed input', () => {
    const leaves = leavesOf(4);
    const tree = buildMerkleTree(leaves);
    const path = merklePath(tree, 1);
    expect(verifyMerklePath('zz', path, tree.root)).toBe(false);
    expect(verifyMerklePath(leaves[1]!, path, 'not-a-root')).toBe(false);
    expect(verifyMerklePath(leaves[1]!, [{ position: 'left', hash: 'xyz' }], tree.root)).toBe(false);
    const badPosition = [{ ...path[0]!, position: 'up' } as unknown as MerklePathStep, ...path.slice(1)];
    expect(verifyMerklePath(leaves[1]!, badPosition, tree.root)).toBe(false);
  });

  it('rejects a path whose step positions are swapped', () => {
    const leaves = leavesOf(4);
    const tree = buildMerkleTree(leaves);
    const swapped = merklePath(tree, 0).map((step) => ({
      ...step,
      position: step.position === 'left' ? ('right' as const) : ('left' as const),
    }));
    expect(verifyMerklePath(leaves[0]!, swapped, tree.root)).toBe(false);
  });
});

describe('Merkle properties', () => {
  const tree = fc
    .array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 64 })
    .map((raw) => raw.map((bytes) => Buffer.from(bytes).toString('hex')))
    .chain((leaves) => fc.record({ leaves: fc.constant(leaves), index: fc.nat({ max: leaves.length - 1 }) }));
  const bit = fc.nat({ max: 255 });

  it('every path verifies against its root', () => {
    fc.assert(
      fc.property(tree, ({ leaves, index }) => {
        const built = buildMerkleTree(leaves);
        expect(verifyMerklePath(leaves[index]!, merklePath(built, index), built.root)).toBe(true);
      }),
    );
  });

  it('a flipped bit in the leaf, in any path hash or in the root never verifies', () => {
    fc.assert(
      fc.property(tree, bit, fc.nat(), ({ leaves, index }, flipped, stepChoice) => {
        const built = buildMerkleTree(leaves);
        const leaf = leaves[index]!;
        const path = merklePath(built, index);
        expect(verifyMerklePath(flipBit(leaf, flipped), path, built.root)).toBe(false);
        expect(verifyMerklePath(leaf, path, flipBit(built.root, flipped))).toBe(false);
        if (path.length > 0) {
          const step = stepChoice % path.length;
          const tampered = path.map((entry, i) =>
            i === step ? { ...entry, hash: flipBit(entry.hash, flipped) } : entry,
          );
          expect(verifyMerklePath(leaf, tampered, built.root)).toBe(false);
        }
      }),
    );
  });
});
