// POST /v1/events through the deployed handler, against DynamoDB Local and a real bus: what a client sends
// is checked entry by entry, the valid entries reach the bus as `trustgate.ingest` events, the rest are named.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import {
  httpApiEvent,
  responseError,
  responseJson,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { REPORT_FLEET, seedAgents } from '../workflows/workflow-fleet.ts';

let environment: ApiTestEnvironment;
let handler: (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;
const TENANT = 'ingest';

beforeAll(async () => {
  environment = await startApiTestEnvironment('ingest');
  await seedAgents(environment.documents, environment.tables.agents, TENANT, REPORT_FLEET);
  ({ handler } = await import('../../../functions/api/events.handler.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

beforeEach(async () => {
  await environment.bus.clear();
});

const post = (body: unknown, tenant = TENANT) =>
  handler(
    httpApiEvent('POST /v1/events', { body, headers: { 'x-trustgate-tenant': tenant } }),
    testLambdaContext,
  );

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
