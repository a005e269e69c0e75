// GET /v1/proofs/{hash} against a real DynamoDB Local: pending and sealed proofs, path verification,
// tenant scoping, 400 for a malformed hash and 404 for an unknown one.
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProofView } from '../../../functions/app/proofs/proof-view.ts';
import { buildMerkleTree, merklePath } from '../../../functions/core/proofs/merkle-tree.ts';
import { resultHash } from '../../../functions/core/proofs/result-hash.ts';
import { proofPutItem } from '../../../functions/data/proofs-repository.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import {
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from './api-test-environment.ts';

let environment: ApiTestEnvironment;
let handler: (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

const TENANT = 'proofs';
const TIMESTAMP = Date.UTC(2026, 10, 25, 12);
const hashes = ['step 0 output', 'step 1 output', 'step 2 output'].map((result, step) =>
  resultHash({ intentId: `intent-${step}`, result, timestamp: TIMESTAMP + step }),
);

beforeAll(async () => {
  environment = await startApiTestEnvironment('proofs-api');
  ({ handler } = await import('../../../functions/api/proofs.handler.ts'));
  const tree = buildMerkleTree(hashes);
  for (const [step, hash] of hashes.entries()) {
    const sealed = step < 2;
    const proof = proofPutItem(environment.tables.proofs, {
      resultHash: hash,
      tenantId: TENANT,
      intentId: `intent-${step}`,
      agentId: 'writer-1',
      workflowId: 'wf-1',
      step,
      timestamp: new Date(TIMESTAMP + step).toISOString(),
      ...(sealed
        ? { batchId: 'batch-1', leafIndex: step, merkleRoot: tree.root, merklePath: merklePath(tree, step) }
        : {}),
    });
    await environment.documents.send(new TransactWriteCommand({ TransactItems: [proof] }));
  }
});

afterAll(async () => {
  await environment?.stop();
});

function getProofResponse(hash: string, tenant = TENANT): Promise<HttpApiResponse> {
  return handler(
    httpApiEvent('GET /v1/proofs/{hash}', {
      caller: testCaller(tenant),
      pathParameters: { hash },
    }),
    testLambdaContext,
  );
}

describe('GET /v1/proofs/{hash}', () => {
  it('returns a sealed proof with its Merkle path and root, verified', async () => {
    const response = await getProofResponse(hashes[1]!);
    expect(response.statusCode).toBe(200);
    const proof = responseJson<ProofView>(response);
    expect(proof).toMatchObject({
      resultHash: hashes[1],
      intentId: 'intent-1',
      agentId: 'writer-1',
      workflowId: 'wf-1',
      step: 1,
      status: 'SEALED',
      leafIndex: 1,
      merkleRoot: buildMerkleTree(hashes).root,
      verified: true,
    });
    expect(proof.merklePath).toHaveLength(2);
  });

  it('returns a proof not yet batched as PENDING and unverified', async () => {
    const proof = responseJson<ProofView>(await getProofResponse(hashes[2]!));
    expect(proof).toMatchObject({ status: 'PENDING', verified: false });
    expect(proof).not.toHaveProperty('merkleRoot');
  });

  it('reports a proof whose stored root was altered as unverified', async () => {
    await environment.documents.send(
      new UpdateCommand({
        TableName: environment.tables.proofs,
        Key: { resultHash: hashes[0] },
        UpdateExpression: 'SET merkleRoot = :root',
        ExpressionAttributeValues: { ':root': 'f'.repeat(64) },
      }),
    );
    expect(responseJson<ProofView>(await getProofResponse(hashes[0]!))).toMatchObject({
      status: 'SEALED',
      verified: false,
    });
  });

  it('answers 404 for an unknown hash and for another tenant’s proof', async () => {
    for (const response of [
      await getProofResponse('a'.repeat(64)),
      await getProofResponse(hashes[1]!, 'other'),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(responseError(response)).toMatchObject({
        code: 'proof_not_found',
        details: [{ field: 'pathParameters.hash' }],
      });
    }
  });

  it('answers 400 naming the parameter for a hash that is not 64 lowercase hex', async () => {
    for (const hash of ['abc', 'A'.repeat(64), `${'a'.repeat(63)}g`]) {
      const response = await getProofResponse(hash);
      expect(response.statusCode).toBe(400);
      expect(responseError(response)).toMatchObject({
        code: 'validation_failed',
        details: [{ field: 'pathParameters.hash' }],
      });
    }
  });
});
