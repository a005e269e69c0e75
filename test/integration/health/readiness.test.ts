// GET /ready and GET /health through the deployed handler (functions/api/health.handler.ts) against a
// DynamoDB Local of this file's own and fauxqs behind the sandbox's edge, configured the way the stack and
// the sandbox configure the function (READINESS_TABLES, READINESS_QUEUES, AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
// AWS_ENDPOINT_URL = the edge): all ready; a backlog reaching 1 000 messages; a table that does not exist;
// a DynamoDB that accepts connections and never answers; and last, the DynamoDB Local stopped.
import { createServer, type Server, type Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { healthRoutes } from '../../../functions/app/health/health-routes.ts';
import { memoryInUse } from '../../../functions/app/health/memory-in-use.ts';
import { QUEUE_BACKLOG_LIMIT } from '../../../functions/app/health/queue-checks.ts';
import { PolicyStore } from '../../../functions/core/policy/policy-store.ts';
import type { HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { routePublicRequest } from '../../../functions/http/http-router.ts';
import { type EdgeServer, startEdgeServer } from '../../../sandbox/edge/edge-server.ts';
import { type RunningEmulator, startDynamoDbLocal } from '../../../sandbox/emulators/dynamodb-local.ts';
import { startFauxqsEmulator } from '../../../sandbox/emulators/fauxqs.ts';
import { createTables, type TableNames, uniqueTableNames } from '../../support/dynamodb-tables.ts';
import { httpApiEvent, responseJson, testLambdaContext } from '../../support/http-api-event.ts';

// Before the handler's modules create their logger and metrics: the EMF lines and the probes' warnings would
// bury the test output.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
});

const REGION = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** The queues the stack lists: the five consumers' and the webhook deliveries'. */
const QUEUE_NAMES = [
  'trust-calculator',
  'webhook-dispatcher',
  'analytics',
  'audit-logger',
  'alert-service',
  'webhook-deliveries',
];

interface ProbeBody {
  status: 'ok' | 'failing';
  checks: Record<string, { ok: boolean; error?: string; [detail: string]: unknown }>;
  error?: { code: string; message: string; details: { field: string; message: string }[] };
}

let dynamoDbLocal: RunningEmulator | undefined;
let fauxqs: RunningEmulator;
let edge: EdgeServer;
let sqs: SQSClient;
let tables: TableNames;
const queues: Record<string, string> = {};
let handler: (event: unknown, context: unknown) => Promise<HttpApiResponse>;

beforeAll(async () => {
  [dynamoDbLocal, fauxqs, edge] = await Promise.all([
    startDynamoDbLocal({ port: 0 }),
    startFauxqsEmulator({ region: REGION }),
    startEdgeServer({ port: 0, host: '127.0.0.1' }),
  ]);
  edge.attach({
    dynamoDbUrl: dynamoDbLocal.url,
    sqsUrl: fauxqs.url,
    jsonServices: [],
    lambdaInvoke: async () => {
      throw new Error('no Lambda here');
    },
  });
  const dynamodb = new DynamoDBClient({ endpoint: edge.url, region: REGION, credentials });
  tables = uniqueTableNames('health');
  await createTables(dynamodb, tables);
  dynamodb.destroy();
  sqs = new SQSClient({ endpoint: edge.url, region: REGION, credentials });
  for (const name of QUEUE_NAMES)
    queues[name] = (await sqs.send(new CreateQueueCommand({ QueueName: `health-${name}` }))).QueueUrl!;

  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL: edge.url,
    // Room for the test process itself, whose resident set the liveness check measures here.
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '4096',
    READINESS_TABLES: JSON.stringify(tables),
    READINESS_QUEUES: JSON.stringify(queues),
  });
  ({ handler } = (await import('../../../functions/api/health.handler.ts')) as unknown as {
    handler: typeof handler;
  });
});

afterAll(async () => {
  sqs?.destroy();
  await edge?.stop();
  await Promise.all([dynamoDbLocal?.stop(), fauxqs?.stop()]);
});

async function probe(path: '/health' | '/ready'): Promise<{ response: HttpApiResponse; body: ProbeBody }> {
  const response = await handler(httpApiEvent(`GET ${path}`), testLambdaContext);
  return { response, body: responseJson<ProbeBody>(response) };
}

async function sendMessages(queueUrl: string, count: number): Promise<void> {
  const batches = Array.from({ length: Math.ceil(count / 10) }, (_, batch) =>
    Array.from({ length: Math.min(10, count - batch * 10) }, (_, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify({ batch, index }),
    })),
  );
  for (let start = 0; start < batches.length; start += 20) {
    await Promise.all(
      batches.slice(start, start + 20).map(async (Entries) => {
        const { Failed } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
        expect(Failed ?? []).toEqual([]);
      }),
    );
  }
}

describe('GET /health', () => {
  it('answers 200 with the memory figures of this environment', async () => {
    const { response, body } = await probe('/health');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(body).toEqual({
      status: 'ok',
      checks: {
        memory: {
          ok: true,
          usedMb: expect.any(Number),
          limitMb: 4096,
          usedPercent: expect.any(Number),
          limitPercent: 90,
          measure: expect.stringMatching(/^(rss|thread heap)$/),
        },
      },
    });
    expect(body.checks.memory!.usedMb).toBeGreaterThan(0);
  });
});

describe('GET /ready', () => {
  it('answers 200 with every check ok against the running emulators, describing tables and reading queue depths only', async () => {
    edge.resetRequestCounts();
    const { response, body } = await probe('/ready');
    expect(edge.requestCounts()).toEqual({
      'DynamoDB.DescribeTable': Object.keys(tables).length,
      'SQS.GetQueueAttributes': QUEUE_NAMES.length,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(body).toEqual({
      status: 'ok',
      checks: {
        dynamodb: {
          ok: true,
          tables: Object.fromEntries(Object.keys(tables).map((table) => [table, 'ACTIVE'])),
        },
        sqs: { ok: true, queues: QUEUE_NAMES.length },
        queueBacklog: {
          ok: true,
          messages: 0,
          limit: QUEUE_BACKLOG_LIMIT,
          queues: Object.fromEntries(QUEUE_NAMES.map((name) => [name, 0])),
        },
        policies: { ok: true, policySetVersion: 0, probe: 'ALLOW' },
      },
    });
  });

  it('stays ready at 999 waiting messages and answers 503 naming queueBacklog at 1 000', async () => {
    await sendMessages(queues.analytics!, 600);
    await sendMessages(queues['webhook-deliveries']!, 399);
    const below = await probe('/ready');
    expect(below.response.statusCode).toBe(200);
    expect(below.body.checks.queueBacklog).toMatchObject({ ok: true, messages: 999 });

    await sendMessages(queues['audit-logger']!, 1);
    const { response, body } = await probe('/ready');
    expect(response.statusCode).toBe(503);
    expect(body.status).toBe('failing');
    expect(body.checks.queueBacklog).toEqual({
      ok: false,
      messages: 1000,
      limit: QUEUE_BACKLOG_LIMIT,
      queues: {
        'trust-calculator': 0,
        'webhook-dispatcher': 0,
        analytics: 600,
        'audit-logger': 1,
        'alert-service': 0,
        'webhook-deliveries': 399,
      },
      error: '1000 messages waiting (ready below 1000)',
    });
    expect(body.error).toEqual({
      code: 'not_ready',
      message: 'failing: queueBacklog',
      details: [{ field: 'checks.queueBacklog', message: '1000 messages waiting (ready below 1000)' }],
    });
    for (const check of ['dynamodb', 'sqs', 'policies']) expect(body.checks[check]!.ok).toBe(true);

    for (const url of Object.values(queues)) await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queues.analytics!, AttributeNames: ['All'] }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect((await probe('/ready')).response.statusCode).toBe(200);
  });

  /** The routes with this file's emulators, but `dynamodb` and `tables` as a test chooses. */
  function readinessWith(overrides: { dynamoDbUrl?: string; tables?: Record<string, string> }) {
    const dynamodb = new DynamoDBClient({
      endpoint: overrides.dynamoDbUrl ?? edge.url,
      region: REGION,
      credentials,
    });
    const route = routePublicRequest(
      healthRoutes({
        memoryLimit: '4096',
        memoryInUse,
        dynamodb,
        tables: overrides.tables ?? tables,
        sqs,
        queues,
        loadPolicies: () => new PolicyStore({ clock: Date.now, answerMemoCapacity: 0 }),
        checkTimeoutMs: 300,
      }),
    );
    return {
      probe: async () => responseJson<ProbeBody>(await route(httpApiEvent('GET /ready'))),
      close: () => dynamodb.destroy(),
    };
  }

  it('answers 503 naming dynamodb when a table does not exist', async () => {
    const readiness = readinessWith({ tables: { agents: tables.agents, audit: 'health-no-such-table' } });
    try {
      const body = await readiness.probe();
      expect(body.checks.dynamodb).toEqual({
        ok: false,
        tables: { agents: 'ACTIVE', audit: 'unreachable' },
        error: expect.stringMatching(/^audit: ResourceNotFoundException: /),
      });
      expect(body.error?.message).toBe('failing: dynamodb');
    } finally {
      readiness.close();
    }
  });

  it('answers 503 within the check deadline when DynamoDB accepts connections and never answers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const readiness = readinessWith({ dynamoDbUrl: `http://127.0.0.1:${port}` });
    try {
      const started = Date.now();
      const body = await readiness.probe();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(body.checks.dynamodb).toEqual({ ok: false, error: 'no answer within 300 ms' });
      expect(body.error).toMatchObject({ code: 'not_ready', message: 'failing: dynamodb' });
      for (const check of ['sqs', 'queueBacklog', 'policies']) expect(body.checks[check]!.ok).toBe(true);
    } finally {
      readiness.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('answers 503 naming dynamodb, and nothing else, once DynamoDB Local is stopped', async () => {
    await dynamoDbLocal!.stop();
    dynamoDbLocal = undefined;
    const started = Date.now();
    const { response, body } = await probe('/ready');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(response.statusCode).toBe(503);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(body.status).toBe('failing');
    expect(body.checks.dynamodb!.ok).toBe(false);
    expect(body.checks.dynamodb!.tables).toEqual(
      Object.fromEntries(Object.keys(tables).map((table) => [table, 'unreachable'])),
    );
    expect(body.error).toEqual({
      code: 'not_ready',
      message: 'failing: dynamodb',
      details: [{ field: 'checks.dynamodb', message: body.checks.dynamodb!.error }],
    });
    // The edge answers for the stopped emulator as an unreachable AWS endpoint would be seen: 503 after retries.
    expect(body.checks.dynamodb!.error).toMatch(/ECONNREFUSED/);
    for (const check of ['sqs', 'queueBacklog', 'policies']) expect(body.checks[check]!.ok).toBe(true);
    // The operator's view, never a stack trace.
    expect(response.body).not.toMatch(/\n\s+at |node_modules/);
  });
});
