// The document's copies of the request schemas their routes keep to themselves
// (functions/app/openapi/unexported-request-schemas.ts), pinned to the routes: each sample goes to the
// route itself and to the document, and they must agree. The route runs against a table that fails every
// call with PastValidation, so "accepted" means the route got past its input checks, "refused" that it
// answered 400 validation_failed. A few samples only a refinement refuses (the document accepts them, the
// route does not) are listed as such. For the routes built by a factory, the role the document names is
// pinned the same way: the roles below it are refused 403, the role itself is not.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { parseAgentRegistration } from '../../../functions/app/agents/agent-registration.ts';
import { alertsRoutes } from '../../../functions/app/alerts/alert-routes.ts';
import { metricsRoutes } from '../../../functions/app/analytics/metrics-route.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../../../functions/app/analytics/prometheus-exposition.ts';
import { auditRoutes } from '../../../functions/app/audit/audit-routes.ts';
import { apiKeysRoutes } from '../../../functions/app/auth/api-key-routes.ts';
import { escalationsRoutes } from '../../../functions/app/escalations/escalation-routes.ts';
import { checkEntry, IngestBodySchema } from '../../../functions/app/events/ingest-request.ts';
import { redriveEvents, UNDELIVERED_EVENTS_QUEUE } from '../../../functions/app/events/redrive-events.ts';
import { OPENAPI_DOCUMENT, type OpenApiDocument } from '../../../functions/app/openapi/openapi-document.ts';
import type { RequiredRole } from '../../../functions/app/openapi/route-doc.ts';
import { UNDELIVERED_EVENTS_QUEUE_NAME } from '../../../functions/app/openapi/routes/event-routes.ts';
import { PROMETHEUS_MEDIA_TYPE } from '../../../functions/app/openapi/routes/record-routes.ts';
import { tenantPlanRoutes } from '../../../functions/app/rate-limit/tenant-plan-routes.ts';
import { webhooksRoutes } from '../../../functions/app/webhooks/webhook-routes.ts';
import { workflowDefaultsFromEnvironment } from '../../../functions/app/workflows/workflow-defaults.ts';
import {
  getWorkflowRoute,
  listWorkflowsRoute,
  startWorkflowRoute,
} from '../../../functions/app/workflows/workflow-routes.ts';
import type { Caller, CallerRole } from '../../../functions/core/auth/caller.ts';
import { ApiError } from '../../../functions/http/api-error.ts';
import type { RouteHandler } from '../../../functions/http/http-router.ts';
import { type HttpApiEventOptions, httpApiEvent, testCaller } from '../../support/http-api-event.ts';
import { operationOf, requestBodySchema, validatorOf } from './document-schemas.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
});

const document: OpenApiDocument = OPENAPI_DOCUMENT;

/** What every table, queue and bus call of these tests throws: the route got past its input checks. */
class PastValidation extends Error {}
const failing = { send: () => Promise.reject(new PastValidation()) };
const client = failing as unknown as DynamoDBDocumentClient;

type Verdict = 'accepted' | 'refused' | 'forbidden';

async function verdictOf(run: () => Promise<unknown>): Promise<Verdict> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof ApiError)) return 'accepted';
    if (error.status === 400 && error.code === 'validation_failed') return 'refused';
    if (error.status === 403) return 'forbidden';
    throw error;
  }
}

const PLATFORM_ADMIN = testCaller('platform', ['admin']);
const REVIEWER = testCaller('acme', ['reviewer'], 3);
const ESCALATION_ID = `esc-${'a'.repeat(32)}`;

const ROUTES: Record<string, RouteHandler> = {
  ...apiKeysRoutes({ apiKeys: { client, table: 'keys' }, env: 'test', clock: Date.now }),
  ...tenantPlanRoutes({ plans: { client, table: 'plans' }, clock: Date.now }),
  ...webhooksRoutes({
    webhooks: { client, table: 'webhooks' },
    settings: { urlPolicy: { allowPrivate: false } } as never,
    redrive: { sqs: failing, deliveryQueueUrl: 'http://q/d', deadLetterQueueUrl: 'http://q/dlq' },
    clock: Date.now,
    resolve: () => Promise.reject(new PastValidation()),
  }),
  ...escalationsRoutes({
    client,
    tables: { escalations: 'escalations', workflows: 'workflows' },
    clock: Date.now,
    tasks: failing as never,
    events: { announce: () => Promise.reject(new PastValidation()) },
  }),
  ...metricsRoutes({ client, analyticsTable: 'analytics' }),
  ...alertsRoutes({ client, alertsTable: 'alerts' }),
  ...auditRoutes({ client, table: 'audit', checkpointInterval: 100, maxRecords: 100 }),
  'POST /v1/workflows': startWorkflowRoute({
    client,
    workflowsTable: 'workflows',
    gateStateTable: 'gate',
    maxOpenWorkflows: 100,
    stateMachineArns: { sequential: 'arn:s', parallel: 'arn:p', saga: 'arn:g' },
    startExecution: () => Promise.reject(new PastValidation()),
    clock: Date.now,
    newWorkflowId: () => 'wf-1',
    defaults: workflowDefaultsFromEnvironment({}),
    stage: 'test',
    events: { announce: () => Promise.reject(new PastValidation()) },
  }),
  'GET /v1/workflows': listWorkflowsRoute({ client, workflowsTable: 'workflows' }),
  'GET /v1/workflows/{id}': getWorkflowRoute({ client, workflowsTable: 'workflows' }),
};

function callRoute(routeKey: string, options: HttpApiEventOptions & { caller: Caller }): Promise<Verdict> {
  const route = ROUTES[routeKey];
  if (!route) throw new Error(`no route ${routeKey} in this test`);
  return verdictOf(() => route(httpApiEvent(routeKey, options), options.caller));
}

/** The document's verdict on a query string, its values read as a client wrote them (numbers as numbers). */
function documentAcceptsQuery(routeKey: string, query: Record<string, string>): boolean {
  const parameters = (operationOf(document, routeKey).parameters ?? []) as {
    name: string;
    in: string;
    required: boolean;
    schema: { type?: string };
  }[];
  const inQuery = parameters.filter((parameter) => parameter.in === 'query');
  const validate = validatorOf(document, {
    type: 'object',
    properties: Object.fromEntries(inQuery.map((parameter) => [parameter.name, parameter.schema])),
    required: inQuery.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    additionalProperties: false,
  });
  const typed = Object.fromEntries(
    Object.entries(query).map(([name, value]) => {
      const type = inQuery.find((parameter) => parameter.name === name)?.schema.type;
      const numeric =
        (type === 'integer' || type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value));
      return [name, numeric ? Number(value) : value];
    }),
  );
  return validate(typed);
}

function documentAcceptsPathParameter(routeKey: string, name: string, value: string): boolean {
  const parameter = (
    (operationOf(document, routeKey).parameters ?? []) as { name: string; schema: unknown }[]
  ).find((candidate) => candidate.name === name);
  return validatorOf(document, parameter!.schema)(value);
}

const documentAcceptsBody = (routeKey: string) =>
  validatorOf(document, requestBodySchema(document, routeKey));

/** Pairs of [sample, document accepts, route accepts] that disagree. */
async function disagreements<T>(
  samples: readonly T[],
  documented: (sample: T) => boolean,
  routed: (sample: T) => Promise<boolean> | boolean,
): Promise<[T, boolean, boolean][]> {
  const verdicts = await Promise.all(
    samples.map(
      async (sample) => [sample, documented(sample), await routed(sample)] as [T, boolean, boolean],
    ),
  );
  return verdicts.filter(([, documentedVerdict, routedVerdict]) => documentedVerdict !== routedVerdict);
}

describe('POST /v1/agents', () => {
  const accepts = documentAcceptsBody('POST /v1/agents');
  const routeAccepts = (body: unknown) => {
    try {
      parseAgentRegistration(body);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'validation_failed') return false;
      throw error;
    }
  };
  const manifest = {
    schemaVersion: '1.0',
    identity: { agentId: 'research-1', name: 'Research', role: 'research' },
    capabilities: [{ name: 'search_web', level: 'read', scopes: [] }],
  };
  const valid = {
    manifest,
    costPerCall: 0.01,
    identity: { verificationLevel: 'domain', certificate: 'verified' },
    context: { environment: 'sandbox' },
  };

  it('documents the registration the route accepts', async () => {
    const samples: unknown[] = [
      valid,
      { ...valid, provider: { kind: 'bedrock', modelId: 'anthropic.claude' }, initialScore: 500 },
      {
        ...valid,
        provider: {
          kind: 'openai',
          baseUrl: 'https://llm.example.com',
          model: 'm',
          apiKeyEnv: 'OPENAI_API_KEY',
        },
      },
      { ...valid, context: { environment: 'production', mtls: true } },
      { ...valid, manifest: { ...manifest, schemaVersion: '2.0' } },
      { ...valid, manifest: { ...manifest, capabilities: [] } },
      { ...valid, manifest: { ...manifest, extra: 1 } },
      { ...valid, costPerCall: 5000 },
      { ...valid, provider: { kind: 'azure' } },
      { ...valid, identity: { verificationLevel: 'vibes', certificate: 'verified' } },
      { ...valid, context: {} },
      { ...valid, initialScore: 1001 },
      { ...valid, owner: 'me' },
      {},
    ];
    expect(await disagreements(samples, accepts, routeAccepts)).toEqual([]);
  });

  it('leaves the refinements to the route', () => {
    const provider = {
      kind: 'openai',
      baseUrl: 'https://llm.example.com',
      model: 'm',
      apiKeyEnv: 'AWS_SECRET_ACCESS_KEY',
    };
    const duplicated = [manifest.capabilities[0], manifest.capabilities[0]];
    for (const body of [
      { ...valid, provider },
      { ...valid, manifest: { ...manifest, capabilities: duplicated } },
    ]) {
      expect([accepts(body), routeAccepts(body)]).toEqual([true, false]);
    }
  });
});

describe('POST /v1/events', () => {
  const accepts = documentAcceptsBody('POST /v1/events');
  const recently = new Date(Date.now() - 60_000).toISOString();

  it('documents each entry the route accepts', async () => {
    const entries: unknown[] = [
      { type: 'execution.succeeded', data: { agentId: 'a-1', durationMs: 1200, quality: 0.9 } },
      {
        type: 'compliance.remediation',
        id: 'client-key-1',
        occurredAt: recently,
        data: { agentId: 'a', fast: true },
      },
      { type: 'execution.failed', data: { agentId: 'a', errorCode: 'TIMEOUT' } },
      { type: 'intent.decided', data: { agentId: 'a' } },
      { type: 'execution.failed', data: { agentId: 'a' } },
      { type: 'execution.succeeded', data: { agentId: 'a', mood: 'good' } },
      { type: 'execution.succeeded', id: '-bad', data: { agentId: 'a' } },
      { type: 'execution.succeeded', occurredAt: 'yesterday', data: { agentId: 'a' } },
      { type: 'execution.succeeded', data: { agentId: 'a' }, extra: 1 },
      'not an entry',
    ];
    const routeAccepts = (entry: unknown) => checkEntry(entry, 0, Date.now()).ok;
    expect(await disagreements(entries, (entry) => accepts({ events: [entry] }), routeAccepts)).toEqual([]);
  });

  it('documents the batch the route accepts', async () => {
    const entry = { type: 'execution.succeeded', data: { agentId: 'a' } };
    const batches: unknown[] = [
      { events: [entry] },
      { events: [] },
      { events: Array(101).fill(entry) },
      { events: [entry], x: 1 },
      {},
    ];
    expect(
      await disagreements(batches, accepts, (batch) => IngestBodySchema.safeParse(batch).success),
    ).toEqual([]);
  });

  it('leaves the time window to the route', () => {
    const old = { type: 'execution.succeeded', occurredAt: '2000-01-01T00:00:00Z', data: { agentId: 'a' } };
    expect([accepts({ events: [old] }), checkEntry(old, 0, Date.now()).ok]).toEqual([true, false]);
  });
});

describe('POST /v1/events/redrive', () => {
  const accepts = documentAcceptsBody('POST /v1/events/redrive');
  const deps = {
    sqs: failing,
    eventBridge: failing,
    consumerQueues: { 'audit-logger': { queueUrl: 'http://q/a', deadLetterQueueUrl: 'http://q/a-dlq' } },
    undeliveredQueueUrl: 'http://q/u',
  };
  const routeAccepts = async (body: unknown) =>
    (await verdictOf(() => redriveEvents(deps, body))) === 'accepted';

  it('documents the body the route accepts, and names the undelivered-events queue as the route does', async () => {
    expect(UNDELIVERED_EVENTS_QUEUE_NAME).toBe(UNDELIVERED_EVENTS_QUEUE);
    const samples = [
      { queue: UNDELIVERED_EVENTS_QUEUE },
      { queue: 'audit-logger' },
      {},
      { queue: 1 },
      { queue: 'audit-logger', all: true },
    ];
    expect(await disagreements(samples, accepts, routeAccepts)).toEqual([]);
    // Which queues exist is the deployment's: the document says so in words.
    expect([accepts({ queue: 'nope' }), await routeAccepts({ queue: 'nope' })]).toEqual([true, false]);
  });
});

describe.each([
  [
    'GET /v1/workflows/{id}',
    'id',
    ['wf-1', '0192f3a4-5b6c-7d8e-9f00-112233445566'],
    ['', '-wf', 'wf_1', 'w'.repeat(129)],
  ],
  ['GET /v1/api-keys/{keyId}', 'keyId', ['AbCdEf012345'], ['AbCdEf01234', 'AbCdEf01234!', '']],
])('the path parameter of %s', (routeKey, name, valid, invalid) => {
  it('is documented as the route checks it', async () => {
    const routeAccepts = async (value: string) =>
      (await callRoute(routeKey, { pathParameters: { [name]: value }, caller: PLATFORM_ADMIN })) ===
      'accepted';
    const samples = [...valid, ...invalid];
    expect(
      await disagreements(
        samples,
        (value) => documentAcceptsPathParameter(routeKey, name, value),
        routeAccepts,
      ),
    ).toEqual([]);
    expect(await Promise.all(valid.map(routeAccepts))).not.toContain(false);
  });
});

const QUERY_CASES: [string, Record<string, string>[]][] = [
  [
    'GET /v1/api-keys',
    [
      {},
      { limit: '10' },
      { tenantId: 'acme', nextToken: 'abc' },
      { limit: '0' },
      { limit: 'ten' },
      { tenantId: 'a#b' },
      { nextToken: '' },
      { colour: 'red' },
    ],
  ],
  ['GET /v1/webhooks', [{}, { limit: '100' }, { limit: '101' }, { limit: '1.5' }, { tenantId: 'acme' }]],
  ['GET /metrics', [{}, { tenant: 'acme' }, { tenant: 'a b' }, { other: 'x' }]],
];

describe.each(QUERY_CASES)('the query of %s', (routeKey, samples) => {
  it('is documented as the route checks it', async () => {
    const routeAccepts = async (query: Record<string, string>) =>
      (await callRoute(routeKey, { queryStringParameters: query, caller: PLATFORM_ADMIN })) === 'accepted';
    expect(
      await disagreements(samples, (query) => documentAcceptsQuery(routeKey, query), routeAccepts),
    ).toEqual([]);
  });
});

describe.each([
  [
    'PUT /v1/tenants/{tenantId}/plan',
    PLATFORM_ADMIN,
    { tenantId: 'acme' },
    [{ plan: 'pro' }, { plan: 'default' }, { plan: 'gold' }, {}, { plan: 'pro', until: 'never' }],
    [],
  ],
  ['POST /v1/webhooks/redrive', PLATFORM_ADMIN, {}, [{}, { all: true }, []], []],
  [
    'POST /v1/escalations/{id}/approve',
    REVIEWER,
    { id: ESCALATION_ID },
    [{}, { comment: 'looks right' }, { comment: '' }, { comment: 'x'.repeat(1001) }, { note: 'x' }],
    [{ comment: '   ' }],
  ],
  [
    'POST /v1/escalations/{id}/reject',
    REVIEWER,
    { id: ESCALATION_ID },
    [{ reason: 'wrong customer' }, {}, { reason: '' }, { reason: 'x', comment: 'y' }],
    [{ reason: '  ' }],
  ],
])('the body of %s', (routeKey, caller, pathParameters, samples: unknown[], refinedOnly: unknown[]) => {
  const accepts = documentAcceptsBody(routeKey);
  const routeAccepts = async (body: unknown) =>
    (await callRoute(routeKey, { body, pathParameters, caller })) === 'accepted';

  it('is documented as the route checks it', async () => {
    expect(await disagreements(samples, accepts, routeAccepts)).toEqual([]);
    for (const body of refinedOnly) expect([accepts(body), await routeAccepts(body)]).toEqual([true, false]);
  });
});

describe('the optional bodies', () => {
  it.each(['POST /v1/webhooks/redrive', 'POST /v1/escalations/{id}/approve'])(
    '%s: no body is a request, as the document says',
    async (routeKey) => {
      expect((operationOf(document, routeKey).requestBody as { required: boolean }).required).toBe(false);
      const caller = routeKey.includes('escalations') ? REVIEWER : PLATFORM_ADMIN;
      expect(await callRoute(routeKey, { pathParameters: { id: ESCALATION_ID }, caller })).toBe('accepted');
    },
  );
});

describe('GET /metrics', () => {
  it('answers the media type the document names', () => {
    expect(PROMETHEUS_CONTENT_TYPE.split(';')[0]).toBe(PROMETHEUS_MEDIA_TYPE);
    expect(Object.keys(operationOf(document, 'GET /metrics').responses[200]!.content as object)).toEqual([
      PROMETHEUS_MEDIA_TYPE,
    ]);
  });
});

// A request each route would take from the role it documents: what the callers below are refused or not for.
const ROLE_REQUESTS: Record<string, HttpApiEventOptions> = {
  'POST /v1/api-keys': { body: { name: 'ci', roles: ['operator'] } },
  'GET /v1/api-keys': {},
  'GET /v1/api-keys/{keyId}': { pathParameters: { keyId: 'AbCdEf012345' } },
  'DELETE /v1/api-keys/{keyId}': { pathParameters: { keyId: 'AbCdEf012345' } },
  'GET /v1/tenants/{tenantId}/plan': { pathParameters: { tenantId: 'acme' } },
  'PUT /v1/tenants/{tenantId}/plan': { pathParameters: { tenantId: 'acme' }, body: { plan: 'pro' } },
  'POST /v1/webhooks': { body: { url: 'https://hooks.example.com/t' } },
  'GET /v1/webhooks': {},
  'GET /v1/webhooks/{id}': { pathParameters: { id: `wh_${'b'.repeat(32)}` } },
  'DELETE /v1/webhooks/{id}': { pathParameters: { id: `wh_${'b'.repeat(32)}` } },
  'POST /v1/webhooks/redrive': {},
  'GET /v1/escalations': {},
  'GET /v1/escalations/{id}': { pathParameters: { id: ESCALATION_ID } },
  'POST /v1/escalations/{id}/approve': { pathParameters: { id: ESCALATION_ID } },
  'POST /v1/escalations/{id}/reject': { pathParameters: { id: ESCALATION_ID }, body: { reason: 'no' } },
  'GET /metrics': {},
  'GET /v1/alerts': {},
  'GET /v1/audit': {},
  'GET /v1/audit/verify': {},
  'POST /v1/workflows': { body: { template: 'report', input: { task: 'Write it' } } },
  'GET /v1/workflows': {},
  'GET /v1/workflows/{id}': { pathParameters: { id: 'wf-1' } },
};

const acme = (roles: CallerRole[]) => testCaller('acme', roles, roles.includes('reviewer') ? 3 : undefined);
const CALLERS: Record<RequiredRole, { refused: Caller[]; admitted: Caller }> = {
  any: { refused: [], admitted: acme([]) },
  operator: { refused: [acme([]), acme(['reviewer'])], admitted: acme(['operator']) },
  admin: { refused: [acme(['operator', 'reviewer'])], admitted: acme(['admin']) },
  reviewer: { refused: [acme(['admin', 'operator'])], admitted: acme(['reviewer']) },
  'platform-admin': { refused: [acme(['admin', 'operator', 'reviewer'])], admitted: PLATFORM_ADMIN },
};

describe('the documented roles', () => {
  it('cover every route built by a factory', () => {
    expect(Object.keys(ROLE_REQUESTS).sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it.each(Object.entries(ROLE_REQUESTS))(
    '%s: refuses the keys below its role and admits its role',
    async (routeKey, request) => {
      const role = operationOf(document, routeKey)['x-required-role']!;
      const { refused, admitted } = CALLERS[role];
      for (const caller of refused)
        expect(await callRoute(routeKey, { ...request, caller }), caller.roles.join()).toBe('forbidden');
      expect(await callRoute(routeKey, { ...request, caller: admitted })).not.toBe('forbidden');
    },
  );
});
