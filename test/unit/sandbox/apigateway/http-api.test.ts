import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHttpApi, startHttpApi } from '../../../../sandbox/apigateway/http-api.ts';
import type {
  HttpApiAuthorizerSpec,
  HttpApiRouteSpec,
  HttpApiSpec,
  LambdaRuntime,
} from '../../../../sandbox/contracts.ts';
import { createLambdaRuntime } from '../../../../sandbox/lambda/runtime.ts';
import { functionSpec } from '../../../fixtures/lambda-handlers/function-spec.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): Record<string, unknown>;
}

let runtime: LambdaRuntime;
let api: RunningHttpApi;

const simpleAuthorizer: HttpApiAuthorizerSpec = {
  authorizerId: 'simple',
  name: 'SimpleAuthorizer',
  functionName: 'authorizer-simple',
  identitySources: ['$request.header.Authorization'],
  payloadFormatVersion: '2.0',
  enableSimpleResponses: true,
  resultTtlSeconds: 300,
};

const policyAuthorizer: HttpApiAuthorizerSpec = {
  authorizerId: 'policy',
  name: 'PolicyAuthorizer',
  functionName: 'authorizer-policy',
  identitySources: ['$request.header.Authorization'],
  payloadFormatVersion: '1.0',
  enableSimpleResponses: false,
  resultTtlSeconds: 0,
};

function route(
  routeKey: string,
  functionName: string,
  extra: Partial<HttpApiRouteSpec> = {},
): HttpApiRouteSpec {
  return { routeKey, functionName, payloadFormatVersion: '2.0', timeoutMs: 5_000, ...extra };
}

const spec: HttpApiSpec = {
  logicalId: 'Api',
  apiId: 'api123',
  name: 'test-api',
  stageName: '$default',
  routes: [
    route('GET /pets/{id}', 'echo'),
    route('GET /pets/dog', 'echo'),
    route('ANY /files/{proxy+}', 'echo'),
    route('POST /v1/items', 'echo', { payloadFormatVersion: '1.0' }),
    route('GET /shapes', 'responses', { timeoutMs: 1_000 }),
    route('GET /private', 'echo', { authorizer: simpleAuthorizer }),
    route('GET /policy', 'echo', { authorizer: policyAuthorizer }),
    route('GET /limited', 'echo'),
  ],
  cors: {
    allowOrigins: ['https://app.example'],
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['authorization', 'content-type'],
    exposeHeaders: ['x-custom'],
    allowCredentials: true,
    maxAgeSeconds: 600,
  },
  // No refill worth counting during a test: exactly `burstLimit` requests pass.
  routeThrottling: { 'GET /limited': { burstLimit: 2, rateLimit: 0.0001 } },
};

beforeAll(async () => {
  runtime = createLambdaRuntime({
    endpoints: { edgeUrl: 'http://127.0.0.1:1', region: 'us-east-1' },
    log: () => {},
  });
  await runtime.deploy(functionSpec('echo', 'http-echo.handler'));
  await runtime.deploy(functionSpec('responses', 'http-responses.handler', { timeoutSeconds: 5 }));
  await runtime.deploy(functionSpec('authorizer-simple', 'http-authorizer.simple'));
  await runtime.deploy(functionSpec('authorizer-policy', 'http-authorizer.policy'));
  api = await startHttpApi(spec, { lambda: runtime, port: 0, region: 'us-east-1' });
});

afterAll(async () => {
  await api.stop();
  await runtime.close();
});

function send(
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: Buffer | string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const replyBody = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: replyBody,
          json: () => JSON.parse(replyBody.toString('utf8')) as Record<string, unknown>,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP API emulation', () => {
  it('selects the most specific route and extracts path parameters', async () => {
    const literal = (await send('GET', '/pets/dog')).json();
    expect(literal.routeKey).toBe('GET /pets/dog');
    expect(literal.pathParameters).toBeUndefined();
    expect((await send('GET', '/pets/7')).json()).toMatchObject({
      routeKey: 'GET /pets/{id}',
      pathParameters: { id: '7' },
    });
    expect((await send('DELETE', '/files/a/b.txt')).json()).toMatchObject({
      routeKey: 'ANY /files/{proxy+}',
      pathParameters: { proxy: 'a/b.txt' },
    });
  });

  it('answers 404 Not Found when no route matches', async () => {
    const reply = await send('GET', '/nowhere');
    expect(reply.status).toBe(404);
    expect(reply.json()).toEqual({ message: 'Not Found' });
  });

  it('builds the payload format 2.0 event as API Gateway does', async () => {
    const reply = await send('GET', '/pets/7?a=1&a=2&b=x%20y', {
      cookie: 'c1=v1; c2=v2',
      'x-multi': ['one', 'two'],
      'user-agent': 'test-agent',
    });
    const event = reply.json();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /pets/{id}',
      rawPath: '/pets/7',
      rawQueryString: 'a=1&a=2&b=x%20y',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { id: '7' },
      isBase64Encoded: false,
    });
    expect(event.body).toBeUndefined();
    const headers = event.headers as Record<string, string>;
    expect(headers['x-multi']).toBe('one,two');
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const requestContext = event.requestContext as Record<string, unknown>;
    expect(requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: 'api123',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: 'GET',
        path: '/pets/7',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test-agent',
      },
      requestId: reply.headers['apigw-requestid'],
      routeKey: 'GET /pets/{id}',
      stage: '$default',
    });
    expect(requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(requestContext.timeEpoch).toEqual(expect.any(Number));
    expect(requestContext.authorizer).toBeUndefined();
  });

  it('passes text bodies as they are and base64-encodes binary ones', async () => {
    const json = (await send('POST', '/files/x', { 'content-type': 'application/json' }, '{"a":1}')).json();
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const binary = (
      await send(
        'PUT',
        '/files/x',
        { 'content-type': 'application/octet-stream' },
        Buffer.from([0, 159, 255]),
      )
    ).json();
    expect(binary).toMatchObject({
      body: Buffer.from([0, 159, 255]).toString('base64'),
      isBase64Encoded: true,
    });
  });

  it('refuses a body above the 10 MB payload quota with 413', async () => {
    const reply = await send(
      'POST',
      '/files/big',
      { 'content-type': 'text/plain' },
      Buffer.alloc(10 * 1024 * 1024 + 1),
    );
    expect(reply.status).toBe(413);
    expect(reply.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('builds the payload format 1.0 event when the route asks for it', async () => {
    const event = (
      await send(
        'POST',
        '/v1/items?tag=a&tag=b',
        { 'content-type': 'text/plain', 'x-multi': ['one', 'two'] },
        'hello',
      )
    ).json();
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/v1/items',
      path: '/v1/items',
      httpMethod: 'POST',
      queryStringParameters: { tag: 'b' },
      multiValueQueryStringParameters: { tag: ['a', 'b'] },
      pathParameters: null,
      body: 'hello',
      isBase64Encoded: false,
      requestContext: { resourcePath: '/v1/items', stage: '$default', identity: { sourceIp: '127.0.0.1' } },
    });
    expect((event.headers as Record<string, string>)['x-multi']).toBe('two');
    expect((event.multiValueHeaders as Record<string, string[]>)['x-multi']).toEqual(['one', 'two']);
  });

  it('infers a 200 application/json response from a plain returned value', async () => {
    const object = await send('GET', '/shapes?shape=object');
    expect(object.status).toBe(200);
    expect(object.headers['content-type']).toBe('application/json');
    expect(object.body.toString()).toBe('{"hello":"world"}');
    expect((await send('GET', '/shapes?shape=string')).body.toString()).toBe('just text');
  });

  it('maps a structured response: status, headers, cookies and base64 bodies', async () => {
    const full = await send('GET', '/shapes?shape=full');
    expect(full.status).toBe(201);
    expect(full.headers['x-custom']).toBe('value');
    expect(full.headers['set-cookie']).toEqual(['session=abc; HttpOnly', 'theme=dark']);
    expect(full.body.toString()).toBe('created');
    const binary = await send('GET', '/shapes?shape=binary');
    expect([...binary.body]).toEqual([0, 1, 2, 255]);
  });

  it('answers 500 for a function error or a malformed response, 503 past the integration timeout', async () => {
    for (const shape of ['throw', 'malformed']) {
      const reply = await send('GET', `/shapes?shape=${shape}`);
      expect(reply.status).toBe(500);
      expect(reply.json()).toEqual({ message: 'Internal Server Error' });
    }
    const slow = await send('GET', '/shapes?shape=slow');
    expect(slow.status).toBe(503);
    expect(slow.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('runs a simple-response authorizer: 401 without identity, 403 when denied, cached when allowed', async () => {
    const missing = await send('GET', '/private');
    expect(missing.status).toBe(401);
    expect(missing.json()).toEqual({ message: 'Unauthorized' });

    const denied = await send('GET', '/private', { authorization: 'Bearer deny' });
    expect(denied.status).toBe(403);
    expect(denied.json()).toEqual({ message: 'Forbidden' });

    const allowed = await send('GET', '/private', { authorization: 'Bearer allow' });
    expect(allowed.status).toBe(200);
    // The 401 never reached the authorizer: this is its second invocation.
    expect((allowed.json().requestContext as Record<string, unknown>).authorizer).toEqual({
      lambda: {
        user: 'alice',
        invocations: 2,
        type: 'REQUEST',
        routeArn: 'arn:aws:execute-api:us-east-1:000000000000:api123/$default/GET/private',
      },
    });
    const cached = await send('GET', '/private', { authorization: 'Bearer allow' });
    expect(cached.json()).toMatchObject({ requestContext: { authorizer: { lambda: { invocations: 2 } } } });
  });

  it('evaluates IAM policy responses of a format 1.0 authorizer', async () => {
    expect((await send('GET', '/policy', { authorization: 'Bearer allow' })).status).toBe(200);
    expect((await send('GET', '/policy', { authorization: 'Bearer deny' })).status).toBe(403);
  });

  it('throttles a route beyond its burst with 429', async () => {
    expect((await send('GET', '/limited')).status).toBe(200);
    expect((await send('GET', '/limited')).status).toBe(200);
    const throttled = await send('GET', '/limited');
    expect(throttled.status).toBe(429);
    expect(throttled.json()).toEqual({ message: 'Too Many Requests' });
  });

  it('answers CORS preflights itself and sets the configured CORS headers on responses', async () => {
    const preflight = await send('OPTIONS', '/pets/7', {
      origin: 'https://app.example',
      'access-control-request-method': 'GET',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '600',
      'access-control-allow-credentials': 'true',
    });
    const foreign = await send('OPTIONS', '/pets/7', {
      origin: 'https://other.example',
      'access-control-request-method': 'GET',
    });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();

    const actual = await send('GET', '/shapes?shape=full', { origin: 'https://app.example' });
    expect(actual.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-expose-headers': 'x-custom',
      'access-control-allow-credentials': 'true',
    });
  });
});

describe('HTTP API on a named stage', () => {
  it('serves routes under the stage prefix and keeps the prefix in rawPath', async () => {
    const staged = await startHttpApi(
      {
        ...spec,
        stageName: 'prod',
        cors: undefined,
        routes: [route('GET /pets/{id}', 'echo')],
        routeThrottling: {},
      },
      { lambda: runtime, port: 0, region: 'us-east-1' },
    );
    try {
      const reply = await fetch(`${staged.url}/prod/pets/7`);
      expect(await reply.json()).toMatchObject({
        rawPath: '/prod/pets/7',
        routeKey: 'GET /pets/{id}',
        pathParameters: { id: '7' },
        requestContext: { stage: 'prod', http: { path: '/prod/pets/7' } },
      });
      expect((await fetch(`${staged.url}/pets/7`)).status).toBe(404);
    } finally {
      await staged.stop();
    }
  });
});
