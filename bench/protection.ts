// `npm run bench -- protection`: what the API's protections cost and whether the rate limit holds, against
// the real synthesized trustgate app in the sandbox, on loopback only.
//
// 1. Authorizer overhead, warm, on GET /v1/agents?limit=1 (one DynamoDB Query of an empty fleet) for a
//    tenant on plan `exec`, so its API bucket (10 000) never refuses. Three variants, interleaved in one
//    loop (the order rotated each round) so that drift of a shared 2-core machine hits all of them alike:
//      baseline  the route's function invoked directly through the edge's Lambda Invoke API with a
//                pre-made payload 2.0 event that carries the authorizer context the key would get: one
//                loopback HTTP request, the Lambda runtime, and the route's whole work (its rate-limit
//                UpdateItem and the Query). No API emulator, no authorizer.
//      cached    the same request through the HTTP API with one key the authorizer has already answered:
//                the baseline's work plus the API emulator (routing, stage throttle, event building,
//                response mapping) and a hit in the authorizer's result cache. The Lambda authorizer is
//                not invoked.
//      uncached  the same, each request with a key issued beforehand (POST /v1/api-keys) and never sent
//                before: the cached figure plus one invocation of the authorizer Lambda (GetItem of the
//                key, SHA-256 check, GetItem of the tenant's plan).
//    So uncached − cached is what the authorizer costs a request it has not seen, and cached − baseline
//    bounds from above what a cache hit costs (it includes the API emulator's own work, which the app cannot
//    avoid). The authorizer's DynamoDB requests, counted at the edge, check that cached requests made none.
//    Requests are paced under the stage throttle (the synthesized stage allows 50/s per route, burst 100).
//
// 2. A bounded load test: 100 requests/s for 10 s (1 000 requests, the i-th sent at start + i × 10 ms
//    without waiting for earlier answers) at one fresh tenant on the default plan, all with one key to
//    GET /v1/agents?limit=1. Theory: the tenant bucket admits capacity + refill rate × (last send − first
//    send), from the plan constants of functions/core/rate-limit and the measured span of the send times.
//    The stage throttle sits in front of it and refuses with a 429 of its own (`Too Many Requests`, no
//    `rate_limited` code), so the two refusals are counted apart; it only thins the stream the tenant
//    bucket sees (≈ 60/s on average, still far above the bucket's 10/s). Two figures say whether this
//    machine kept up: the achieved send rate (the client), and how late the answers came (the sandbox: a
//    request queued behind others in the Lambda pool waits for its answer). The bucket's clock is the
//    function's, when the limiter runs, so a backlog still queued after the last send would stretch the
//    span it sees beyond the send span the theory uses; the lag of the last answer bounds that.
//
// Timings are printed, never asserted. The load test's two correctness claims are: no 5xx, and the admitted
// count within ±5 % of the theory. Either failing sets a non-zero exit code (after every figure is printed).

import { callerContext } from '../functions/core/auth/caller.ts';
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_PLANS } from '../functions/core/rate-limit/rate-limit-plans.ts';
import type { HttpApiEvent } from '../functions/http/http-api-event.ts';
import { readCloudAssembly } from '../sandbox/deploy/cloud-assembly.ts';
import { generatedPhysicalName } from '../sandbox/deploy/physical-names.ts';
import { type RunningSandbox, startSandbox } from '../sandbox/index.ts';
import { allRolesKey, authHeaders, type CreatedApiKey, createApiKey } from '../scripts/api-keys-client.ts';
import { firstSandboxKeys } from '../scripts/bootstrap-keys.ts';
import { synthesizedTrustgateApp } from '../test/e2e/support/synthesized-app.ts';
import { formatFigure, type LatencySummary, summarize } from './measure.ts';

const ROUTE_KEY = 'GET /v1/agents';
const ROUTE_PATH = '/v1/agents';
const ROUTE_QUERY = 'limit=1';
const EXEC_TENANT = 'bench-exec';
const LOAD_TENANT = 'bench-load';
const CACHED_KEY_NAME = 'bench-cached';

const LATENCY_SAMPLES = 500;
const LATENCY_WARMUP = 30;
/** Two API requests a round on one route: 40/s, under the stage's 50/s per route. */
const ROUND_INTERVAL_MS = 50;
/** One POST /v1/api-keys per interval: 40/s on that route. */
const KEY_ISSUE_INTERVAL_MS = 25;

const LOAD_REQUESTS = 1_000;
const LOAD_INTERVAL_MS = 10;
const LOAD_TOLERANCE = 0.05;
/** An answer later than this means the request waited in a queue, not just for its own work (≈ 15 ms). */
const KEPT_UP_MS = 1_000;
/** Execution environments of the route's function started before the load test, so it measures a warm pool. */
const WARM_ENVIRONMENTS = 8;

/** What the benchmark needs to know of the synthesized HTTP API, read from its template. */
interface ApiFacts {
  routeFunction: string;
  authorizerFunction: string;
  authorizerTtlSeconds: number;
  stageThrottle: { rateLimit: number; burstLimit: number };
}

type Variant = 'baseline' | 'cached' | 'uncached';
const VARIANTS: readonly Variant[] = ['baseline', 'cached', 'uncached'];

interface LoadResult {
  /** performance.now() when each request was handed to fetch. */
  sentAt: Float64Array;
  lateness: Float64Array;
  /** performance.now() when each answer had been read (or the request failed). */
  answeredAt: Float64Array;
  counts: { ok: number; tenantLimited: number; stageThrottled: number; serverError: number; other: number };
  otherStatuses: string[];
}

export async function runProtectionBenchmark(): Promise<void> {
  const assembly = await synthesizedTrustgateApp();
  const facts = await apiFacts(assembly);
  const sandbox = await startSandbox({ assembly, edgePort: 0, apiPort: 0, quiet: true });
  try {
    const apiUrl = sandbox.apiUrl!;
    // A load generator must never point anywhere but this machine.
    for (const url of [apiUrl, sandbox.edgeUrl]) {
      if (new URL(url).hostname !== '127.0.0.1') throw new Error(`${url} is not on loopback`);
    }
    const { platformKey } = await firstSandboxKeys(sandbox);
    await setPlan(apiUrl, platformKey, EXEC_TENANT, 'exec');
    // Made after the plan is set: the authorizer reads the plan when it first sees a key.
    const issuerKey = await allRolesKey(apiUrl, platformKey, EXEC_TENANT);
    await overheadBenchmark(sandbox, facts, issuerKey);
    console.log();
    const loadKey = await allRolesKey(apiUrl, platformKey, LOAD_TENANT);
    await loadBenchmark(apiUrl, facts, issuerKey, loadKey);
  } finally {
    await sandbox.stop();
  }
}

async function overheadBenchmark(sandbox: RunningSandbox, facts: ApiFacts, issuerKey: string): Promise<void> {
  const apiUrl = sandbox.apiUrl!;
  const rounds = LATENCY_WARMUP + LATENCY_SAMPLES;
  // Every round's cached request must hit the cache entry its first request made (at the planned pace;
  // the edge's count of the authorizer's requests shows any miss).
  const sampling = rounds * ROUND_INTERVAL_MS;
  if (sampling >= facts.authorizerTtlSeconds * 1_000) {
    throw new Error(`sampling takes ${sampling} ms, longer than the authorizer cache TTL`);
  }
  const freshKeys: string[] = [];
  await paced(rounds, KEY_ISSUE_INTERVAL_MS, async (index) => {
    const created = await createApiKey(apiUrl, issuerKey, {
      name: `bench-uncached-${index}`,
      roles: ['operator'],
    });
    freshKeys.push(created.key);
  });
  const cachedKey = await createApiKey(apiUrl, issuerKey, { name: CACHED_KEY_NAME, roles: ['operator'] });
  const directEvent = JSON.stringify(routeEvent(apiUrl, cachedKey));
  const invokeUrl = `${sandbox.edgeUrl}/2015-03-31/functions/${encodeURIComponent(facts.routeFunction)}/invocations`;

  const run: Record<Variant, (round: number) => Promise<void>> = {
    baseline: async () => {
      const response = await fetch(invokeUrl, { method: 'POST', body: directEvent });
      const payload = await response.text();
      const statusCode = (JSON.parse(payload) as { statusCode?: number }).statusCode;
      if (response.status !== 200 || response.headers.has('x-amz-function-error') || statusCode !== 200) {
        throw new Error(`direct invoke of ${facts.routeFunction} answered ${response.status}: ${payload}`);
      }
    },
    cached: () => getRoute(apiUrl, cachedKey.key, RATE_LIMIT_PLANS.exec.capacity),
    uncached: (round) => getRoute(apiUrl, freshKeys[round]!, RATE_LIMIT_PLANS.exec.capacity),
  };
  const millis: Record<Variant, Float64Array> = {
    baseline: new Float64Array(LATENCY_SAMPLES),
    cached: new Float64Array(LATENCY_SAMPLES),
    uncached: new Float64Array(LATENCY_SAMPLES),
  };
  await paced(rounds, ROUND_INTERVAL_MS, async (round) => {
    const sample = round - LATENCY_WARMUP;
    if (sample === 0) sandbox.resetRequestCounts();
    for (let offset = 0; offset < VARIANTS.length; offset++) {
      const variant = VARIANTS[(round + offset) % VARIANTS.length]!;
      const started = performance.now();
      await run[variant](round);
      if (sample >= 0) millis[variant][sample] = performance.now() - started;
    }
  });
  const authorizerRequests = totalOf(sandbox.requestCountsByCaller()[facts.authorizerFunction] ?? {});

  const summaries = Object.fromEntries(
    VARIANTS.map((variant) => [variant, summarize(millis[variant])]),
  ) as Record<Variant, LatencySummary>;
  const { baseline, cached, uncached } = summaries;
  const ratio = (summary: LatencySummary) =>
    `${(summary.p50 / baseline.p50).toFixed(2)}x / ${(summary.p99 / baseline.p99).toFixed(2)}x`;
  console.log(
    `authorizer overhead (sandbox, ${ROUTE_KEY}?${ROUTE_QUERY}, tenant on plan exec, ${LATENCY_SAMPLES} samples per variant after ${LATENCY_WARMUP} warm-up rounds, interleaved, one round every ${ROUND_INTERVAL_MS} ms)`,
  );
  console.log(
    `  baseline, route function invoked directly (edge Lambda Invoke, pre-made event): p50 ${formatFigure(baseline.p50, 'ms')}, p99 ${formatFigure(baseline.p99, 'ms')}`,
  );
  console.log(
    `  cached   (HTTP API + authorizer cache hit):            p50 ${formatFigure(cached.p50, 'ms')}, p99 ${formatFigure(cached.p99, 'ms')}; vs baseline p50/p99 ${ratio(cached)}`,
  );
  console.log(
    `  uncached (HTTP API + authorizer Lambda, 2 GetItem):    p50 ${formatFigure(uncached.p50, 'ms')}, p99 ${formatFigure(uncached.p99, 'ms')}; vs baseline p50/p99 ${ratio(uncached)}`,
  );
  console.log(
    `  p50 differences: cached − baseline ${formatFigure(cached.p50 - baseline.p50, 'ms')} (API emulator + cache hit), uncached − cached ${formatFigure(uncached.p50 - cached.p50, 'ms')} (the authorizer Lambda)`,
  );
  console.log(
    `  authorizer's AWS requests while sampling: ${authorizerRequests} (${(authorizerRequests / LATENCY_SAMPLES).toFixed(2)} per uncached request; a cached request that missed would add 2)`,
  );
}

/** `warmKey` is of the exec tenant, `loadKey` of the fresh tenant the load is aimed at. */
async function loadBenchmark(
  apiUrl: string,
  facts: ApiFacts,
  warmKey: string,
  loadKey: string,
): Promise<void> {
  // A warm pool of the route's function (with the exec tenant's key, so the load tenant's bucket is
  // untouched), and the load key in the authorizer's cache: the one token that costs refills in 100 ms.
  await Promise.all(
    Array.from({ length: WARM_ENVIRONMENTS }, () =>
      getRoute(apiUrl, warmKey, RATE_LIMIT_PLANS.exec.capacity),
    ),
  );
  await getRoute(apiUrl, loadKey, DEFAULT_RATE_LIMIT.capacity);
  // Long enough for the stage's bucket of the route to fill from empty (the tenant's refills long before).
  const { burstLimit, rateLimit } = facts.stageThrottle;
  await sleep((burstLimit / rateLimit) * 1_000);

  const result = await fireLoad(apiUrl, loadKey);
  const { sentAt, counts } = result;
  const spanMs = sentAt[LOAD_REQUESTS - 1]! - sentAt[0]!;
  const { capacity, refillTokens, refillIntervalMs } = DEFAULT_RATE_LIMIT;
  const theory = capacity + (refillTokens * spanMs) / refillIntervalMs;
  const deviation = (counts.ok - theory) / theory;
  const withinTolerance = Math.abs(deviation) <= LOAD_TOLERANCE;
  const stageTheory = burstLimit + (rateLimit * spanMs) / 1_000;
  const stageAdmitted = LOAD_REQUESTS - counts.stageThrottled;
  const achievedRate = ((LOAD_REQUESTS - 1) / spanMs) * 1_000;
  const targetRate = 1_000 / LOAD_INTERVAL_MS;
  const lateness = summarize(result.lateness);
  const responseMillis = result.answeredAt.map((answered, index) => answered - sentAt[index]!);
  const response = summarize(responseMillis);
  const worstResponse = Math.max(...responseMillis);
  const lastAnswerLag = Math.max(...result.answeredAt) - sentAt[LOAD_REQUESTS - 1]!;
  const otherStatuses = [...new Set(result.otherStatuses)];
  const failures = [
    ...(counts.serverError > 0 ? [`${counts.serverError} answers were 5xx`] : []),
    ...(withinTolerance
      ? []
      : [`${counts.ok} admitted, not within ±${LOAD_TOLERANCE * 100} % of ${theory.toFixed(1)}`]),
  ];

  console.log(
    `rate limit under load (sandbox, ${ROUTE_KEY}?${ROUTE_QUERY}, one fresh tenant on the default plan: ${capacity} tokens, ${refillTokens} per ${refillIntervalMs} ms)`,
  );
  console.log(
    `  sent ${LOAD_REQUESTS} requests in ${formatFigure(spanMs / 1_000, 's')}: ${achievedRate.toFixed(1)} req/s achieved of ${targetRate} scheduled; send lateness p50 ${formatFigure(lateness.p50, 'ms')}, p99 ${formatFigure(lateness.p99, 'ms')}, max ${formatFigure(Math.max(...result.lateness), 'ms')}`,
  );
  if (achievedRate < targetRate * (1 - LOAD_TOLERANCE)) {
    console.log(`  the client on this machine did not keep up with ${targetRate} req/s`);
  }
  console.log(
    `  response time p50 ${formatFigure(response.p50, 'ms')}, p99 ${formatFigure(response.p99, 'ms')}, max ${formatFigure(worstResponse, 'ms')}; the last answer came ${formatFigure(lastAnswerLag, 'ms')} after the last send`,
  );
  if (worstResponse > KEPT_UP_MS) {
    console.log(
      `  the sandbox did not keep up: requests queued for up to ${formatFigure(worstResponse / 1_000, 's')} (its functions and DynamoDB Local share the machine's cores with this client)`,
    );
  }
  console.log(
    `  answers: 2xx ${counts.ok}, 429 tenant rate limit ${counts.tenantLimited}, 429 stage throttle ${counts.stageThrottled}, 5xx ${counts.serverError}, other ${counts.other}${otherStatuses.length > 0 ? ` (${otherStatuses.join(', ')})` : ''}`,
  );
  console.log(
    `  admitted ${counts.ok}; theory ${capacity} + ${refillTokens}/${refillIntervalMs / 1_000} s × ${formatFigure(spanMs / 1_000, 's')} = ${theory.toFixed(1)}; deviation ${(deviation * 100).toFixed(1)} % (${withinTolerance ? 'within' : 'OUTSIDE'} ±${LOAD_TOLERANCE * 100} %)`,
  );
  console.log(
    `  stage throttle let ${stageAdmitted} through (at most ${burstLimit} + ${rateLimit}/s × span = ${stageTheory.toFixed(0)})`,
  );
  if (failures.length > 0) {
    console.log(`  FAILED: ${failures.join('; ')}`);
    process.exitCode = 1;
  }
}

/** Sends LOAD_REQUESTS at absolute times start + i × LOAD_INTERVAL_MS, none waiting for another's answer. */
async function fireLoad(apiUrl: string, key: string): Promise<LoadResult> {
  const sentAt = new Float64Array(LOAD_REQUESTS);
  const lateness = new Float64Array(LOAD_REQUESTS);
  const answeredAt = new Float64Array(LOAD_REQUESTS);
  const counts = { ok: 0, tenantLimited: 0, stageThrottled: 0, serverError: 0, other: 0 };
  const otherStatuses: string[] = [];
  const headers = authHeaders(key);
  const answers: Promise<void>[] = [];
  const start = performance.now();
  for (let index = 0; index < LOAD_REQUESTS; index++) {
    const scheduled = start + index * LOAD_INTERVAL_MS;
    await sleep(scheduled - performance.now());
    const sent = performance.now();
    sentAt[index] = sent;
    lateness[index] = sent - scheduled;
    answers.push(
      fetch(`${apiUrl}${ROUTE_PATH}?${ROUTE_QUERY}`, { headers }).then(
        async (response) => {
          const body = await response.text();
          answeredAt[index] = performance.now();
          if (response.status >= 200 && response.status < 300) counts.ok++;
          else if (response.status === 429 && body.includes('"rate_limited"')) counts.tenantLimited++;
          else if (response.status === 429) counts.stageThrottled++;
          else if (response.status >= 500) counts.serverError++;
          else {
            counts.other++;
            otherStatuses.push(String(response.status));
          }
        },
        (error: unknown) => {
          answeredAt[index] = performance.now();
          counts.other++;
          otherStatuses.push(`no answer: ${(error as Error).message}`);
        },
      ),
    );
  }
  await Promise.all(answers);
  return { sentAt, lateness, answeredAt, counts, otherStatuses };
}

/** GET of the route; throws unless 200 under the bucket of `expectedLimit` tokens (the tenant's plan). */
async function getRoute(apiUrl: string, key: string, expectedLimit: number): Promise<void> {
  const response = await fetch(`${apiUrl}${ROUTE_PATH}?${ROUTE_QUERY}`, { headers: authHeaders(key) });
  const body = await response.text();
  const limit = response.headers.get('x-ratelimit-limit');
  if (response.status !== 200 || limit !== String(expectedLimit)) {
    throw new Error(`${ROUTE_KEY} answered ${response.status} with X-RateLimit-Limit ${limit}: ${body}`);
  }
}

async function setPlan(apiUrl: string, platformKey: string, tenantId: string, plan: string): Promise<void> {
  const response = await fetch(`${apiUrl}/v1/tenants/${tenantId}/plan`, {
    method: 'PUT',
    headers: { ...authHeaders(platformKey), 'content-type': 'application/json' },
    body: JSON.stringify({ plan }),
  });
  if (response.status !== 200) {
    throw new Error(`PUT /v1/tenants/${tenantId}/plan answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * The payload 2.0 event the HTTP API would send the route's function for `key` (every field the handlers
 * read, functions/http/http-api-event.ts), with the context the authorizer gives that key on plan exec.
 */
function routeEvent(apiUrl: string, key: CreatedApiKey): HttpApiEvent {
  const context = callerContext({
    tenantId: key.tenantId,
    keyId: key.keyId,
    name: CACHED_KEY_NAME,
    roles: key.roles,
    plan: 'exec',
  });
  return {
    version: '2.0',
    routeKey: ROUTE_KEY,
    rawPath: ROUTE_PATH,
    rawQueryString: ROUTE_QUERY,
    headers: { host: new URL(apiUrl).host, authorization: authHeaders(key.key).authorization },
    queryStringParameters: Object.fromEntries(new URLSearchParams(ROUTE_QUERY)),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'bench-direct',
      routeKey: ROUTE_KEY,
      http: { method: 'GET', path: ROUTE_PATH },
      authorizer: { lambda: context },
    },
  };
}

/** The route's function, the authorizer and the stage throttle, as the template declares them. */
async function apiFacts(assembly: string): Promise<ApiFacts> {
  for (const stack of await readCloudAssembly(assembly)) {
    const resources = stack.template.Resources ?? {};
    const route = Object.values(resources).find(
      (resource) =>
        resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties?.RouteKey === ROUTE_KEY,
    );
    if (route === undefined) continue;
    const functionName = (logicalId: string) =>
      (resources[logicalId]?.Properties?.FunctionName as string | undefined) ??
      generatedPhysicalName(stack.stackName, logicalId, { maxLength: 64 });
    // Target is `integrations/<Ref>`, an integration's IntegrationUri the function's Arn.
    const target = JSON.stringify(route.Properties?.Target);
    const integration = resources[/"Ref":"([^"]+)"/.exec(target)?.[1] ?? ''];
    const authorizer = resources[(route.Properties?.AuthorizerId as { Ref?: string } | undefined)?.Ref ?? ''];
    const stage = Object.values(resources).find((resource) => resource.Type === 'AWS::ApiGatewayV2::Stage');
    const settings = stage?.Properties?.DefaultRouteSettings as Record<string, number> | undefined;
    const routeFunction = getAttTarget(integration?.Properties?.IntegrationUri);
    const authorizerFunction = getAttTarget(authorizer?.Properties?.AuthorizerUri);
    if (
      routeFunction === undefined ||
      authorizerFunction === undefined ||
      settings?.ThrottlingRateLimit === undefined ||
      settings.ThrottlingBurstLimit === undefined
    ) {
      throw new Error(
        `the template of ${stack.stackName} does not wire ${ROUTE_KEY} as this benchmark expects`,
      );
    }
    return {
      routeFunction: functionName(routeFunction),
      authorizerFunction: functionName(authorizerFunction),
      authorizerTtlSeconds: Number(authorizer?.Properties?.AuthorizerResultTtlInSeconds ?? 0),
      stageThrottle: { rateLimit: settings.ThrottlingRateLimit, burstLimit: settings.ThrottlingBurstLimit },
    };
  }
  throw new Error(`no stack of ${assembly} declares the route ${ROUTE_KEY}`);
}

/** The logical id of the first `Fn::GetAtt` inside `value` (an IntegrationUri, an AuthorizerUri). */
function getAttTarget(value: unknown): string | undefined {
  return /"Fn::GetAtt":\["([^"]+)"/.exec(JSON.stringify(value ?? null))?.[1];
}

/** Runs `step(i)` one after another, the i-th started no earlier than i × intervalMs after the first. */
async function paced(
  count: number,
  intervalMs: number,
  step: (index: number) => Promise<void>,
): Promise<void> {
  const start = performance.now();
  for (let index = 0; index < count; index++) {
    await sleep(start + index * intervalMs - performance.now());
    await step(index);
  }
}

function sleep(millis: number): Promise<void> {
  return millis > 0 ? new Promise((resolve) => setTimeout(resolve, millis)) : Promise.resolve();
}

function totalOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
