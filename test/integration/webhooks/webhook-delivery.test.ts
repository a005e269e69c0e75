// Dispatcher → delivery queue → delivery worker → a real loopback receiver, on DynamoDB Local and fauxqs:
// the deployed entry files (webhook-dispatcher.handler.ts, webhook-delivery.handler.ts) with the environment
// the stack sets, a receiver that verifies with `standardwebhooks`, the retry schedule and the DLQ, the
// redrive, and (with an injected clock and a recording EventPublisher) the 5-day auto-disable.

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchEvent } from '../../../functions/app/webhooks/dispatch-event.ts';
import { postDelivery } from '../../../functions/app/webhooks/post-delivery.ts';
import { createWebhookDeliveryWorker } from '../../../functions/app/webhooks/webhook-delivery-worker.ts';
import { webhooksRoutes } from '../../../functions/app/webhooks/webhook-routes.ts';
import {
  type BusEvent,
  newEvent,
  type TrustgateEvent,
} from '../../../functions/core/events/event-envelope.ts';
import { createDocumentClient } from '../../../functions/data/document-client.ts';
import type { EventPublisher } from '../../../functions/events/event-publisher.ts';
import { routeRequest } from '../../../functions/http/http-router.ts';
import type { LambdaContext } from '../../../functions/observability/observed-handler.ts';
import { httpApiEvent, responseJson, testCaller, testLambdaContext } from '../../support/http-api-event.ts';
import { admitEveryRequest } from '../../support/request-limiters.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.ts';
import {
  eventually,
  MAX_RECEIVE_COUNT,
  pollQueue,
  queueDepth,
  type SqsHandler,
  sqsRecord,
  startWebhookTestEnvironment,
  type WebhookTestEnvironment,
} from './webhook-test-environment.ts';

type Handler = (event: SQSEvent, context: LambdaContext) => Promise<SQSBatchResponse>;

let env: WebhookTestEnvironment;
let api: ReturnType<typeof routeRequest>;
let dispatcher: Handler;
let deliveryWorker: Handler;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  env = await startWebhookTestEnvironment('webhook-delivery');
  api = routeRequest(
    webhooksRoutes({
      webhooks: { client: createDocumentClient(), table: env.tables.webhooks },
      settings: { urlPolicy: { allowPrivate: true } },
      redrive: {
        sqs: env.sqs,
        deliveryQueueUrl: env.deliveryQueueUrl,
        deadLetterQueueUrl: env.deliveryDlqUrl,
      },
      clock: Date.now,
    }),
    admitEveryRequest,
  );
  // The entry files read their environment at import, as in a deployed function.
  dispatcher = (await import('../../../functions/consumers/webhook-dispatcher.handler.ts')).handler;
  deliveryWorker = (await import('../../../functions/consumers/webhook-delivery.handler.ts')).handler;
}, 60_000);

afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
  await env?.stop();
});

async function receiver(): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver();
  receivers.push(started);
  return started;
}

async function subscribe(
  tenant: string,
  url: string,
  filter?: unknown,
): Promise<{ webhookId: string; secret: string }> {
  const response = await api(
    httpApiEvent('POST /v1/webhooks', {
      body: { url, ...(filter === undefined ? {} : { filter }) },
      caller: testCaller(tenant, ['admin']),
    }),
  );
  expect(response.statusCode).toBe(201);
  return responseJson(response);
}

let sequence = 0;
function decided(tenantId: string, decision: 'ALLOW' | 'DENY'): TrustgateEvent {
  sequence += 1;
  return newEvent('intent.decided', {
    tenantId,
    key: `int-${sequence}`,
    occurredAt: Date.parse('2026-12-05T10:00:00.000Z') + sequence,
    data: {
      intentId: `int-${sequence}`,
      agentId: 'research-1',
      action: 'read',
      decision,
      reasons: [],
      agentTier: 'T2',
      score: 450,
    },
  });
}

function busEvent(detail: TrustgateEvent): BusEvent {
  return {
    id: `eb-${detail.eventId}`,
    source: 'trustgate.intents',
    'detail-type': detail.type,
    time: detail.occurredAt,
    detail,
  };
}

async function dispatch(...events: TrustgateEvent[]): Promise<void> {
  const response = await dispatcher(
    {
      Records: events.map((event, index) =>
        sqsRecord({ MessageId: `bus-${event.eventId}-${index}`, Body: JSON.stringify(busEvent(event)) }),
      ),
    },
    testLambdaContext,
  );
  expect(response.batchItemFailures).toEqual([]);
}

async function webhookItem(tenantId: string, webhookId: string) {
  const { Item } = await env.documents.send(
    new GetCommand({ TableName: env.tables.webhooks, Key: { tenantId, webhookId }, ConsistentRead: true }),
  );
  return Item;
}

async function withWorker<T>(handler: SqsHandler, body: () => Promise<T>): Promise<T> {
  const poller = pollQueue(env.sqs, env.deliveryQueueUrl, handler);
  try {
    return await body();
  } finally {
    await poller.stop();
  }
}

describe('webhook deliveries', () => {
  it('deliver matching events, signed so that standardwebhooks verifies them, and nothing else', async () => {
    const denials = await receiver();
    const everything = await receiver();
    const denyHook = await subscribe('acme', denials.url, { detail: { data: { decision: ['DENY'] } } });
    const allHook = await subscribe('acme', everything.url);
    await subscribe('globex', everything.url);
    denials.useSecret(denyHook.secret);
    everything.useSecret(allHook.secret);

    const allow = decided('acme', 'ALLOW');
    const deny = decided('acme', 'DENY');
    await dispatch(allow, deny);
    await withWorker(deliveryWorker, () =>
      eventually(
        () => denials.deliveries.length === 1 && everything.deliveries.length === 2,
        20_000,
        'deliveries',
      ),
    );

    const [delivery] = denials.deliveries;
    expect(delivery!.verified).toBe(true);
    expect(delivery!.headers).toMatchObject({
      'webhook-id': deny.eventId,
      'x-trustgate-event': 'intent.decided',
      'content-type': 'application/json',
    });
    expect(JSON.parse(delivery!.body)).toEqual({
      type: 'intent.decided',
      timestamp: deny.occurredAt,
      data: deny,
    });
    expect(everything.deliveries.every((received) => received.verified)).toBe(true);
    expect(everything.deliveries.map((received) => received.headers['webhook-id']).sort()).toEqual(
      [allow.eventId, deny.eventId].sort(),
    );
    // The other tenant's webhook (same URL) received nothing of acme's events.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(everything.deliveries).toHaveLength(2);

    expect(await webhookItem('acme', denyHook.webhookId)).toMatchObject({
      status: 'ACTIVE',
      lastDelivery: { status: 200, error: null },
    });
    expect((await webhookItem('acme', denyHook.webhookId))?.failingSince).toBeUndefined();
  }, 40_000);

  it('drops a second delivery message for an event already delivered (the dispatcher run twice)', async () => {
    const single = await receiver();
    const hook = await subscribe('hooli', single.url);
    single.useSecret(hook.secret);
    const event = decided('hooli', 'DENY');
    const dispatchDeps = {
      webhooks: { client: createDocumentClient(), table: env.tables.webhooks },
      sqs: env.sqs,
      deliveryQueueUrl: env.deliveryQueueUrl,
    };
    await withWorker(deliveryWorker, async () => {
      // What a crash between the dispatcher's effect and its idempotency record amounts to.
      expect(await dispatchEvent(dispatchDeps, busEvent(event))).toBe(1);
      await eventually(() => single.deliveries.length === 1, 10_000, 'the delivery');
      expect(await dispatchEvent(dispatchDeps, busEvent(event))).toBe(1);
      await eventually(
        async () => (await queueDepth(env.sqs, env.deliveryQueueUrl)) === 0,
        10_000,
        'the duplicate',
      );
    });
    expect(single.deliveries).toHaveLength(1);
    expect(single.deliveries[0]!.verified).toBe(true);
  }, 30_000);

  it('retries a failing endpoint on the schedule, dead-letters after the last attempt, and redrives', async () => {
    const failing = await receiver();
    failing.answer(500);
    const hook = await subscribe('initech', failing.url);
    failing.useSecret(hook.secret);
    const event = decided('initech', 'DENY');
    await dispatch(event);

    await withWorker(deliveryWorker, async () => {
      await eventually(() => failing.deliveries.length >= MAX_RECEIVE_COUNT, 30_000, 'every attempt');
      await eventually(async () => (await queueDepth(env.sqs, env.deliveryDlqUrl)) === 1, 10_000, 'the DLQ');
    });
    expect(failing.deliveries).toHaveLength(MAX_RECEIVE_COUNT);
    const arrivals = failing.deliveries.map((received) => received.receivedAtMs);
    for (let attempt = 1; attempt < arrivals.length; attempt++) {
      // WEBHOOK_RETRY_DELAYS_SECONDS=1,1,1,1,1: at least a second between attempts (ms clock granularity aside).
      expect(arrivals[attempt]! - arrivals[attempt - 1]!).toBeGreaterThanOrEqual(990);
    }
    expect(new Set(failing.deliveries.map((received) => received.headers['webhook-id']))).toEqual(
      new Set([event.eventId]),
    );
    expect(new Set(failing.deliveries.map((received) => received.body)).size).toBe(1);
    expect(failing.deliveries.every((received) => received.verified)).toBe(true);
    const failingItem = await webhookItem('initech', hook.webhookId);
    expect(failingItem).toMatchObject({ status: 'ACTIVE', lastDelivery: { status: 500, error: 'HTTP 500' } });
    // failingSince is the first failure of the run: recorded after the first attempt, before the second.
    expect(Date.parse(failingItem?.failingSince)).toBeGreaterThanOrEqual(arrivals[0]!);
    expect(Date.parse(failingItem?.failingSince)).toBeLessThan(arrivals[1]!);
    expect(await queueDepth(env.sqs, env.deliveryQueueUrl)).toBe(0);

    failing.answer(204);
    const redrive = await api(
      httpApiEvent('POST /v1/webhooks/redrive', { caller: testCaller('platform', ['admin']) }),
    );
    expect(responseJson(redrive)).toEqual({ moved: 1 });
    expect(await queueDepth(env.sqs, env.deliveryDlqUrl)).toBe(0);
    await withWorker(deliveryWorker, () =>
      eventually(() => failing.deliveries.length === MAX_RECEIVE_COUNT + 1, 20_000, 'the redriven delivery'),
    );
    const redriven = failing.deliveries.at(-1)!;
    expect(redriven.verified).toBe(true);
    expect(redriven.headers['webhook-id']).toBe(event.eventId);
    await eventually(
      async () => (await webhookItem('initech', hook.webhookId))?.lastDelivery?.status === 204,
    );
    expect((await webhookItem('initech', hook.webhookId))?.failingSince).toBeUndefined();
  }, 60_000);

  it('disables a webhook failing for more than 5 days and publishes webhook.disabled', async () => {
    const dead = await receiver();
    dead.answer(503);
    const hook = await subscribe('umbrella', dead.url);
    const published: TrustgateEvent[] = [];
    const recording: EventPublisher = {
      publish: async (events) => {
        published.push(...events);
      },
    };
    const start = Date.parse('2026-12-01T00:00:00.000Z');
    let now = start;
    const worker = createWebhookDeliveryWorker({
      webhooks: { client: createDocumentClient(), table: env.tables.webhooks },
      settings: { urlPolicy: { allowPrivate: true }, timeoutMs: 2000, disableAfterSeconds: 432_000 },
      retryDelays: [1, 1, 1, 1, 1],
      post: postDelivery,
      events: recording,
      clock: () => now,
      log: () => {},
      sqs: env.sqs,
      deliveryQueueUrl: env.deliveryQueueUrl,
      deadLetterQueueUrl: env.deliveryDlqUrl,
    });
    await dispatch(decided('umbrella', 'ALLOW'));

    await withWorker(worker, async () => {
      await eventually(() => dead.deliveries.length === 1, 10_000, 'the first attempt');
      await eventually(async () => (await webhookItem('umbrella', hook.webhookId))?.failingSince);
      expect(await webhookItem('umbrella', hook.webhookId)).toMatchObject({
        status: 'ACTIVE',
        failingSince: '2026-12-01T00:00:00.000Z',
      });
      expect(published).toEqual([]);
      // Five days exactly is not yet too long; one second more is.
      now = start + 432_000_000;
      await eventually(() => dead.deliveries.length === 2, 10_000, 'the second attempt');
      await eventually(
        async () =>
          (await webhookItem('umbrella', hook.webhookId))?.lastDelivery?.at === '2026-12-06T00:00:00.000Z',
      );
      expect((await webhookItem('umbrella', hook.webhookId))?.status).toBe('ACTIVE');
      now = start + 432_001_000;
      await eventually(async () => (await webhookItem('umbrella', hook.webhookId))?.status === 'DISABLED');
      await eventually(
        async () => (await queueDepth(env.sqs, env.deliveryQueueUrl)) === 0,
        10_000,
        'the message done',
      );
    });
    expect(dead.deliveries).toHaveLength(3);
    expect(await webhookItem('umbrella', hook.webhookId)).toMatchObject({
      status: 'DISABLED',
      disabledAt: '2026-12-06T00:00:01.000Z',
      failingSince: '2026-12-01T00:00:00.000Z',
    });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      type: 'webhook.disabled',
      tenantId: 'umbrella',
      data: { webhookId: hook.webhookId, url: dead.url, failingSince: '2026-12-01T00:00:00.000Z' },
    });
    expect(await queueDepth(env.sqs, env.deliveryDlqUrl)).toBe(0);

    // Later events are not dispatched to the disabled webhook.
    await dispatch(decided('umbrella', 'DENY'));
    expect(await queueDepth(env.sqs, env.deliveryQueueUrl)).toBe(0);
  }, 60_000);
});
