// ProofsTable access (docs/backend.md): PK `resultHash`.
//
// ProofItem: resultHash (64 lowercase hex, functions/core/proofs resultHash), tenantId, intentId, agentId,
// workflowId, step (N, the step index), timestamp (ISO 8601); once sealed into a Merkle batch also
// batchId, leafIndex (N), merkleRoot and merklePath ([{ position: 'left' | 'right', hash }]).
//
//   putProof(client, table, item)          Put if absent; a proof is written once (ProofAlreadyExistsError)
//   getProof(client, table, resultHash)    the item or undefined; callers check tenantId themselves
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { MerklePathStep } from '../core/proofs/merkle-tree.ts';

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
}

export class ProofAlreadyExistsError extends Error {
  override readonly name = 'ProofAlreadyExistsError';
}

export async function putProof(
  client: DynamoDBDocumentClient,
  table: string,
  item: ProofItem,
): Promise<void> {
  try {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(resultHash)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new ProofAlreadyExistsError(`proof ${item.resultHash} already exists`);
    }
    throw error;
  }
}

export async function getProof(
  client: DynamoDBDocumentClient,
  table: string,
  resultHash: string,
): Promise<ProofItem | undefined> {
  const { Item } = await client.send(new GetCommand({ TableName: table, Key: { resultHash } }));
  return Item as ProofItem | undefined;
}
