import { describe, expect, it } from 'vitest';
import { useFixtureSandbox } from '../../fixtures/sandbox-app/fixture-sandbox.ts';

const fixture = useFixtureSandbox();

describe('HTTP API', () => {
  it('serves the API at the URL the stack outputs as its endpoint', () => {
    expect(fixture.sandbox.outputs.SandboxFixture?.ApiEndpoint).toBe(fixture.sandbox.apiUrl!);
  });

  it('returns the Lambda body on a public route', async () => {
    const response = await fetch(`${fixture.sandbox.apiUrl!}/ping`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, route: 'GET /ping' });
  });

  it('answers 403 when the authorizer denies and 401 when the identity source is missing', async () => {
    const denied = await fetch(`${fixture.sandbox.apiUrl!}/items/1`, {
      headers: { authorization: 'Bearer deny' },
    });
    expect(denied.status).toBe(403);
    const anonymous = await fetch(`${fixture.sandbox.apiUrl!}/items/1`);
    expect(anonymous.status).toBe(401);
  });

  it('passes path parameters and the authorizer context to the function, which writes through the edge', async () => {
    const headers = { authorization: 'Bearer allow', 'content-type': 'application/json' };
    fixture.sandbox.resetRequestCounts();
    const created = await fetch(`${fixture.sandbox.apiUrl!}/items/42`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ name: 'widget' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: '42', name: 'widget', caller: 'fixture-user' });
    const read = await fetch(`${fixture.sandbox.apiUrl!}/items/42`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ id: '42', name: 'widget' });
    // The function signed its DynamoDB requests as itself (its name is the session token), as a Lambda
    // function signs with its own role in AWS; DynamoDB Local accepted them.
    const byCaller = fixture.sandbox.requestCountsByCaller();
    const itemsFunction = Object.keys(byCaller).find((caller) => caller.includes('ItemsApi'));
    expect(itemsFunction, JSON.stringify(byCaller)).toBeDefined();
    expect(byCaller[itemsFunction!]).toEqual({ 'DynamoDB.PutItem': 1, 'DynamoDB.GetItem': 1 });
  });

  it('throttles a route beyond its burst with 429', async () => {
    // Burst 1 at 1 request/s: of three requests sent at once, at most one (two if a token refills) passes.
    const statuses = await Promise.all(
      [1, 2, 3].map(async () => (await fetch(`${fixture.sandbox.apiUrl!}/limited`)).status),
    );
    expect(statuses).toContain(429);
    expect(statuses).toContain(200);
  });

  it('answers CORS preflight requests from an allowed origin', async () => {
    const response = await fetch(`${fixture.sandbox.apiUrl!}/items/1`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
  });
});
