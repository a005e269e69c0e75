// POST /v1/events through the deployed handler, against DynamoDB Local and a real bus: what a client sends
// is checked entry by entry, the valid entries reach the bus as `trustgate.ingest` events, the rest are named.

import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../../functions/core/auth/caller.ts';
import { newEvent } from '../../../functions/core/events/event-envelope.ts';
import { busEntry } from '../../../functions/events/event-publisher.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import {
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { REPORT_FLEET, seedAgents } from '../workflows/workflow-fleet.ts';

let environment: ApiTestEnvironment;
let sqs: SQSClient;
let consumer: { queueUrl: string; deadLetterQueueUrl: string };
let handler: (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;
const TENANT = 'ingest';

beforeAll(async () => {
  environment = await startApiTestEnvironment('ingest');
  await seedAgents(environment.documents, environment.tables.agents, TENANT, REPORT_FLEET);
  sqs = new SQSClient({
    endpoint: environment.bus.edgeUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const queueUrl = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  consumer = {
    queueUrl: await queueUrl('audit-logger'),
    deadLetterQueueUrl: await queueUrl('audit-logger-dlq'),
  };
  process.env.CONSUMER_QUEUES = JSON.stringify({ 'audit-logger': consumer });
  ({ handler } = await import('../../../functions/api/events.handler.ts'));
});

afterAll(async () => {
  sqs?.destroy();
  await environment?.stop();
});

beforeEach(async () => {
  await environment.bus.clear();
});

const post = (body: unknown, tenant = TENANT) =>
  handler(httpApiEvent('POST /v1/events', { body, caller: testCaller(tenant) }), testLambdaContext);

interface IngestAnswer {
  accepted: number;
  rejected: { index: number; field: string; message: string }[];
  batchId: string;
}

describe('POST /v1/events', () => {
  it('accepts valid entries with 202, names each rejected one by index and field, and puts only the accepted', async () => {
    const response = await post({
      events: [
        { type: 'execution.succeeded', data: { agentId: 'research-agent', durationMs: 900, quality: 0.8 } },
        { type: 'execution.failed', data: { agentId: 'research-agent' } },
        { type: 'intent.decided', data: { agentId: 'research-agent' } },
        { type: 'compliance.violation', data: { agentId: 'writing-agent', severity: 'high' } },
        { type: 'execution.succeeded', data: { agentId: 'nobody' } },
        {
          type: 'execution.succeeded',
          occurredAt: '2099-01-01T00:00:00Z',
          data: { agentId: 'research-agent' },
        },
        { type: 'execution.succeeded', data: { agentId: 'research-agent', qualitty: 1 } },
      ],
    });

    expect(response.statusCode).toBe(202);
    const answer = responseJson<IngestAnswer>(response);
    expect(answer.accepted).toBe(2);
    expect(answer.batchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.rejected.map(({ index, field }) => ({ index, field }))).toEqual([
      { index: 1, field: 'events.1.data.errorCode' },
      { index: 2, field: 'events.2.type' },
      { index: 4, field: 'events.4.data.agentId' },
      { index: 5, field: 'events.5.occurredAt' },
      { index: 6, field: 'events.6.data.qualitty' },
    ]);

    const events = await environment.bus.waitForEvents((all) => all.length >= 2);
    expect(events.map((event) => [event.source, event['detail-type']]).sort()).toEqual([
      ['trustgate.ingest', 'compliance.violation'],
      ['trustgate.ingest', 'execution.succeeded'],
    ]);
    expect(events.every((event) => event.detail.tenantId === TENANT)).toBe(true);
  });

  it('gives an entry with a client id the same event id on every retry of the request', async () => {
    const body = {
      events: [{ type: 'compliance.audit_passed', id: 'audit-2026-12', data: { agentId: 'analysis-agent' } }],
    };
    expect((await post(body)).statusCode).toBe(202);
    expect((await post(body)).statusCode).toBe(202);
    const events = await environment.bus.waitForEvents((all) => all.length >= 2);
    expect(new Set(events.map((event) => event.detail.eventId)).size).toBe(1);
  });

  it('answers 400 with every rejection when no entry is valid, and puts nothing', async () => {
    const response = await post({ events: [{ type: 'execution.succeeded', data: {} }] });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details).toEqual([
      { field: 'events.0.data.agentId', message: expect.any(String) },
    ]);
    expect(await environment.bus.captured()).toEqual([]);
  });

  it.each([
    ['no body', undefined, 'body'],
    ['not JSON', '{', 'body'],
    ['no events', {}, 'events'],
    ['an empty list', { events: [] }, 'events'],
    ['over 100 entries', { events: Array.from({ length: 101 }, () => ({})) }, 'events'],
    ['an unknown key', { events: [{}], extra: 1 }, 'extra'],
  ])('answers 400 naming the field for %s', async (_, body, field) => {
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details.map((detail) => detail.field)).toContain(field);
  });

  it("rejects an agent of another tenant as unknown: a tenant's events only ever name its own agents", async () => {
    const response = await post(
      { events: [{ type: 'execution.succeeded', data: { agentId: 'research-agent' } }] },
      'other-tenant',
    );
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details[0]!.field).toBe('events.0.data.agentId');
  });
});

describe('POST /v1/events/redrive', () => {
  const platformAdmin = testCaller('platform', ['admin']);
  const redrive = (body: unknown, caller: Caller = platformAdmin) =>
    handler(httpApiEvent('POST /v1/events/redrive', { body, caller }), testLambdaContext);

  it("moves a consumer's dead letters back to its queue, as they were", async () => {
    const bodies = ['{"first":1}', '{"second":2}'];
    for (const body of bodies) {
      await sqs.send(new SendMessageCommand({ QueueUrl: consumer.deadLetterQueueUrl, MessageBody: body }));
    }
    const response = await redrive({ queue: 'audit-logger' });
    expect(response.statusCode).toBe(200);
    expect(responseJson(response)).toEqual({ queue: 'audit-logger', moved: 2 });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: consumer.queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages.map((message) => message.Body).sort()).toEqual(bodies);
    const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: consumer.deadLetterQueueUrl }));
    expect(left.Messages ?? []).toEqual([]);
  });

  it('puts parked events back on the bus', async () => {
    const event = newEvent('compliance.audit_passed', {
      tenantId: TENANT,
      key: 'parked',
      occurredAt: Date.now(),
      data: { agentId: 'analysis-agent' },
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: environment.bus.undeliveredQueueUrl,
        MessageBody: JSON.stringify(busEntry(event, environment.bus.busName)),
      }),
    );
    const response = await redrive({ queue: 'undelivered-events' });
    expect(responseJson(response)).toEqual({ queue: 'undelivered-events', moved: 1 });
    const [replayed] = await environment.bus.waitForEvents((all) => all.length >= 1);
    expect(replayed!.detail).toEqual(event);
  });

  it('is for admins only (403) and names an unknown queue (400)', async () => {
    // A tenant's admin may not: the dead-letter queues hold every tenant's events.
    for (const caller of [testCaller('acme', ['operator']), testCaller('acme', ['admin'])])
      expect((await redrive({ queue: 'audit-logger' }, caller)).statusCode).toBe(403);
    const unknown = await redrive({ queue: 'nowhere' });
    expect(unknown.statusCode).toBe(400);
    expect(responseError(unknown).details[0]!.field).toBe('queue');
  });
});
