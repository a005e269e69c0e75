// What `GET /v1/proofs/{hash}` answers (SPEC §3 L4). A proof is PENDING until the workflow's finish step
// seals it into a Merkle batch, SEALED after. `verified` is recomputed on every read: the stored path must
// lead from the result hash to the stored root, so a tampered path, root or hash reads as unverified.
import { type MerklePathStep, verifyMerklePath } from '../../core/proofs/merkle-tree.ts';
import type { ProofItem } from '../../data/proofs-repository.ts';

export interface ProofView {
  resultHash: string;
  intentId: string;
  agentId: string;
  workflowId: string;
  step: number;
  timestamp: string;
  /** The memories whose text the agent was given for this result (docs/backend.md "Memory"). */
  memoryIds: string[];
  status: 'SEALED' | 'PENDING';
  batchId?: string;
  merkleRoot?: string;
  merklePath?: MerklePathStep[];
  leafIndex?: number;
  verified: boolean;
}

export function proofView(proof: ProofItem): ProofView {
  const { resultHash, intentId, agentId, workflowId, step, timestamp } = proof;
  const common = {
    resultHash,
    intentId,
    agentId,
    workflowId,
    step,
    timestamp,
    memoryIds: proof.memoryIds ?? [],
  };
  const { batchId, merkleRoot, merklePath, leafIndex } = proof;
  if (merkleRoot === undefined || merklePath === undefined) {
    return { ...common, status: 'PENDING', verified: false };
  }
  return {
    ...common,
    status: 'SEALED',
    batchId,
    merkleRoot,
    merklePath,
    leafIndex,
    verified: verifyMerklePath(resultHash, merklePath, merkleRoot),
  };
}
