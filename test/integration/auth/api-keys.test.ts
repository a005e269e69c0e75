// API keys against DynamoDB Local: the keys API (POST/GET/DELETE /v1/api-keys) and the authorizer that
// turns a key into the caller every route receives.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyView } from '../../../functions/app/auth/api-key-item.ts';
import type { SimpleAuthorizerResponse } from '../../../functions/app/auth/authorize-request.ts';
import { generateApiKey, hashApiKey } from '../../../functions/core/auth/api-key.ts';
import type { Caller } from '../../../functions/core/auth/caller.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import {
  type HttpApiEventOptions,
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';

type Handler = (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;
type Authorizer = (
  event: { headers?: Record<string, string> },
  context: typeof testLambdaContext,
) => Promise<SimpleAuthorizerResponse>;

let environment: ApiTestEnvironment;
let keysApi: Handler;
let authorizer: Authorizer;

const platformAdmin: Caller = { ...testCaller('platform', ['admin']), keyId: 'PlatformKey1' };
const acmeAdmin: Caller = { ...testCaller('acme', ['admin']), keyId: 'AcmeAdminKey' };

beforeAll(async () => {
  environment = await startApiTestEnvironment('api-keys');
  process.env.STAGE = 'dev';
  ({ handler: keysApi } = await import('../../../functions/api/api-keys.handler.ts'));
  ({ handler: authorizer } = (await import('../../../functions/api/authorizer.handler.ts')) as unknown as {
    handler: Authorizer;
  });
});

afterAll(async () => {
  await environment?.stop();
});

function call(routeKey: string, options: HttpApiEventOptions): Promise<HttpApiResponse> {
  return keysApi(httpApiEvent(routeKey, options), testLambdaContext);
}

async function created(caller: Caller, body: Record<string, unknown>): Promise<ApiKeyView & { key: string }> {
  const response = await call('POST /v1/api-keys', { caller, body });
  expect(response.statusCode, response.body).toBe(201);
  return responseJson(response);
}

function authorize(authorization?: string): Promise<SimpleAuthorizerResponse> {
  return authorizer(
    authorization === undefined ? { headers: {} } : { headers: { authorization } },
    testLambdaContext,
  );
}

describe('POST /v1/api-keys and the authorizer', () => {
  it('shows the key once, stores only its hash, and the key authorizes as its tenant, roles and level', async () => {
    const made = await created(platformAdmin, {
      tenantId: 'acme',
      name: 'alice@example.com',
      roles: ['reviewer', 'operator'],
      reviewerLevel: 2,
    });
    expect(made).toMatchObject({
      tenantId: 'acme',
      name: 'alice@example.com',
      roles: ['reviewer', 'operator'],
      reviewerLevel: 2,
      status: 'ACTIVE',
      createdBy: 'PlatformKey1',
      prefix: `tg_dev_${made.keyId}`,
      revokedAt: null,
    });
    expect(made.key).toMatch(/^tg_dev_/);

    const { Item } = await environment.documents.send(
      new GetCommand({ TableName: environment.tables.apiKeys, Key: { keyId: made.keyId } }),
    );
    expect(Item?.secretHash).toBe(hashApiKey(made.key));
    expect(JSON.stringify(Item)).not.toContain(made.key.slice(19));

    expect(await authorize(`Bearer ${made.key}`)).toEqual({
      isAuthorized: true,
      context: {
        authenticated: 'true',
        tenantId: 'acme',
        keyId: made.keyId,
        name: 'alice@example.com',
        roles: 'reviewer,operator',
        reviewerLevel: '2',
        plan: '',
      },
    });
    const read = responseJson<ApiKeyView>(
      await call('GET /v1/api-keys/{keyId}', { caller: acmeAdmin, pathParameters: { keyId: made.keyId } }),
    );
    expect(read).not.toHaveProperty('key');
    expect(JSON.stringify(read)).not.toContain('secretHash');
  });

  it("makes a tenant admin's keys in its own tenant, and refuses another tenant or a non-admin", async () => {
    const own = await created(acmeAdmin, { name: 'ci-bot', roles: ['operator'] });
    expect(own.tenantId).toBe('acme');
    const foreign = await call('POST /v1/api-keys', {
      caller: acmeAdmin,
      body: { tenantId: 'globex', name: 'sneaky', roles: ['admin'] },
    });
    expect(foreign.statusCode).toBe(403);
    expect(responseError(foreign).message).toBe('only a platform admin makes keys for another tenant');
    const operator = await call('POST /v1/api-keys', {
      caller: testCaller('acme', ['operator']),
      body: { name: 'x', roles: ['admin'] },
    });
    expect(operator.statusCode).toBe(403);
    expect(responseError(operator).message).toBe('creating an API key needs the admin role');
  });

  it.each([
    ['a reviewer without a level', { name: 'r', roles: ['reviewer'] }, 'reviewerLevel'],
    [
      'a level without the reviewer role',
      { name: 'r', roles: ['operator'], reviewerLevel: 1 },
      'reviewerLevel',
    ],
    ['a level out of range', { name: 'r', roles: ['reviewer'], reviewerLevel: 4 }, 'reviewerLevel'],
    ['an unknown role', { name: 'r', roles: ['root'] }, 'roles.0'],
    ['a repeated role', { name: 'r', roles: ['admin', 'admin'] }, 'roles'],
    ['no role', { name: 'r', roles: [] }, 'roles'],
    ['a name that is no identifier', { name: 'alice smith', roles: ['operator'] }, 'name'],
    ['a tenant with a key separator', { name: 'r', roles: ['operator'], tenantId: 'a#b' }, 'tenantId'],
    [
      'an expiry in the past',
      { name: 'r', roles: ['operator'], expiresAt: '2020-01-01T00:00:00Z' },
      'expiresAt',
    ],
    ['an unknown field', { name: 'r', roles: ['operator'], scopes: ['*'] }, 'scopes'],
  ])('refuses %s with 400 naming %s, writing nothing', async (_, body, field) => {
    const before = responseJson<{ items: unknown[] }>(
      await call('GET /v1/api-keys', {
        caller: platformAdmin,
        queryStringParameters: { tenantId: 'refusals' },
      }),
    ).items.length;
    const response = await call('POST /v1/api-keys', {
      caller: platformAdmin,
      body: { tenantId: 'refusals', ...body },
    });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details.map((detail) => detail.field)).toContain(field);
    const after = responseJson<{ items: unknown[] }>(
      await call('GET /v1/api-keys', {
        caller: platformAdmin,
        queryStringParameters: { tenantId: 'refusals' },
      }),
    ).items.length;
    expect(after).toBe(before);
  });
});

describe('GET and DELETE /v1/api-keys', () => {
  it("lists a tenant's keys page by page, and only a platform admin lists another tenant's", async () => {
    for (const name of ['k1', 'k2', 'k3'])
      await created(platformAdmin, { tenantId: 'paged', name, roles: ['operator'] });
    const pagedAdmin = testCaller('paged', ['admin']);
    const first = responseJson<{ items: ApiKeyView[]; nextToken: string | null }>(
      await call('GET /v1/api-keys', { caller: pagedAdmin, queryStringParameters: { limit: '2' } }),
    );
    expect(first.items).toHaveLength(2);
    const rest = responseJson<{ items: ApiKeyView[]; nextToken: string | null }>(
      await call('GET /v1/api-keys', {
        caller: pagedAdmin,
        queryStringParameters: { limit: '2', nextToken: first.nextToken! },
      }),
    );
    expect([...first.items, ...rest.items].map((item) => item.name).sort()).toEqual(['k1', 'k2', 'k3']);
    expect(rest.nextToken).toBeNull();

    const foreignToken = await call('GET /v1/api-keys', {
      caller: acmeAdmin,
      queryStringParameters: { nextToken: first.nextToken! },
    });
    expect(foreignToken.statusCode).toBe(400);
    const foreignTenant = await call('GET /v1/api-keys', {
      caller: acmeAdmin,
      queryStringParameters: { tenantId: 'paged' },
    });
    expect(foreignTenant.statusCode).toBe(403);
  });

  it('revokes a key: the authorizer refuses it from then on, and the record says who and when', async () => {
    const made = await created(acmeAdmin, { name: 'leaked', roles: ['operator'] });
    expect((await authorize(`Bearer ${made.key}`)).context.authenticated).toBe('true');
    const revoked = await call('DELETE /v1/api-keys/{keyId}', {
      caller: acmeAdmin,
      pathParameters: { keyId: made.keyId },
    });
    expect(revoked.statusCode).toBe(200);
    expect(responseJson<ApiKeyView>(revoked)).toMatchObject({
      status: 'REVOKED',
      revokedAt: expect.any(String),
    });
    expect(await authorize(`Bearer ${made.key}`)).toEqual({
      isAuthorized: true,
      context: { authenticated: 'false', reason: 'revoked_key' },
    });
    const again = await call('DELETE /v1/api-keys/{keyId}', {
      caller: acmeAdmin,
      pathParameters: { keyId: made.keyId },
    });
    expect(responseJson<ApiKeyView>(again).revokedAt).toBe(responseJson<ApiKeyView>(revoked).revokedAt);
  });

  it("answers 404 for another tenant's key, to read or revoke, and leaves it working", async () => {
    const theirs = await created(platformAdmin, { tenantId: 'globex', name: 'theirs', roles: ['operator'] });
    for (const routeKey of ['GET /v1/api-keys/{keyId}', 'DELETE /v1/api-keys/{keyId}']) {
      const response = await call(routeKey, { caller: acmeAdmin, pathParameters: { keyId: theirs.keyId } });
      expect(response.statusCode).toBe(404);
      expect(responseError(response)).toMatchObject({
        code: 'api_key_not_found',
        details: [{ field: 'pathParameters.keyId' }],
      });
    }
    expect((await authorize(`Bearer ${theirs.key}`)).context.authenticated).toBe('true');
  });
});

describe('authorizer refusals', () => {
  it.each([
    ['no header', undefined, 'missing_key'],
    ['an empty header', '', 'missing_key'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'malformed_key'],
    ['a bearer token that is not a trustgate key', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x', 'malformed_key'],
  ])('%s → %s', async (_, header, reason) => {
    expect(await authorize(header)).toEqual({
      isAuthorized: true,
      context: { authenticated: 'false', reason },
    });
  });

  it('tells a typo (checksum), another stage and an unknown key apart, without revealing a real id', async () => {
    const real = await created(acmeAdmin, { name: 'real', roles: ['operator'] });
    const typo = `${real.key.slice(0, 30)}${real.key[30] === 'a' ? 'b' : 'a'}${real.key.slice(31)}`;
    expect((await authorize(`Bearer ${typo}`)).context.reason).toBe('malformed_key');
    expect((await authorize(`Bearer ${generateApiKey('prod').key}`)).context.reason).toBe('wrong_env');
    expect((await authorize(`Bearer ${generateApiKey('dev').key}`)).context.reason).toBe('unknown_key');
    // The right id with another (well-formed) secret: as unknown as a key that never existed.
    const forged = generateApiKey('dev');
    await environment.documents.send(
      new PutCommand({
        TableName: environment.tables.apiKeys,
        Item: {
          keyId: forged.keyId,
          tenantId: 'acme',
          env: 'dev',
          name: 'forged',
          roles: ['admin'],
          secretHash: hashApiKey(generateApiKey('dev').key),
          createdAt: new Date().toISOString(),
          createdBy: 'test',
        },
      }),
    );
    expect((await authorize(`Bearer ${forged.key}`)).context.reason).toBe('unknown_key');
  });

  it('refuses an expired key', async () => {
    const made = generateApiKey('dev');
    await environment.documents.send(
      new PutCommand({
        TableName: environment.tables.apiKeys,
        Item: {
          keyId: made.keyId,
          tenantId: 'acme',
          env: 'dev',
          name: 'old',
          roles: ['operator'],
          secretHash: made.secretHash,
          createdAt: '2025-01-01T00:00:00.000Z',
          createdBy: 'test',
          expiresAt: '2026-01-01T00:00:00.000Z',
        },
      }),
    );
    expect((await authorize(`bearer ${made.key}`)).context.reason).toBe('expired_key');
  });
});
