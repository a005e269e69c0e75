// The alert service (functions/app/alerts/raise-alert.ts), GET /v1/alerts and the DLQ monitor against a real
// DynamoDB Local, the sandbox's EventBridge and fauxqs (SQS) through the SDK.

import { CreateQueueCommand, PurgeQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertsRoutes } from '../../../functions/app/alerts/alert-routes.ts';
import { monitorDeadLetterQueues } from '../../../functions/app/alerts/dlq-monitor.ts';
import { raiseAlertFor } from '../../../functions/app/alerts/raise-alert.ts';
import { PLATFORM_TENANT } from '../../../functions/core/alerts/alert-kinds.ts';
import { newEvent } from '../../../functions/core/events/event-envelope.ts';
import { routeRequest } from '../../../functions/http/http-router.ts';
import { httpApiEvent, responseError, responseJson, testCaller } from '../../support/http-api-event.ts';
import { admitEveryRequest } from '../../support/request-limiters.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';

const start = Date.UTC(2026, 11, 5, 12);
let environment: ApiTestEnvironment;
let sqs: SQSClient;

beforeAll(async () => {
  environment = await startApiTestEnvironment('alerts');
  sqs = new SQSClient({ endpoint: environment.bus.edgeUrl, region: 'us-east-1' });
});

afterAll(async () => {
  sqs?.destroy();
  await environment?.stop();
});

beforeEach(async () => {
  await environment.bus.clear();
});

const serviceDeps = (clock = () => start + 1500) => ({
  client: environment.documents,
  alertsTable: environment.tables.alerts,
  publisher: environment.bus.publisher,
  clock,
});

function circuitOpened(tenantId: string, agentId: string, minute: number) {
  return newEvent('circuit.opened', {
    tenantId,
    key: `${agentId}#${minute}`,
    occurredAt: start + minute * 60_000,
    data: { agentId, reason: 'failure_threshold', failureCount: 5 },
  });
}

async function list(tenant: string, query?: Record<string, string>) {
  const route = routeRequest(
    alertsRoutes({ client: environment.documents, alertsTable: environment.tables.alerts }),
    admitEveryRequest,
  );
  return route(
    httpApiEvent('GET /v1/alerts', {
      caller: testCaller(tenant),
      ...(query ? { queryStringParameters: query } : {}),
    }),
  );
}

describe('alert service', () => {
  it('stores the alert and puts alert.circuit_opened once; a redelivery stores and puts nothing more', async () => {
    const cause = circuitOpened('al-once', 'writer', 0);
    const first = await raiseAlertFor(serviceDeps(), cause);
    expect(first).toMatchObject({ raised: true, stored: 'new', published: true });
    const [event] = await environment.bus.waitForEvents((all) => all.length >= 1);
    expect(event!['detail-type']).toBe('alert.circuit_opened');
    expect(event!.source).toBe('trustgate.alerts');
    expect(event!.detail.data).toMatchObject({
      kind: 'circuit_opened',
      causeEventId: cause.eventId,
      agentId: 'writer',
    });

    environment.bus.resetRequestCounts();
    const again = await raiseAlertFor(
      serviceDeps(() => start + 99_000),
      cause,
    );
    expect(again).toMatchObject({ raised: true, stored: 'existing', published: false });
    expect(environment.bus.requestCounts()['EventBridge.PutEvents'] ?? 0).toBe(0);
    expect(await environment.bus.captured()).toHaveLength(1);

    const { items } = responseJson<{ items: Record<string, unknown>[] }>(await list('al-once'));
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'circuit_opened',
        severity: 'warning',
        causeEventId: cause.eventId,
        createdAt: new Date(start).toISOString(),
        // The first delivery's time, not the redelivery's.
        raisedAt: new Date(start + 1500).toISOString(),
        status: 'OPEN',
      }),
    ]);
  });

  it('publishes on the redelivery an alert whose first publish failed after it was stored, with the same id', async () => {
    const cause = circuitOpened('al-retry', 'writer', 0);
    const failing = {
      ...serviceDeps(),
      publisher: {
        publish: async () => {
          throw new Error('bus unavailable');
        },
      },
    };
    await expect(raiseAlertFor(failing, cause)).rejects.toThrow('bus unavailable');
    expect(responseJson<{ items: unknown[] }>(await list('al-retry')).items).toHaveLength(1);

    const retried = await raiseAlertFor(
      serviceDeps(() => start + 60_000),
      cause,
    );
    expect(retried).toMatchObject({ raised: true, stored: 'existing', published: true });
    const events = await environment.bus.waitForEvents((all) => all.length >= 1);
    expect(events.map((event) => event['detail-type'])).toEqual(['alert.circuit_opened']);
    expect(events[0]!.detail.data).toMatchObject({
      causeEventId: cause.eventId,
      alertId: responseJson<{ items: { alertId: string }[] }>(await list('al-retry')).items[0]!.alertId,
    });
    expect(await raiseAlertFor(serviceDeps(), cause)).toMatchObject({ published: false });
  });

  it('raises nothing, stores nothing and puts nothing for an event no rule covers', async () => {
    const closed = newEvent('circuit.closed', {
      tenantId: 'al-none',
      key: 'c',
      occurredAt: start,
      data: { agentId: 'writer', reason: 'probe_succeeded' },
    });
    expect(await raiseAlertFor(serviceDeps(), closed)).toEqual({ raised: false });
    expect(responseJson<{ items: unknown[] }>(await list('al-none')).items).toEqual([]);
    expect(await environment.bus.captured()).toEqual([]);
  });
});

describe('GET /v1/alerts', () => {
  beforeAll(async () => {
    for (let minute = 0; minute < 5; minute++)
      await raiseAlertFor(serviceDeps(), circuitOpened('al-list', `agent-${minute}`, minute));
    await raiseAlertFor(
      serviceDeps(),
      newEvent('budget.exceeded', {
        tenantId: 'al-list',
        key: 'b',
        occurredAt: start + 10 * 60_000,
        data: {
          agentId: 'writer',
          section: 'context',
          tokensBefore: 20_000,
          tokensAfter: 15_000,
          strategies: ['summarize'],
        },
      }),
    );
  });

  it('lists the tenant’s alerts newest first, page by page', async () => {
    const first = responseJson<{ items: { kind: string; agentId?: string }[]; nextToken: string | null }>(
      await list('al-list', { limit: '4' }),
    );
    expect(first.items.map((alert) => alert.agentId)).toEqual(['writer', 'agent-4', 'agent-3', 'agent-2']);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = responseJson<{ items: { agentId?: string }[]; nextToken: string | null }>(
      await list('al-list', { limit: '4', nextToken: first.nextToken! }),
    );
    expect(second.items.map((alert) => alert.agentId)).toEqual(['agent-1', 'agent-0']);
    expect(second.nextToken).toBeNull();
  });

  it('filters by kind, severity and since', async () => {
    const byKind = responseJson<{ items: { kind: string }[] }>(
      await list('al-list', { kind: 'budget_exceeded' }),
    );
    expect(byKind.items.map((alert) => alert.kind)).toEqual(['budget_exceeded']);
    const bySeverity = responseJson<{ items: unknown[] }>(await list('al-list', { severity: 'warning' }));
    expect(bySeverity.items).toHaveLength(5);
    const since = responseJson<{ items: unknown[] }>(
      await list('al-list', { since: new Date(start + 3 * 60_000).toISOString() }),
    );
    expect(since.items).toHaveLength(3);
  });

  it('shows another tenant nothing of this one’s, and refuses its page token', async () => {
    expect(responseJson<{ items: unknown[] }>(await list('al-other')).items).toEqual([]);
    const { nextToken } = responseJson<{ nextToken: string }>(await list('al-list', { limit: '1' }));
    const response = await list('al-other', { nextToken });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details).toEqual([
      expect.objectContaining({ field: 'queryStringParameters.nextToken' }),
    ]);
  });

  it.each([
    [{ kind: 'fire' }, 'queryStringParameters.kind'],
    [{ limit: '0' }, 'queryStringParameters.limit'],
    [{ since: 'yesterday' }, 'queryStringParameters.since'],
  ])('answers %o with 400 naming the field', async (query, field) => {
    const response = await list('al-list', query);
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details).toEqual([expect.objectContaining({ field })]);
  });
});

describe('DLQ monitor', () => {
  it('announces a non-empty DLQ once per episode: once while it stays full, again after it drained and refilled', async () => {
    const { QueueUrl: url } = await sqs.send(
      new CreateQueueCommand({ QueueName: `dlq-monitor-${Date.now()}` }),
    );
    const { QueueUrl: emptyUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `dlq-empty-${Date.now()}` }),
    );
    let now = start;
    const monitor = () =>
      monitorDeadLetterQueues({
        sqs,
        client: environment.documents,
        alertsTable: environment.tables.alerts,
        publisher: environment.bus.publisher,
        queues: { analytics: url!, 'audit-logger': emptyUrl! },
        clock: () => now,
      });
    const notEmpty = async () =>
      (await environment.bus.captured()).filter((event) => event['detail-type'] === 'dlq.not_empty');

    expect(await monitor()).toEqual([
      { queue: 'analytics', messages: 0, action: 'none' },
      { queue: 'audit-logger', messages: 0, action: 'none' },
    ]);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"poison":true}' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"poison":true}' }));
    now += 60_000;
    expect((await monitor())[0]).toEqual({ queue: 'analytics', messages: 2, action: 'start' });
    now += 60_000;
    expect((await monitor())[0]).toEqual({ queue: 'analytics', messages: 2, action: 'none' });
    const firstEpisode = await notEmpty();
    expect(firstEpisode).toHaveLength(1);
    expect(firstEpisode[0]!.detail).toMatchObject({
      tenantId: PLATFORM_TENANT,
      data: { queue: 'analytics', messages: 2 },
    });

    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    now += 60_000;
    expect((await monitor())[0]).toEqual({ queue: 'analytics', messages: 0, action: 'end' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"poison":true}' }));
    now += 60_000;
    expect((await monitor())[0]).toEqual({ queue: 'analytics', messages: 1, action: 'start' });
    const both = await notEmpty();
    expect(both).toHaveLength(2);
    expect(both[1]!.detail.eventId).not.toBe(both[0]!.detail.eventId);
  });

  it('checks every other queue when one cannot be read, then fails the run naming how many', async () => {
    const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: `dlq-ok-${Date.now()}` }));
    const run = monitorDeadLetterQueues({
      sqs,
      client: environment.documents,
      alertsTable: environment.tables.alerts,
      publisher: environment.bus.publisher,
      queues: { fine: url!, gone: `${environment.bus.edgeUrl}/000000000000/no-such-queue` },
      clock: () => start,
    });
    await expect(run).rejects.toThrow('1 dead-letter queue(s) not checked');
  });
});
