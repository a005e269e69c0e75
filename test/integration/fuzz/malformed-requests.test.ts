// Property-based fuzz of every routed API handler (functions/api/*.handler.ts but the health probes),
// in-process against DynamoDB Local and the sandbox edge (fuzz-environment.ts): SPEC §6 "Bad input" —
// every malformed request is answered 4xx with a JSON `{ error: { code, message, details? } }` and
// `content-type: application/json`; never a 5xx, never another body, never a stack trace; nothing written.
//
// The route keys come from the code: routeRequest is wrapped (passing everything through to the real one)
// to record the keys each handler registers, and the infra's declaration is read too
// (declared-route-keys.ts); a route without a fuzz case in route-cases.ts fails the first test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Caller, type CallerRole, PLATFORM_TENANT } from '../../../functions/core/auth/caller.ts';
import type { TableName } from '../../../functions/data/table-names.ts';
import type { HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { httpApiEvent, testCaller, testLambdaContext } from '../../support/http-api-event.ts';
import { declaredRouteKeys } from './declared-route-keys.ts';
import {
  type FuzzEnvironment,
  ROUTED_HANDLERS,
  type RoutedHandler,
  startFuzzEnvironment,
} from './fuzz-environment.ts';
import type { MalformedRequest } from './malformed-requests.ts';
import { FUZZ_TENANT, OTHER_FUZZ_TENANT, ROUTE_FUZZ_CASES, type RouteFuzzCase } from './route-cases.ts';

const registered = vi.hoisted(() => ({ routeKeys: [] as string[] }));

vi.mock('../../../functions/http/http-router.ts', async (importOriginal) => {
  const router = await importOriginal<typeof import('../../../functions/http/http-router.ts')>();
  return {
    ...router,
    routeRequest: (...args: Parameters<typeof router.routeRequest>) => {
      registered.routeKeys.push(...Object.keys(args[0]));
      return router.routeRequest(...args);
    },
  };
});

/** Runs per route (the floor is 200); 200 of them take about a second against DynamoDB Local. */
const RUNS_PER_ROUTE = 300;
const RUNS_WITH_WRONG_CALLERS = 400;
/** Each property's budget: DynamoDB Local answers every request that passes validation. */
const PROPERTY_TIMEOUT_MS = 60_000;

let environment: FuzzEnvironment;
const servedRouteKeys: Partial<Record<RoutedHandler, string[]>> = {};

beforeAll(async () => {
  environment = await startFuzzEnvironment((name) => {
    servedRouteKeys[name] = registered.routeKeys.splice(0);
  });
});

afterAll(async () => {
  await environment?.stop();
});

/** `value` as a path segment; a lone surrogate has no URI encoding (and no client could send one). */
function pathSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The request as API Gateway would hand it to the route's handler, from `caller`'s key. */
function send(
  route: RouteFuzzCase,
  request: MalformedRequest,
  caller: Caller | null,
): Promise<HttpApiResponse> {
  const event = httpApiEvent(route.routeKey, {
    ...(request.body.text === undefined ? {} : { body: request.body.text }),
    headers: request.headers,
    ...(request.queryStringParameters ? { queryStringParameters: request.queryStringParameters } : {}),
    caller,
    ...(caller === null ? { unauthenticated: 'unknown_key' } : {}),
  });
  // Path parameters are set here rather than by httpApiEvent, which cannot encode every fuzzed value.
  const parameters = request.pathParameters;
  const rawPath = route.routeKey
    .slice(route.routeKey.indexOf(' ') + 1)
    .replace(/\{(\w+)\}/g, (_, name: string) => pathSegment(parameters?.[name] ?? ''));
  return environment.handlers[route.handler](
    {
      ...event,
      rawPath,
      ...(parameters ? { pathParameters: parameters } : {}),
      isBase64Encoded: request.body.isBase64Encoded,
      requestContext: { ...event.requestContext, http: { ...event.requestContext.http, path: rawPath } },
    },
    testLambdaContext,
  );
}

// A stack frame: "    at handler (/work/main/functions/…/x.ts:12:7)", "file.mjs:3:14".
const STACK_FRAME =
  /\n\s+at |\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)|[\w-]+\.(?:ts|js|mjs|cjs):\d+:\d+/;

/** Fails unless the answer is a 4xx with the API's JSON error body. */
function expectClientError(response: HttpApiResponse): void {
  const shown = `${response.statusCode} ${response.body.slice(0, 500)}`;
  expect(response.statusCode, shown).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, shown).toBeLessThan(500);
  expect(response.headers['content-type'], shown).toBe('application/json');
  expect(response.body, shown).not.toMatch(STACK_FRAME);
  const body = JSON.parse(response.body) as { error?: Record<string, unknown> };
  expect(Object.keys(body), shown).toEqual(['error']);
  const { code, message, details, ...rest } = body.error ?? {};
  expect(rest, shown).toEqual({});
  expect(code, shown).toEqual(expect.any(String));
  expect(message, shown).toEqual(expect.any(String));
  if (details !== undefined) {
    expect(details, shown).toEqual(expect.any(Array));
    for (const detail of details as unknown[]) {
      expect(detail, shown).toEqual({ field: expect.any(String), message: expect.any(String) });
    }
  }
}

describe('the fuzz covers every route', () => {
  it('has a case for each route key a handler serves, and for each the infra routes to one', () => {
    const byHandler = (keys: readonly { handler: string; routeKey: string }[]) => {
      const grouped: Record<string, string[]> = {};
      for (const { handler, routeKey } of keys) grouped[handler] = [...(grouped[handler] ?? []), routeKey];
      for (const list of Object.values(grouped)) list.sort();
      return grouped;
    };
    const served = byHandler(
      Object.entries(servedRouteKeys).flatMap(([handler, keys]) =>
        keys.map((routeKey) => ({ handler, routeKey })),
      ),
    );
    const declared = byHandler(
      Object.entries(declaredRouteKeys()).flatMap(([handler, keys]) =>
        keys.map((routeKey) => ({ handler, routeKey })),
      ),
    );
    const fuzzed = byHandler(ROUTE_FUZZ_CASES);
    expect(Object.values(served).flat().length).toBeGreaterThan(0);
    expect(fuzzed, 'fuzz cases (route-cases.ts) vs the route keys the handlers register').toEqual(served);
    expect(declared, 'route keys declared in infra/stacks/stateless-stack.ts vs the handlers').toEqual(
      served,
    );
    expect(new Set(ROUTE_FUZZ_CASES.map((route) => route.routeKey)).size).toBe(ROUTE_FUZZ_CASES.length);
  });

  it('imports every handler of functions/api/ that routes through routeRequest', () => {
    const directory = fileURLToPath(new URL('../../../functions/api/', import.meta.url));
    const routed = readdirSync(directory)
      .filter((file) => file.endsWith('.handler.ts'))
      .filter((file) => readFileSync(join(directory, file), 'utf8').includes('routeRequest('))
      .map((file) => file.replace('.handler.ts', ''))
      .sort();
    expect(routed).toEqual([...ROUTED_HANDLERS].sort());
  });
});

describe('malformed requests are answered 4xx with a JSON error', () => {
  for (const route of ROUTE_FUZZ_CASES) {
    it(
      route.routeKey,
      async () => {
        await fc.assert(
          fc.asyncProperty(route.requests, async (request) => {
            expectClientError(await send(route, request, route.caller));
          }),
          { numRuns: RUNS_PER_ROUTE },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  }
});

function routeCase(routeKey: string): RouteFuzzCase {
  return ROUTE_FUZZ_CASES.find((route) => route.routeKey === routeKey)!;
}

/** Keys that are not the key a route needs: no key, keys the authorizer could not have made, any roles. */
const wrongCallers: fc.Arbitrary<Caller | null> = fc.oneof(
  fc.constant(null),
  fc
    .tuple(
      fc.constantFrom(FUZZ_TENANT, OTHER_FUZZ_TENANT, PLATFORM_TENANT),
      fc.subarray(['admin', 'operator', 'reviewer'] as CallerRole[]),
      fc.integer({ min: 1, max: 3 }),
    )
    // a platform admin may read other tenants' plans, keys and metrics: not a wrong caller for those
    .map(([tenant, roles, level]) =>
      testCaller(
        tenant,
        tenant === PLATFORM_TENANT ? roles.filter((role) => role !== 'admin') : roles,
        level,
      ),
    ),
  fc.constantFrom(
    testCaller('a#b', ['admin']),
    testCaller('', ['admin']),
    testCaller(FUZZ_TENANT, ['root' as CallerRole]),
    { ...testCaller(FUZZ_TENANT, ['reviewer'], 3), reviewerLevel: 9 },
  ),
);

describe('malformed requests from callers without the key a route needs', () => {
  it(
    'are answered 4xx with a JSON error too (401, 403 or the validation error)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          // by route key, so that a counterexample prints the key rather than the whole case
          fc
            .constantFrom(...ROUTE_FUZZ_CASES.map((route) => route.routeKey))
            .chain((routeKey) => fc.tuple(fc.constant(routeKey), routeCase(routeKey).requests, wrongCallers)),
          async ([routeKey, request, caller]) => {
            expectClientError(await send(routeCase(routeKey), request, caller));
          },
        ),
        { numRuns: RUNS_WITH_WRONG_CALLERS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('nothing half-written', () => {
  const RECORD_TABLES: TableName[] = [
    'agents',
    'intents',
    'proofs',
    'workflows',
    'escalations',
    'webhooks',
    'audit',
    'alerts',
    'analytics',
    'apiKeys',
    'memory',
  ];

  async function scan(table: TableName): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await environment.api.documents.send(
      new ScanCommand({ TableName: environment.api.tables[table], ConsistentRead: true }),
    );
    return Items;
  }

  it('leaves every record table empty after the fuzz', async () => {
    for (const table of RECORD_TABLES) expect(await scan(table), table).toEqual([]);
  });

  it("leaves no rate-limit plan: the gate state holds only the API's request buckets", async () => {
    const keys = (await scan('gateState')).map((item) => String(item.key));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !key.startsWith('api-bucket#'))).toEqual([]);
  });
});
