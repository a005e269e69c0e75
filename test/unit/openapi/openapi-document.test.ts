// The OpenAPI document (functions/app/openapi/): its structure (every operation identified, answered,
// secured or said to be public), the one Error shape checked against the router's real error answers, and
// the request bodies compared with the zod schemas the routes validate with — the document refuses what
// the schema refuses, except for the refinements JSON Schema cannot express, which are listed here.

import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiKeyRequestSchema } from '../../../functions/app/auth/issue-api-key.ts';
import { healthRoutes } from '../../../functions/app/health/health-routes.ts';
import { IntentDeclarationSchema } from '../../../functions/app/intents/intent-declaration.ts';
import { RememberBodySchema } from '../../../functions/app/memory/memory-request.ts';
import {
  buildOpenApiDocument,
  OPENAPI_DOCUMENT,
  OPENAPI_JSON,
} from '../../../functions/app/openapi/openapi-document.ts';
import { ROUTE_CATALOG, ROUTE_TAGS } from '../../../functions/app/openapi/route-catalog.ts';
import type { RouteDoc } from '../../../functions/app/openapi/route-doc.ts';
import { WebhookRegistrationSchema } from '../../../functions/app/webhooks/webhook-registration.ts';
import { startWorkflowBodySchema } from '../../../functions/app/workflows/start-workflow-request.ts';
import { ApiError, notFound } from '../../../functions/http/api-error.ts';
import {
  type RequestLimiter,
  routePublicRequest,
  routeRequest,
} from '../../../functions/http/http-router.ts';
import { parseBody } from '../../../functions/http/request-body.ts';
import { requireRole } from '../../../functions/http/request-caller.ts';
import packageJson from '../../../package.json' with { type: 'json' };
import { httpApiEvent, testCaller } from '../../support/http-api-event.ts';
import {
  documentedRouteKeys,
  operationOf,
  requestBodySchema,
  resolved,
  responseSchema,
  validatorOf,
} from './document-schemas.ts';

// Before the router's modules create their logger and metrics: the 500 below is logged.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
});

const document = OPENAPI_DOCUMENT;
const PUBLIC_ROUTES = ['GET /health', 'GET /ready', 'GET /openapi.json'];
const operations = documentedRouteKeys(document).map((key) => [key, operationOf(document, key)] as const);
const authenticated = operations.filter(([key]) => !PUBLIC_ROUTES.includes(key));

type Answer = { description?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> };
const answer = (key: string, status: number | string) =>
  resolved(document, operationOf(document, key).responses[status]) as Answer;

describe('the document', () => {
  it('is OpenAPI 3.1 of this version of the API, served from its own origin', () => {
    expect(document).toMatchObject({
      openapi: '3.1.0',
      jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
      info: { title: 'trustgate API', version: packageJson.version },
      servers: [{ url: '/' }],
    });
    expect(JSON.parse(OPENAPI_JSON)).toEqual(document);
  });

  it('describes every route of the catalog once', () => {
    expect(documentedRouteKeys(document).sort()).toEqual(
      ROUTE_CATALOG.map((route) => `${route.method} ${route.path}`).sort(),
    );
    expect(operations.length).toBeGreaterThanOrEqual(36);
  });

  it('gives every operation a unique operationId, a summary, a declared tag and a 2xx answer', () => {
    const declaredTags = (document.tags as { name: string; description: string }[]).map((tag) => tag.name);
    expect(declaredTags).toEqual(Object.keys(ROUTE_TAGS));
    const ids = operations.map(([, operation]) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [key, operation] of operations) {
      expect(operation.operationId, key).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.summary, key).not.toBe('');
      expect(operation.tags, key).toHaveLength(1);
      expect(declaredTags, key).toContain(operation.tags[0]);
      expect(
        Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status)),
        key,
      ).toHaveLength(1);
    }
  });

  it('says outright that the probes and the document are public, and secures everything else by API key', () => {
    for (const [key, operation] of operations) {
      expect(operation.security, key).toEqual(PUBLIC_ROUTES.includes(key) ? [] : [{ apiKey: [] }]);
      if (PUBLIC_ROUTES.includes(key)) {
        expect(operation.description, key).toMatch(/\*\*Access:\*\* public: no API key\.$/);
      } else {
        expect(operation['x-required-role'], key).toBeDefined();
        expect(operation.description, key).toMatch(/\*\*Access:\*\* (any|an) .*key.*\.$/);
      }
    }
    expect(resolved(document, document.components)).toMatchObject({
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
    });
  });

  it('gives every authenticated route its 401, 429 and rate-limit headers, and no public one', () => {
    const limitHeaders = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];
    for (const [key, operation] of authenticated) {
      const success = Object.keys(operation.responses).find((status) => status.startsWith('2'))!;
      expect(Object.keys(answer(key, success).headers ?? {}), key).toEqual(
        expect.arrayContaining(limitHeaders),
      );
      expect(Object.keys(answer(key, 401).headers ?? {}), key).toEqual(['WWW-Authenticate']);
      expect(Object.keys(answer(key, 429).headers ?? {}), key).toEqual([...limitHeaders, 'Retry-After']);
    }
    for (const key of PUBLIC_ROUTES) {
      const statuses = Object.keys(operationOf(document, key).responses);
      expect(statuses, key).not.toContain('401');
      expect(statuses, key).not.toContain('429');
      expect(JSON.stringify(operationOf(document, key).responses), key).not.toContain('X-RateLimit');
    }
  });

  it('puts Retry-After on the 503s that carry it', () => {
    const retried = operations
      .filter(([key]) => Object.keys(answer(key, 503)?.headers ?? {}).includes('Retry-After'))
      .map(([key]) => key)
      .sort();
    expect(retried).toEqual([
      'GET /v1/agents/{id}/memories',
      'POST /v1/agents/{id}/memories',
      'POST /v1/workflows',
    ]);
  });

  it('answers every error with the Error schema, and documents a 400 wherever a route reads input', () => {
    for (const [key, operation] of operations) {
      for (const status of Object.keys(operation.responses).filter((code) => Number(code) >= 400)) {
        const schema = JSON.stringify(operationOf(document, key).responses[status]);
        const direct = JSON.stringify(answer(key, status).content);
        expect(`${schema} ${direct}`, `${key} ${status}`).toMatch(
          /#\/components\/(schemas\/Error|responses\/(Unauthorized|TooManyRequests|InternalError))/,
        );
      }
      const readsInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
      expect(Object.keys(operation.responses).includes('400'), key).toBe(readsInput);
    }
  });

  it('declares each path parameter of a route as required, with its schema', () => {
    for (const [key, operation] of operations) {
      const names = [...key.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      const declared = (operation.parameters ?? []) as {
        name: string;
        in: string;
        required: boolean;
        schema: unknown;
      }[];
      expect(
        declared.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
        key,
      ).toEqual(names);
      for (const parameter of declared.filter((candidate) => candidate.in === 'path')) {
        expect(parameter.required, key).toBe(true);
        expect(parameter.schema, key).toMatchObject({ type: 'string' });
      }
    }
  });

  it('lists one query parameter per field of the route’s query schema', () => {
    for (const route of ROUTE_CATALOG.filter((candidate) => candidate.query)) {
      const key = `${route.method} ${route.path}`;
      const parameters = (operationOf(document, key).parameters ?? []) as { name: string; in: string }[];
      expect(
        parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        key,
      ).toEqual(Object.keys((route.query as z.ZodObject).shape));
    }
  });

  it('documents what a client sends: coerced and defaulted parameters as the client writes them', () => {
    const [limit] = (operationOf(document, 'GET /v1/agents').parameters ?? []) as Record<string, unknown>[];
    expect(limit).toEqual({
      name: 'limit',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
    });
    const body = requestBodySchema(document, 'POST /v1/agents/{id}/memories') as { required: string[] };
    expect(body.required).toEqual(['text']);
    // A transform (requiredTier: a code in, a tier out) is documented by what it takes.
    expect(requestBodySchema(document, 'POST /v1/intents')).toMatchObject({
      properties: { requiredTier: { type: 'string' } },
    });
  });

  it('gives the two forms of a workflow as alternatives', () => {
    const schema = requestBodySchema(document, 'POST /v1/workflows') as { oneOf: { required: string[] }[] };
    expect(schema.oneOf.map((form) => form.required)).toEqual([
      ['template', 'input'],
      ['type', 'input', 'steps'],
    ]);
  });
});

describe('the Error schema', () => {
  const validate = validatorOf(document, { $ref: '#/components/schemas/Error' });
  const refusing: RequestLimiter = async () => ({
    headers: { 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '6' },
    refusal: new ApiError(
      429,
      'rate_limited',
      'over',
      [{ field: 'headers.authorization', message: 'over' }],
      {
        'retry-after': '6',
      },
    ),
  });
  const admitting: RequestLimiter = async () => ({ headers: {} });
  const router = (limiter: RequestLimiter) =>
    routeRequest(
      {
        'POST /v1/things': async (event) => {
          parseBody(event, z.strictObject({ name: z.string() }));
          return { statusCode: 204, headers: {}, body: '' };
        },
        'GET /v1/things/{id}': async () => {
          throw notFound('thing_not_found', 'no thing', 'pathParameters.id');
        },
        'DELETE /v1/things/{id}': async (_event, caller) => {
          requireRole(caller, 'admin', 'deleting a thing');
          return { statusCode: 204, headers: {}, body: '' };
        },
        'PUT /v1/things/{id}': async () => {
          throw new Error('nobody foresaw this');
        },
      },
      limiter,
    );

  it.each([
    ['a validation failure', httpApiEvent('POST /v1/things', { body: { name: 1, extra: true } }), 400],
    ['a body that is not JSON', httpApiEvent('POST /v1/things', { body: '{' }), 400],
    ['no body', httpApiEvent('POST /v1/things'), 400],
    ['a 404', httpApiEvent('GET /v1/things/{id}', { pathParameters: { id: 'x' } }), 404],
    ['a missing role', httpApiEvent('DELETE /v1/things/{id}', { pathParameters: { id: 'x' } }), 403],
    ['no key', httpApiEvent('GET /v1/things/{id}', { caller: null, unauthenticated: 'revoked_key' }), 401],
    ['an internal error', httpApiEvent('PUT /v1/things/{id}', { pathParameters: { id: 'x' } }), 500],
  ])('fits %s as the router answers it', async (_case, event, status) => {
    const response = await router(admitting)(event);
    expect(response.statusCode).toBe(status);
    expect(validate(JSON.parse(response.body)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('fits the limiter’s 429, which carries the headers the document names', async () => {
    const response = await router(refusing)(httpApiEvent('GET /v1/things/{id}', { caller: testCaller() }));
    expect(response.statusCode).toBe(429);
    expect(validate(JSON.parse(response.body))).toBe(true);
    const documented = Object.keys(answer('GET /v1/agents', 429).headers ?? {}).map((name) =>
      name.toLowerCase(),
    );
    expect(Object.keys(response.headers)).toEqual(expect.arrayContaining(documented));
  });

  it('refuses what is not the error shape', () => {
    expect(validate({ message: 'Forbidden' })).toBe(false);
    expect(validate({ error: { code: 'x', message: 'y' } })).toBe(false);
    expect(validate({ error: { code: 'x', message: 'y', details: [{ field: 'a' }] } })).toBe(false);
  });
});

describe('the probes’ answers', () => {
  const probe = (usedBytes: number) =>
    routePublicRequest(
      healthRoutes({
        memoryLimit: '100',
        memoryInUse: () => ({ bytes: usedBytes, measure: 'rss' }),
        dynamodb: { send: () => Promise.reject(new Error('unused')) },
        tables: {},
        sqs: { send: () => Promise.reject(new Error('unused')) },
        queues: {},
        loadPolicies: () => {
          throw new Error('unused');
        },
      }),
    )(httpApiEvent('GET /health', { caller: null }));

  it('fit the documented 200 and 503 of GET /health, and not each other’s', async () => {
    const alive = JSON.parse((await probe(1024 * 1024)).body);
    const failing = await probe(99 * 1024 * 1024);
    expect(failing.statusCode).toBe(503);
    const notLive = JSON.parse(failing.body);
    const ok = validatorOf(document, responseSchema(document, 'GET /health', 200));
    const unavailable = validatorOf(document, responseSchema(document, 'GET /health', 503));
    expect([ok(alive), unavailable(notLive)]).toEqual([true, true]);
    expect([ok(notLive), unavailable(alive)]).toEqual([false, false]);
  });
});

// Each sample is sent to the document's body schema and to the route's zod schema (as the route picks
// it). `agree`: both accept or both refuse. `zodOnly`: refused by a refinement JSON Schema cannot say, so
// the document accepts it and the route answers 400 — said in the operation's description instead.
interface BodyCase {
  route: string;
  parse: (body: unknown) => boolean;
  agree: unknown[];
  zodOnly: unknown[];
}

const schemaOf = (schema: z.ZodType) => (body: unknown) => schema.safeParse(body).success;
const step = { name: 'search', agentId: 'agent-1', requiredTier: 'T1', intent: 'search_web' };

const BODY_CASES: BodyCase[] = [
  {
    route: 'POST /v1/agents/{id}/memories',
    parse: schemaOf(RememberBodySchema),
    agree: [
      { text: 'the user prefers tea' },
      { text: 'x', layer: 'short-term', importance: 0.2, source: { workflowId: 'wf-1', step: 's1' } },
      {},
      { text: 5 },
      { text: 'x', layer: 'mid-term' },
      { text: 'x', importance: 1.5 },
      { text: 'x', colour: 'red' },
      { text: 'x', source: { workflowId: '-starts-badly' } },
      { text: 'x'.repeat(40_000) },
      [],
    ],
    zodOnly: [{ text: '   ' }],
  },
  {
    route: 'POST /v1/intents',
    parse: schemaOf(IntentDeclarationSchema),
    agree: [
      { agentId: 'agent-1', action: 'search_web', resource: { id: 'r-1', type: 'doc' } },
      {
        agentId: 'a',
        action: 'call_api',
        resource: { id: 'r', type: 't' },
        context: { k: 1 },
        requiredTier: 'T2',
      },
      { agentId: 'agent-1', action: 'fly', resource: { id: 'r-1', type: 'doc' } },
      { agentId: 'agent-1', action: 'search_web' },
      { agentId: 'agent-1', action: 'search_web', resource: { id: 'r-1', type: 'doc', owner: 'me' } },
      { agentId: '', action: 'search_web', resource: { id: 'r-1', type: 'doc' } },
      { agentId: 'agent-1', action: 'search_web', resource: { id: 'r-1', type: 'doc' }, requiredTier: 3 },
    ],
    zodOnly: [
      { agentId: 'agent-1', action: 'search_web', resource: { id: 'r', type: 'doc' }, requiredTier: 'T9' },
      { agentId: 'agent-1', action: 'search_web', resource: { id: 'r', type: 'doc' }, context: [1] },
    ],
  },
  {
    route: 'POST /v1/workflows',
    parse: (body) => startWorkflowBodySchema(body, { stage: undefined }).safeParse(body).success,
    agree: [
      { template: 'report', input: { task: 'Write the quarterly report' } },
      { type: 'sequential', input: { task: 'x', audience: 'board' }, steps: [step], preference: 'quality' },
      { type: 'parallel', input: { task: 'x' }, steps: [step], parallel: { maxConcurrency: 2 } },
      { template: 'nope', input: { task: 'x' } },
      { template: 'report', type: 'sequential', input: { task: 'x' } },
      { type: 'sequential', input: { task: 'x' }, steps: [] },
      { input: { task: 'x' }, steps: [step] },
      { type: 'sequential', input: {}, steps: [step] },
      { type: 'sequential', input: { task: 'x' }, steps: [{ ...step, requiredTier: 'T7' }] },
      { type: 'sequential', input: { task: 'x' }, steps: [step], queue: { maxAttempts: 0 } },
      { type: 'sequential', input: { task: 'x' }, steps: [step], unknown: true },
    ],
    zodOnly: [
      { type: 'sequential', input: { task: 'x' }, steps: [{ ...step, role: 'writer' }] },
      { type: 'sequential', input: { task: 'x' }, steps: [step, step] },
      { type: 'sequential', input: { task: ' ' }, steps: [step] },
      { type: 'sequential', input: { task: 'x' }, steps: [step], parallel: { maxConcurrency: 2 } },
    ],
  },
  {
    route: 'POST /v1/api-keys',
    parse: schemaOf(ApiKeyRequestSchema),
    agree: [
      { name: 'ci-bot', roles: ['operator'] },
      { name: 'ann@example.com', roles: ['reviewer'], reviewerLevel: 2, expiresAt: '2030-01-01T00:00:00Z' },
      { name: 'ci-bot', roles: [] },
      { name: 'ci-bot', roles: ['root'] },
      { name: 'has space', roles: ['operator'] },
      { name: 'ci-bot', roles: ['operator'], owner: 'me' },
      { name: 'ci-bot', roles: ['operator'], expiresAt: 'tomorrow' },
    ],
    zodOnly: [
      { name: 'ci-bot', roles: ['admin', 'admin'] },
      { name: 'ci-bot', roles: ['reviewer'] },
    ],
  },
  {
    route: 'POST /v1/webhooks',
    parse: schemaOf(WebhookRegistrationSchema),
    agree: [
      { url: 'https://hooks.example.com/t' },
      { url: 'https://hooks.example.com/t', filter: null, description: null },
      { url: 'https://hooks.example.com/t', filter: { 'detail-type': ['intent.decided'] } },
      { url: '' },
      { url: 'https://hooks.example.com/t', filter: [] },
      { url: 'https://hooks.example.com/t', secret: 'mine' },
    ],
    zodOnly: [],
  },
];

describe.each(BODY_CASES)('the body of $route', ({ route, parse, agree, zodOnly }) => {
  const validate = validatorOf(document, requestBodySchema(document, route));

  it('is accepted and refused as the route’s schema accepts and refuses it', () => {
    const verdicts = agree.map((body) => [body, validate(body), parse(body)]);
    expect(verdicts.filter(([, documented, parsed]) => documented !== parsed)).toEqual([]);
    // Both verdicts occur: a schema that accepted or refused everything would agree on nothing here.
    expect(new Set(verdicts.map(([, , parsed]) => parsed))).toEqual(new Set([true, false]));
  });

  it('leaves only the refinements to the route', () => {
    for (const body of zodOnly)
      expect([validate(body), parse(body)], JSON.stringify(body)).toEqual([true, false]);
  });
});

describe('the builder', () => {
  const route: RouteDoc = {
    method: 'GET',
    path: '/v1/things/{id}',
    operationId: 'getThing',
    summary: 'Get a thing',
    description: 'A thing.',
    tag: 'Things',
    access: { kind: 'key', role: 'any' },
    pathParameters: { id: { schema: z.string(), description: 'Its id.' } },
    success: { status: 200, description: 'The thing.' },
    errors: { 400: 'bad id' },
  };

  it('refuses a catalog it cannot describe honestly', () => {
    expect(() => buildOpenApiDocument([route, { ...route, path: '/v1/other/{id}' }], '1')).toThrow(
      'operationId getThing is used twice',
    );
    expect(() => buildOpenApiDocument([route, { ...route, operationId: 'again' }], '1')).toThrow(
      'GET /v1/things/{id} is described twice',
    );
    expect(() => buildOpenApiDocument([{ ...route, pathParameters: {} }], '1')).toThrow('path parameters');
    expect(() => buildOpenApiDocument([{ ...route, query: z.string() }], '1')).toThrow('not an object');
    const recursive: z.ZodType = z.lazy(() => z.object({ child: recursive.optional() }));
    expect(() =>
      buildOpenApiDocument(
        [{ ...route, body: { schemas: [recursive], required: true, description: '' } }],
        '1',
      ),
    ).toThrow('definitions of its own');
  });

  it('builds a well-formed entry into an operation', () => {
    const built = buildOpenApiDocument([route], '9.9.9');
    expect(built.info.version).toBe('9.9.9');
    expect(Object.keys(built.paths['/v1/things/{id}']!.get!.responses)).toEqual([
      '200',
      '400',
      '401',
      '429',
      '500',
    ]);
  });
});
