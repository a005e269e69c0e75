// The webhooks API against DynamoDB Local (and fauxqs for the redrive): validation naming the field,
// the secret shown once, tenant isolation, paging, the per-tenant bound and the admin-only redrive.

import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhooksRoutes } from '../../../functions/app/webhooks/webhook-routes.ts';
import { createDocumentClient } from '../../../functions/data/document-client.ts';
import { routeRequest } from '../../../functions/http/http-router.ts';
import { httpApiEvent, responseError, responseJson, testCaller } from '../../support/http-api-event.ts';
import { admitEveryRequest } from '../../support/request-limiters.ts';
import { startWebhookTestEnvironment, type WebhookTestEnvironment } from './webhook-test-environment.ts';

let env: WebhookTestEnvironment;
let api: ReturnType<typeof routeRequest>;
let strictApi: ReturnType<typeof routeRequest>;

const PUBLIC_RESOLVER = async (hostname: string): Promise<LookupAddress[]> =>
  hostname === 'internal.example.com'
    ? [
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]
    : [{ address: '93.184.215.14', family: 4 }];

interface View {
  webhookId: string;
  url: string;
  filter: unknown;
  description: string | null;
  status: string;
  createdAt: string;
  failingSince: string | null;
  lastDelivery: unknown;
  disabledAt: string | null;
  secret?: string;
}

beforeAll(async () => {
  env = await startWebhookTestEnvironment('webhooks-api');
  const shared = {
    webhooks: { client: createDocumentClient(), table: env.tables.webhooks },
    redrive: { sqs: env.sqs, deliveryQueueUrl: env.deliveryQueueUrl, deadLetterQueueUrl: env.deliveryDlqUrl },
    clock: () => Date.parse('2026-12-05T10:00:00.000Z'),
  };
  api = routeRequest(
    webhooksRoutes({ ...shared, settings: { urlPolicy: { allowPrivate: true } } }),
    admitEveryRequest,
  );
  strictApi = routeRequest(
    webhooksRoutes({ ...shared, settings: { urlPolicy: { allowPrivate: false } }, resolve: PUBLIC_RESOLVER }),
    admitEveryRequest,
  );
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

function create(tenant: string, body: unknown, routes = api) {
  return routes(httpApiEvent('POST /v1/webhooks', { body, caller: testCaller(tenant, ['admin']) }));
}

describe('POST /v1/webhooks', () => {
  it('creates an ACTIVE webhook and shows its secret once', async () => {
    const filter = { 'detail-type': ['intent.decided'], detail: { data: { decision: ['DENY'] } } };
    const response = await create('acme', {
      url: 'http://127.0.0.1:9999/hooks',
      filter,
      description: 'denials',
    });
    expect(response.statusCode).toBe(201);
    const created = responseJson<View>(response);
    expect(created).toEqual({
      webhookId: expect.stringMatching(/^wh_[0-9a-f]{32}$/),
      url: 'http://127.0.0.1:9999/hooks',
      filter,
      description: 'denials',
      status: 'ACTIVE',
      createdAt: '2026-12-05T10:00:00.000Z',
      failingSince: null,
      lastDelivery: null,
      disabledAt: null,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });

    const read = await api(
      httpApiEvent('GET /v1/webhooks/{id}', {
        pathParameters: { id: created.webhookId },
        caller: testCaller('acme', ['admin']),
      }),
    );
    expect(read.statusCode).toBe(200);
    const { secret: _, ...view } = created;
    expect(responseJson(read)).toEqual(view);
    expect(read.body).not.toContain(created.secret!);
  });

  it('defaults the filter to every event of the tenant', async () => {
    const created = responseJson<View>(await create('acme', { url: 'http://127.0.0.1:9999/all' }));
    expect(created).toMatchObject({ filter: null, description: null });
  });

  it.each([
    [{}, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'ftp://127.0.0.1/x' }, 'url'],
    [{ url: 'http://127.0.0.1/x', filter: { 'detail-type': 'intent.decided' } }, 'filter'],
    [{ url: 'http://127.0.0.1/x', filter: { detail: { data: { score: [{ numeric: ['>'] }] } } } }, 'filter'],
    [{ url: 'http://127.0.0.1/x', filter: ['intent.decided'] }, 'filter'],
    [{ url: 'http://127.0.0.1/x', secret: 'whsec_mine' }, 'secret'],
    [{ url: 'http://127.0.0.1/x', description: 'x'.repeat(257) }, 'description'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const response = await create('acme', body);
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details.map((detail) => detail.field)).toContain(field);
  });

  it('refuses, outside the sandbox, http:, local and private targets, also behind DNS', async () => {
    for (const url of [
      'http://hooks.example.com/x',
      'https://localhost/x',
      'https://127.0.0.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::ffff:10.0.0.1]/x',
      'https://internal.example.com/x',
    ]) {
      const response = await create('strict', { url }, strictApi);
      expect(response.statusCode, url).toBe(400);
      expect(responseError(response).details[0]?.field).toBe('url');
    }
    const accepted = await create('strict', { url: 'https://hooks.example.com/x' }, strictApi);
    expect(accepted.statusCode).toBe(201);
  });

  it('bounds a tenant to 25 webhooks, and frees a place on delete', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 25; index++) {
      const response = await create('bounded', { url: `http://127.0.0.1:9999/${index}` });
      expect(response.statusCode).toBe(201);
      ids.push(responseJson<View>(response).webhookId);
    }
    const refused = await create('bounded', { url: 'http://127.0.0.1:9999/26' });
    expect(refused.statusCode).toBe(409);
    expect(responseError(refused).code).toBe('webhook_limit_reached');
    expect((await create('other-tenant', { url: 'http://127.0.0.1:9999/1' })).statusCode).toBe(201);

    const deleted = await api(
      httpApiEvent('DELETE /v1/webhooks/{id}', {
        pathParameters: { id: ids[0]! },
        caller: testCaller('bounded', ['admin']),
      }),
    );
    expect(deleted.statusCode).toBe(204);
    expect((await create('bounded', { url: 'http://127.0.0.1:9999/26' })).statusCode).toBe(201);
  });
});

describe('GET and DELETE', () => {
  it('keep tenants apart: another tenant sees 404 and an empty list', async () => {
    const { webhookId } = responseJson<View>(await create('owner', { url: 'http://127.0.0.1:9999/own' }));
    const asIntruder = { pathParameters: { id: webhookId }, caller: testCaller('intruder', ['admin']) };
    const read = await api(httpApiEvent('GET /v1/webhooks/{id}', asIntruder));
    expect(read.statusCode).toBe(404);
    expect(responseError(read)).toMatchObject({
      code: 'webhook_not_found',
      details: [{ field: 'pathParameters.id' }],
    });
    expect((await api(httpApiEvent('DELETE /v1/webhooks/{id}', asIntruder))).statusCode).toBe(404);
    const list = await api(httpApiEvent('GET /v1/webhooks', { caller: testCaller('intruder', ['admin']) }));
    expect(responseJson(list)).toEqual({ items: [], nextToken: null });

    const asOwner = { pathParameters: { id: webhookId }, caller: testCaller('owner', ['admin']) };
    expect((await api(httpApiEvent('GET /v1/webhooks/{id}', asOwner))).statusCode).toBe(200);
    expect((await api(httpApiEvent('DELETE /v1/webhooks/{id}', asOwner))).statusCode).toBe(204);
    expect((await api(httpApiEvent('GET /v1/webhooks/{id}', asOwner))).statusCode).toBe(404);
    expect((await api(httpApiEvent('DELETE /v1/webhooks/{id}', asOwner))).statusCode).toBe(404);
  });

  it('refuse malformed ids with a 400 naming the parameter', async () => {
    const response = await api(httpApiEvent('GET /v1/webhooks/{id}', { pathParameters: { id: '#quota' } }));
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details[0]?.field).toBe('pathParameters.id');
  });

  it('pages the list with tenant-bound tokens and never shows secrets', async () => {
    const created: string[] = [];
    for (let index = 0; index < 3; index++) {
      created.push(
        responseJson<View>(await create('paged', { url: `http://127.0.0.1:9999/p${index}` })).webhookId,
      );
    }
    const caller = testCaller('paged');
    const first = await api(
      httpApiEvent('GET /v1/webhooks', { caller, queryStringParameters: { limit: '2' } }),
    );
    const page1 = responseJson<{ items: View[]; nextToken: string | null }>(first);
    expect(page1.items).toHaveLength(2);
    expect(page1.nextToken).toEqual(expect.any(String));
    expect(first.body).not.toContain('whsec_');
    const second = await api(
      httpApiEvent('GET /v1/webhooks', {
        caller,
        queryStringParameters: { limit: '2', nextToken: page1.nextToken! },
      }),
    );
    const page2 = responseJson<{ items: View[]; nextToken: string | null }>(second);
    expect([...page1.items, ...page2.items].map((item) => item.webhookId).sort()).toEqual(created.sort());
    expect(page2.nextToken).toBeNull();

    const foreign = await api(
      httpApiEvent('GET /v1/webhooks', {
        caller: testCaller('intruder', ['admin']),
        queryStringParameters: { nextToken: page1.nextToken! },
      }),
    );
    expect(foreign.statusCode).toBe(400);
    expect(responseError(foreign).details[0]?.field).toBe('queryStringParameters.nextToken');
    for (const limit of ['0', '101', 'x']) {
      const bad = await api(httpApiEvent('GET /v1/webhooks', { caller, queryStringParameters: { limit } }));
      expect(bad.statusCode).toBe(400);
      expect(responseError(bad).details[0]?.field).toBe('queryStringParameters.limit');
    }
  });
});

describe('POST /v1/webhooks/redrive', () => {
  it("needs the platform tenant's admin: the queue holds every tenant's deliveries", async () => {
    for (const caller of [testCaller('acme', ['operator']), testCaller('acme', ['admin'])]) {
      const response = await api(httpApiEvent('POST /v1/webhooks/redrive', { caller }));
      expect(response.statusCode).toBe(403);
      expect(responseError(response).code).toBe('forbidden');
    }
    const allowed = await api(
      httpApiEvent('POST /v1/webhooks/redrive', { caller: testCaller('platform', ['admin']) }),
    );
    expect(allowed.statusCode).toBe(200);
    expect(responseJson(allowed)).toEqual({ moved: 0 });
  });
});
