// Proof lookup behind `GET /v1/proofs/{hash}`. Proofs are keyed by their hash alone, so the tenant check
// happens here: another tenant's proof is reported exactly like a missing one (404), never revealed.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getProof } from '../../data/proofs-repository.ts';
import { notFound } from '../../http/api-error.ts';
import { type ProofView, proofView } from './proof-view.ts';

export interface ProofsServiceDependencies {
  client: DynamoDBDocumentClient;
  proofsTable: string;
}

export async function getProofView(
  dependencies: ProofsServiceDependencies,
  request: { tenantId: string; resultHash: string },
): Promise<ProofView> {
  const proof = await getProof(dependencies.client, dependencies.proofsTable, request.resultHash);
  if (!proof || proof.tenantId !== request.tenantId) {
    throw notFound('proof_not_found', `no proof with hash ${request.resultHash}`, 'pathParameters.hash');
  }
  return proofView(proof);
}
