// ProofsTable access (docs/backend.md): PK `resultHash`.
//
// ProofItem: resultHash (64 lowercase hex, functions/core/proofs resultHash), tenantId, intentId, agentId,
// workflowId, step (N, the step index), timestamp (ISO 8601), memoryIds (the memories whose text reached the
// agent, when it recalled any); once sealed into a Merkle batch also
// batchId, leafIndex (N), merkleRoot and merklePath ([{ position: 'left' | 'right', hash }]).
//
//   proofPutItem(table, item)              the transaction item that writes a proof once (Put if absent)
//   getProof(client, table, resultHash)    the item or undefined; callers check tenantId themselves
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { MerklePathStep } from '../core/proofs/merkle-tree.ts';
import type { TransactWriteItem } from './intent-ledger.ts';

export interface ProofSeal {
  batchId: string;
  leafIndex: number;
  merkleRoot: string;
  merklePath: MerklePathStep[];
}

export interface ProofItem extends Partial<ProofSeal> {
  resultHash: string;
  tenantId: string;
  intentId: string;
  agentId: string;
  workflowId: string;
  step: number;
  timestamp: string;
  /** The memories the agent was given for this result, best first (absent when none). */
  memoryIds?: string[];
}

/** The one way a proof is written: Put if absent, in the gate's transaction (a proof is written once). */
export function proofPutItem(table: string, proof: ProofItem): TransactWriteItem {
  return { Put: { TableName: table, Item: proof, ConditionExpression: 'attribute_not_exists(resultHash)' } };
}

export async function getProof(
  client: DynamoDBDocumentClient,
  table: string,
  resultHash: string,
): Promise<ProofItem | undefined> {
  const { Item } = await client.send(new GetCommand({ TableName: table, Key: { resultHash } }));
  return Item as ProofItem | undefined;
}
