// The API's per-tenant rate limit against DynamoDB Local (docs/backend.md "Rate limits"): the atomic takes
// on `api-bucket#<tenantId>`, the headers against the bucket's arithmetic, concurrency, the plans, the
// tenant plan routes, and the authorizer carrying the plan to every route.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimpleAuthorizerResponse } from '../../../functions/app/auth/authorize-request.ts';
import { apiBucketKey, takeApiRequest } from '../../../functions/app/rate-limit/api-request-bucket.ts';
import { tenantApiRateLimit } from '../../../functions/app/rate-limit/tenant-api-rate-limit.ts';
import type { TenantPlanView } from '../../../functions/app/rate-limit/tenant-plan-routes.ts';
import type { Caller } from '../../../functions/core/auth/caller.ts';
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_PLANS } from '../../../functions/core/rate-limit/rate-limit-plans.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import {
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from './api-test-environment.ts';

type Handler = (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

let environment: ApiTestEnvironment;
let keysApi: Handler;
let agentsApi: Handler;
let bucket: { client: ApiTestEnvironment['documents']; table: string };
let tenants = 0;

const T0 = Date.parse('2026-12-06T12:00:00.000Z');

/** A tenant no other test has used: a full bucket. */
function freshTenant(): string {
  tenants += 1;
  return `limited-${tenants}`;
}

/** A caller on the default bucket (testCaller is on exec, so that route tests are not limited). */
function defaultPlanCaller(tenantId: string): Caller {
  const { plan: _exec, ...caller } = testCaller(tenantId, ['admin']);
  return caller;
}

beforeAll(async () => {
  environment = await startApiTestEnvironment('rate-limit');
  process.env.STAGE = 'dev';
  bucket = { client: environment.documents, table: environment.tables.gateState };
  ({ handler: keysApi } = await import('../../../functions/api/api-keys.handler.ts'));
  ({ handler: agentsApi } = await import('../../../functions/api/agents.handler.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

describe('the API request bucket', () => {
  it('admits exactly the burst at one instant, then refuses with the exact wait for one token', async () => {
    const tenant = freshTenant();
    const remaining: number[] = [];
    for (let i = 0; i < DEFAULT_RATE_LIMIT.capacity; i += 1) {
      const admission = await takeApiRequest(bucket, tenant, T0, DEFAULT_RATE_LIMIT);
      expect(admission.allowed).toBe(true);
      remaining.push(admission.level.remaining);
    }
    // 50 tokens, 100 ms each: the n-th request leaves 50 − n, and the bucket is full n × 100 ms later.
    expect(remaining).toEqual(Array.from({ length: 50 }, (_, i) => 49 - i));
    const refused = await takeApiRequest(bucket, tenant, T0, DEFAULT_RATE_LIMIT);
    expect(refused).toEqual({ allowed: false, level: { remaining: 0, resetMs: 5_000 }, retryAfterMs: 100 });

    // 250 ms later 2 tokens have come back (2.5, rounded down), and the third request waits 50 ms.
    expect((await takeApiRequest(bucket, tenant, T0 + 250, DEFAULT_RATE_LIMIT)).allowed).toBe(true);
    expect((await takeApiRequest(bucket, tenant, T0 + 250, DEFAULT_RATE_LIMIT)).allowed).toBe(true);
    expect(await takeApiRequest(bucket, tenant, T0 + 250, DEFAULT_RATE_LIMIT)).toEqual({
      allowed: false,
      level: { remaining: 0, resetMs: 4_950 },
      retryAfterMs: 50,
    });

    // The item is the GCRA state and expires a minute after it can be full at the latest.
    const { Item } = await environment.documents.send(
      new GetCommand({ TableName: bucket.table, Key: { key: apiBucketKey(tenant) } }),
    );
    expect(Item).toMatchObject({ tenantId: tenant, fullAtMs: T0 + 5_200 });
    expect(Item?.expiresAt).toBe(Math.ceil((T0 + 250 + 5_000) / 1_000) + 60);
  });

  it('admits exactly the burst out of 80 concurrent requests: no lost update, no retry storm', async () => {
    const tenant = freshTenant();
    const admissions = await Promise.all(
      Array.from({ length: 80 }, () => takeApiRequest(bucket, tenant, T0, DEFAULT_RATE_LIMIT)),
    );
    expect(admissions.filter((admission) => admission.allowed)).toHaveLength(50);
    const remaining = admissions.flatMap((admission) =>
      admission.allowed ? [admission.level.remaining] : [],
    );
    expect(new Set(remaining).size).toBe(50);
  });

  it('refills at the plan rate: a full bucket again after the burst time, never above the capacity', async () => {
    const tenant = freshTenant();
    const core = RATE_LIMIT_PLANS.core;
    for (let i = 0; i < core.capacity; i += 1) await takeApiRequest(bucket, tenant, T0, core);
    // core is 100/min: one token per 600 ms.
    expect(await takeApiRequest(bucket, tenant, T0 + 599, core)).toMatchObject({
      allowed: false,
      retryAfterMs: 1,
    });
    expect(await takeApiRequest(bucket, tenant, T0 + 600, core)).toMatchObject({
      allowed: true,
      level: { remaining: 0 },
    });
    // An hour idle is a full bucket of 100, not 6 000.
    const later = await takeApiRequest(bucket, tenant, T0 + 3_600_000, core);
    expect(later).toEqual({ allowed: true, level: { remaining: 99, resetMs: 600 } });
  });
});

describe('the rate-limit headers', () => {
  it('say the capacity, what is left and when the bucket is full, and a 429 says when to retry', async () => {
    const tenant = freshTenant();
    let now = T0;
    const limit = tenantApiRateLimit({ bucket, clock: () => now });
    const caller = defaultPlanCaller(tenant);
    expect(await limit(caller)).toEqual({
      headers: { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49', 'x-ratelimit-reset': '1' },
    });
    for (let i = 0; i < 48; i += 1) await limit(caller);
    expect((await limit(caller)).headers).toEqual({
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '5',
    });
    now = T0 + 30;
    const refused = await limit(caller);
    expect(refused.headers).toEqual({
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '0',
      // 4 970 ms to full, 70 ms to the next token: both rounded up to whole seconds.
      'x-ratelimit-reset': '5',
      'retry-after': '1',
    });
    expect(refused.refusal).toMatchObject({ status: 429, code: 'rate_limited', headers: refused.headers });
    expect(refused.refusal?.message).toContain(`tenant ${tenant} is over its rate limit`);
  });

  it('follow the caller’s plan', async () => {
    const limit = tenantApiRateLimit({ bucket, clock: () => T0 });
    const pro = await limit({ ...defaultPlanCaller(freshTenant()), plan: 'pro' });
    // pro: 1 000 per minute, 60 ms per token.
    expect(pro.headers).toEqual({
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': '999',
      'x-ratelimit-reset': '1',
    });
  });

  it('come back on every answer of a route, and a burst past the capacity gets a 429 JSON error', async () => {
    const caller = defaultPlanCaller(freshTenant());
    const answers = await Promise.all(
      Array.from({ length: 51 }, () =>
        agentsApi(httpApiEvent('GET /v1/agents', { caller }), testLambdaContext),
      ),
    );
    // The requests span some milliseconds, in which a token may come back (one per 100 ms): the 51st may
    // or may not be refused, the first 50 never are.
    expect(answers.filter((answer) => answer.statusCode === 200).length).toBeGreaterThanOrEqual(50);
    for (const answer of answers) {
      expect(answer.headers['x-ratelimit-limit']).toBe('50');
      expect(Number(answer.headers['x-ratelimit-remaining'])).toBeGreaterThanOrEqual(0);
    }
    // Whatever the timing, one more burst of 20 cannot all be admitted: 10 tokens come back per second.
    const more = await Promise.all(
      Array.from({ length: 20 }, () =>
        agentsApi(httpApiEvent('GET /v1/agents', { caller }), testLambdaContext),
      ),
    );
    const tooMany = more.find((answer) => answer.statusCode === 429);
    expect(tooMany, 'a 429 among 71 requests in well under 2 s').toBeDefined();
    expect(tooMany?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '0',
    });
    expect(Number(tooMany?.headers['retry-after'])).toBe(1);
    expect(responseError(tooMany!)).toMatchObject({ code: 'rate_limited' });
  });
});

describe('GET and PUT /v1/tenants/{tenantId}/plan', () => {
  const platformAdmin: Caller = { ...testCaller('platform', ['admin']), keyId: 'PlatformKey1' };

  function call(routeKey: string, caller: Caller, tenantId: string, body?: unknown) {
    return keysApi(
      httpApiEvent(routeKey, {
        caller,
        pathParameters: { tenantId },
        ...(body === undefined ? {} : { body }),
      }),
      testLambdaContext,
    );
  }

  it('a platform admin sets a plan, the tenant reads it, and the authorizer carries it on the key', async () => {
    const tenant = freshTenant();
    const set = await call('PUT /v1/tenants/{tenantId}/plan', platformAdmin, tenant, { plan: 'pro' });
    expect(set.statusCode, set.body).toBe(200);
    expect(responseJson<TenantPlanView>(set)).toMatchObject({
      tenantId: tenant,
      plan: 'pro',
      rateLimit: { capacity: 1_000, refillTokens: 1_000, refillIntervalMs: 60_000 },
      updatedBy: 'PlatformKey1',
    });
    const read = await call('GET /v1/tenants/{tenantId}/plan', testCaller(tenant, ['operator']), tenant);
    expect(responseJson<TenantPlanView>(read).plan).toBe('pro');

    const made = await keysApi(
      httpApiEvent('POST /v1/api-keys', {
        caller: platformAdmin,
        body: { tenantId: tenant, name: 'ci', roles: ['operator'] },
      }),
      testLambdaContext,
    );
    const { key } = responseJson<{ key: string }>(made);
    const { handler: authorizer } = (await import(
      '../../../functions/api/authorizer.handler.ts'
    )) as unknown as {
      handler: (event: unknown, context: unknown) => Promise<SimpleAuthorizerResponse>;
    };
    const authorized = await authorizer({ headers: { authorization: `Bearer ${key}` } }, testLambdaContext);
    expect(authorized.context).toMatchObject({ tenantId: tenant, plan: 'pro' });

    const reset = await call('PUT /v1/tenants/{tenantId}/plan', platformAdmin, tenant, { plan: 'default' });
    expect(responseJson<TenantPlanView>(reset)).toMatchObject({
      plan: 'default',
      rateLimit: { capacity: 50 },
    });
    const again = await authorizer({ headers: { authorization: `Bearer ${key}` } }, testLambdaContext);
    expect(again.context).toMatchObject({ tenantId: tenant, plan: '' });
  });

  it("refuses a tenant raising its own plan (403), hides another tenant's (404), and names a bad plan (400)", async () => {
    const tenant = freshTenant();
    const ownAdmin = testCaller(tenant, ['admin']);
    const raised = await call('PUT /v1/tenants/{tenantId}/plan', ownAdmin, tenant, { plan: 'exec' });
    expect(raised.statusCode).toBe(403);
    expect(responseError(raised).message).toContain('platform tenant');
    expect(
      responseJson<TenantPlanView>(await call('GET /v1/tenants/{tenantId}/plan', ownAdmin, tenant)).plan,
    ).toBe('default');

    const other = await call('GET /v1/tenants/{tenantId}/plan', ownAdmin, freshTenant());
    expect(other.statusCode).toBe(404);
    expect(responseError(other).code).toBe('tenant_not_found');

    const bad = await call('PUT /v1/tenants/{tenantId}/plan', platformAdmin, tenant, { plan: 'unlimited' });
    expect(bad.statusCode).toBe(400);
    expect(responseError(bad).details.map((detail) => detail.field)).toEqual(['plan']);
    const badTenant = await call('GET /v1/tenants/{tenantId}/plan', platformAdmin, 'a#b');
    expect(responseError(badTenant).details.map((detail) => detail.field)).toEqual([
      'pathParameters.tenantId',
    ]);
  });
});
