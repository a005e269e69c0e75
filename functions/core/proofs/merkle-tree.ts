// Merkle trees over result hashes (SPEC §3 L4: proofs are batched, the root is stored, a proof
// lookup returns the Merkle path, verification recomputes the root).
//
// Hashing (RFC 6962 §2.1 domain separation):
//   leaf node  = SHA-256(0x00 || leaf)         leaf = the 32 bytes of a result hash
//   inner node = SHA-256(0x01 || left || right)
// A leaf can therefore never be passed off as an inner node (second-preimage attack on the tree).
//
// Odd-node rule: when a level has an odd number of nodes, the last node is promoted unchanged to
// the next level. It is NOT paired with a copy of itself: duplication makes the trees of
// [a, b, c] and [a, b, c, c] share a root (the ambiguity behind CVE-2012-2459). Promotion yields
// exactly the RFC 6962 Merkle Tree Hash, whose left subtree is the largest power of two.
//
// Empty trees are refused: a batch exists only once it has a proof in it, and a root over nothing
// would be a valid-looking value that proves nothing.
import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const INNER_PREFIX = Buffer.from([0x01]);
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface MerkleTree {
  /** levels[0] are the leaf node hashes, in leaf order; the last level is [root]. Lowercase hex. */
  levels: string[][];
  root: string;
}

export interface MerklePathStep {
  /** Where the sibling sits relative to the node being hashed upward. */
  position: 'left' | 'right';
  hash: string;
}

function sha256(...parts: Buffer[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

function leafNodeHash(leaf: string): string {
  return sha256(LEAF_PREFIX, Buffer.from(leaf, 'hex'));
}

function innerNodeHash(left: string, right: string): string {
  return sha256(INNER_PREFIX, Buffer.from(left, 'hex'), Buffer.from(right, 'hex'));
}

/** Leaves are result hashes: 64 lowercase hex characters (one canonical spelling per hash). */
export function buildMerkleTree(leaves: readonly string[]): MerkleTree {
  if (leaves.length === 0) throw new RangeError('a Merkle tree needs at least one leaf');
  leaves.forEach((leaf, index) => {
    if (!SHA256_HEX.test(leaf))
      throw new RangeError(`leaf ${index} is not a lowercase hex SHA-256: "${leaf}"`);
  });
  const levels: string[][] = [leaves.map(leafNodeHash)];
  let level = levels[0]!;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right === undefined ? level[i]! : innerNodeHash(level[i]!, right));
    }
    levels.push(next);
    level = next;
  }
  return { levels, root: level[0]! };
}

/** The siblings from the leaf at `index` up to the root; promoted levels contribute no step. */
export function merklePath(tree: MerkleTree, index: number): MerklePathStep[] {
  const leafCount = tree.levels[0]!.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= leafCount) {
    throw new RangeError(`leaf index must be within [0, ${leafCount - 1}], got ${index}`);
  }
  const path: MerklePathStep[] = [];
  let position = index;
  for (const level of tree.levels.slice(0, -1)) {
    const isRightChild = position % 2 === 1;
    const sibling = level[isRightChild ? position - 1 : position + 1];
    if (sibling !== undefined) path.push({ position: isRightChild ? 'left' : 'right', hash: sibling });
    position = Math.floor(position / 2);
  }
  return path;
}

/**
 * Recomputes the root from a leaf (a result hash) and its path. Malformed input is a failed
 * verification, not an exception: the input usually comes from outside.
 */
export function verifyMerklePath(leaf: string, path: readonly MerklePathStep[], root: string): boolean {
  if (!SHA256_HEX.test(leaf) || !SHA256_HEX.test(root)) return false;
  let node = leafNodeHash(leaf);
  for (const step of path) {
    if (!SHA256_HEX.test(step.hash)) return false;
    if (step.position === 'left') node = innerNodeHash(step.hash, node);
    else if (step.position === 'right') node = innerNodeHash(node, step.hash);
    else return false;
  }
  return node === root;
}
