// A malformed proof hash is a 400 naming the parameter, answered without touching DynamoDB.
import { beforeAll, describe, expect, it } from 'vitest';
import { responseError } from '../../support/http-api-event.ts';
import { type OfflineCall, offlineHandler } from './offline-handler.ts';

let call: OfflineCall;

beforeAll(async () => {
  call = await offlineHandler(() => import('../../../functions/api/proofs.handler.ts'));
});

describe('GET /v1/proofs/{hash} input', () => {
  it('names a hash that is not 64 lowercase hex characters', async () => {
    for (const hash of ['', 'abc', 'F'.repeat(64), 'a'.repeat(65)]) {
      const response = await call('GET /v1/proofs/{hash}', { pathParameters: { hash } });
      expect(response.statusCode).toBe(400);
      expect(responseError(response)).toMatchObject({
        code: 'validation_failed',
        details: [{ field: 'pathParameters.hash' }],
      });
    }
  });

  it('answers a method the route does not serve with 405', async () => {
    const response = await call('DELETE /v1/proofs/{hash}', { pathParameters: { hash: 'a'.repeat(64) } });
    expect(response.statusCode).toBe(405);
  });
});
