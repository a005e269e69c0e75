// GET /v1/proofs/{hash}: an L4 proof with its Merkle path and root (docs/backend.md, SPEC §3).
import { getProofView, type ProofsServiceDependencies } from '../app/proofs/proofs-service.ts';
import { ResultHashSchema } from '../app/proofs/result-hash-parameter.ts';
import { tenantApiRateLimitFromEnvironment } from '../app/rate-limit/tenant-api-rate-limit.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { routeRequest } from '../http/http-router.ts';
import { jsonResponse } from '../http/json-response.ts';
import { pathParameter } from '../http/path-parameters.ts';
import { observedHandler } from '../observability/observed-handler.ts';

const dependencies: ProofsServiceDependencies = {
  client: documentClient(),
  proofsTable: tableName('proofs'),
};

export const handler = observedHandler(
  routeRequest(
    {
      'GET /v1/proofs/{hash}': async (event, { tenantId }) => {
        const resultHash = pathParameter(event, 'hash', ResultHashSchema);
        return jsonResponse(200, await getProofView(dependencies, { tenantId, resultHash }));
      },
    },
    tenantApiRateLimitFromEnvironment(),
  ),
);
