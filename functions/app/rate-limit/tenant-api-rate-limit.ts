// The API's per-tenant rate limit (SPEC §6, docs/backend.md "Rate limits"): every authenticated request
// takes one token from its tenant's API bucket, sized by the tenant's plan as the key's authorizer
// context carries it. The router adds the headers to every answer, and answers 429 `rate_limited` with
// Retry-After before the route runs when the bucket is empty.
import type { Caller } from '../../core/auth/caller.ts';
import { rateLimitHeaders } from '../../core/rate-limit/rate-limit-headers.ts';
import { rateLimitFor } from '../../core/rate-limit/rate-limit-plans.ts';
import { documentClient, tableName } from '../../data/document-client.ts';
import { ApiError } from '../../http/api-error.ts';
import type { RequestLimiter } from '../../http/http-router.ts';
import { type ApiRequestBucketTable, takeApiRequest } from './api-request-bucket.ts';

export function tenantApiRateLimit(deps: {
  bucket: ApiRequestBucketTable;
  clock: () => number;
}): RequestLimiter {
  return async (caller: Caller) => {
    const config = rateLimitFor(caller.plan);
    const admission = await takeApiRequest(deps.bucket, caller.tenantId, deps.clock(), config);
    if (admission.allowed) return { headers: rateLimitHeaders(config, admission.level) };
    const headers = rateLimitHeaders(config, admission.level, admission.retryAfterMs);
    const retryAfter = headers['retry-after'];
    const limit = `${config.capacity} requests, refilled ${config.refillTokens} per ${config.refillIntervalMs / 1_000} s`;
    const message = `tenant ${caller.tenantId} is over its rate limit (${limit}); retry after ${retryAfter} s`;
    return {
      headers,
      refusal: new ApiError(
        429,
        'rate_limited',
        message,
        [{ field: 'headers.authorization', message }],
        headers,
      ),
    };
  };
}

/** The limiter of an API function: GateStateTable from its environment, the wall clock. */
export function tenantApiRateLimitFromEnvironment(): RequestLimiter {
  return tenantApiRateLimit({
    bucket: { client: documentClient(), table: tableName('gateState') },
    clock: Date.now,
  });
}
