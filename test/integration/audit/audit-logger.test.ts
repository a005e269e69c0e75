// The audit logger against DynamoDB Local: appends through the consumer's effect (appendAuditEvent) and
// through the deployed handler (SQS events → eventConsumerHandler, with fauxqs as SQS), exactly once per
// event, contiguous under concurrency, with checkpoints at every interval (injected 5, and the default 1000).
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditLoggerDependencies,
  appendAuditEvent,
} from '../../../functions/app/audit/append-audit-event.ts';
import { verifyAuditTrail } from '../../../functions/app/audit/verify-audit-trail.ts';
import { CHECKPOINT_INTERVAL } from '../../../functions/core/audit/audit-checkpoint.ts';
import { MalformedEventError } from '../../../functions/core/events/event-envelope.ts';
import { auditKeys } from '../../../functions/data/audit-repository.ts';
import type { RunningEmulator } from '../../../sandbox/emulators/dynamodb-local.ts';
import { startFauxqsEmulator } from '../../../sandbox/emulators/fauxqs.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { auditTestEvent, busEventOf, seedAuditTrail, T0 } from './audit-test-events.ts';

let env: ApiTestEnvironment;
let fauxqs: RunningEmulator;
let deps: AuditLoggerDependencies;
let now = T0;

beforeAll(async () => {
  env = await startApiTestEnvironment('audit-logger');
  fauxqs = await startFauxqsEmulator({ region: 'us-east-1' });
  deps = {
    client: env.documents,
    table: env.tables.audit,
    checkpointInterval: 5,
    clock: () => now++,
    random: Math.random,
  };
});

afterAll(async () => {
  await fauxqs?.stop();
  await env?.stop();
});

async function partition(chainKey: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await env.documents.send(
      new QueryCommand({
        TableName: env.tables.audit,
        KeyConditionExpression: 'chainKey = :k',
        ExpressionAttributeValues: { ':k': chainKey },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

const verify = (tenantId: string, mode: 'full' | 'checkpoints' = 'full') =>
  verifyAuditTrail({ ...deps, maxRecords: 20_000 }, tenantId, { mode });

describe('appendAuditEvent', () => {
  it('appends events in order as a chain that verifies, with the event as received', async () => {
    const events = [0, 1, 2, 3].map((i) => busEventOf(auditTestEvent('seq', i)));
    for (const event of events) await appendAuditEvent(deps, event);
    const records = await partition('seq');
    expect(records.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    expect(records.map((r) => r.eventId)).toEqual(events.map((e) => e.detail.eventId));
    expect(records[3]).toMatchObject({
      tenantId: 'seq',
      type: 'workflow.started',
      source: 'trustgate.workflows',
      occurredAt: events[3]!.detail.occurredAt,
      detail: events[3]!.detail.data,
      subject: { workflowId: 'wf-1' },
      previousHash: records[2]!.hash,
    });
    const [head] = await partition(auditKeys.head('seq'));
    expect(head).toMatchObject({
      lastSequence: 4,
      lastHash: records[3]!.hash,
      lastRecordedAt: records[3]!.recordedAt,
    });
    expect(await verify('seq')).toMatchObject({
      valid: true,
      checked: { records: 4 },
      head: { sequence: 4 },
    });
  });

  it('appends an event delivered twice (sequentially or at once) exactly once', async () => {
    const event = busEventOf(auditTestEvent('dup', 0));
    expect(await appendAuditEvent(deps, event)).toEqual({ outcome: 'appended', sequence: 1 });
    expect(await appendAuditEvent(deps, event)).toEqual({ outcome: 'duplicate', sequence: 1 });
    const again = busEventOf(auditTestEvent('dup', 1));
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => appendAuditEvent(deps, again)));
    expect(outcomes.filter((o) => o.outcome === 'appended')).toHaveLength(1);
    expect(outcomes.every((o) => o.sequence === 2)).toBe(true);
    expect((await partition('dup')).map((r) => r.eventId)).toEqual([
      event.detail.eventId,
      again.detail.eventId,
    ]);
  });

  it('keeps the chain contiguous under 30 concurrent appends for one tenant, losing none', async () => {
    const events = Array.from({ length: 30 }, (_, i) => busEventOf(auditTestEvent('busy', i)));
    const results = await Promise.all(events.map((event) => appendAuditEvent(deps, event)));
    expect(results.every((r) => r.outcome === 'appended')).toBe(true);
    const records = await partition('busy');
    expect(records.map((r) => r.sequence)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(records.map((r) => r.eventId))).toEqual(new Set(events.map((e) => e.detail.eventId)));
    const verification = await verify('busy');
    expect(verification).toMatchObject({
      valid: true,
      checked: { records: 30, checkpoints: 6 },
      firstBroken: null,
    });
  });

  it('writes a checkpoint at every multiple of the interval, chained', async () => {
    for (let i = 0; i < 12; i++) await appendAuditEvent(deps, busEventOf(auditTestEvent('cp', i)));
    const checkpoints = await partition(auditKeys.checkpoints('cp'));
    expect(checkpoints.map((c) => [c.number, c.fromSequence, c.toSequence])).toEqual([
      [1, 1, 5],
      [2, 6, 10],
    ]);
    const records = await partition('cp');
    expect(checkpoints[1]!.chainHash).toBe(records[9]!.hash);
    expect(checkpoints[1]!.previousCheckpointHash).toBe(checkpoints[0]!.checkpointHash);
    expect(await verify('cp', 'checkpoints')).toMatchObject({
      valid: true,
      checked: { records: 2, checkpoints: 2 },
      range: { fromSequence: 11, toSequence: 12 },
    });
  });

  it('fills a missing checkpoint at the next one, and on the redelivery of the event that closed it', async () => {
    for (let i = 0; i < 5; i++) await appendAuditEvent(deps, busEventOf(auditTestEvent('gap', i)));
    const dropCheckpoint = () =>
      env.documents.send(
        new DeleteCommand({
          TableName: env.tables.audit,
          Key: { chainKey: auditKeys.checkpoints('gap'), sequence: 1 },
        }),
      );
    await dropCheckpoint();
    // The crash-after-commit case: the message comes back, the record is a duplicate, the checkpoint is written.
    expect(await appendAuditEvent(deps, busEventOf(auditTestEvent('gap', 4)))).toMatchObject({
      outcome: 'duplicate',
    });
    expect((await partition(auditKeys.checkpoints('gap'))).map((c) => c.number)).toEqual([1]);

    await dropCheckpoint();
    for (let i = 5; i < 10; i++) await appendAuditEvent(deps, busEventOf(auditTestEvent('gap', i)));
    expect((await partition(auditKeys.checkpoints('gap'))).map((c) => c.number)).toEqual([1, 2]);
    expect(await verify('gap')).toMatchObject({ valid: true, checked: { checkpoints: 2 } });
  });

  it('refuses a tenant id that could reach into another key space', async () => {
    const event = busEventOf(auditTestEvent('evil#head', 0));
    await expect(appendAuditEvent(deps, event)).rejects.toThrow(MalformedEventError);
    expect(await partition('evil#head')).toEqual([]);
  });

  it(`writes checkpoint 1 when record ${CHECKPOINT_INTERVAL} (the default interval) is appended`, async () => {
    await seedAuditTrail(
      env.documents,
      env.tables.audit,
      'thousand',
      CHECKPOINT_INTERVAL - 1,
      CHECKPOINT_INTERVAL,
    );
    const defaults = { ...deps, checkpointInterval: CHECKPOINT_INTERVAL };
    const last = busEventOf(auditTestEvent('thousand', CHECKPOINT_INTERVAL - 1));
    expect(await appendAuditEvent(defaults, last)).toEqual({
      outcome: 'appended',
      sequence: CHECKPOINT_INTERVAL,
    });
    const [checkpoint] = await partition(auditKeys.checkpoints('thousand'));
    expect(checkpoint).toMatchObject({ number: 1, fromSequence: 1, toSequence: CHECKPOINT_INTERVAL });
    const verification = await verifyAuditTrail({ ...defaults, maxRecords: 20_000 }, 'thousand', {
      mode: 'checkpoints',
    });
    expect(verification).toMatchObject({ valid: true, checked: { records: 0, checkpoints: 1 } });
  });
});

describe('the audit-logger handler', () => {
  it('appends the events of an SQS batch, and a batch delivered again adds nothing', async () => {
    const sqs = new SQSClient({ endpoint: fauxqs.url });
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'audit-logger' }));
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'audit-logger-dlq' }));
    process.env.AWS_ENDPOINT_URL_SQS = fauxqs.url;
    process.env.CONSUMER_QUEUE_URL = queue.QueueUrl;
    process.env.CONSUMER_DLQ_URL = dlq.QueueUrl;
    const { handler } = await import('../../../functions/consumers/audit-logger.handler.ts');
    const events = [0, 1, 2].map((i) => busEventOf(auditTestEvent('handler', i)));
    const batch: SQSEvent = {
      Records: events.map((event, i) => ({
        messageId: `m-${i}`,
        receiptHandle: `r-${i}`,
        body: JSON.stringify(event),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(T0),
          SenderId: 'events',
          ApproximateFirstReceiveTimestamp: String(T0),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:audit-logger',
        awsRegion: 'us-east-1',
      })),
    };
    expect(await handler(batch, testLambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await handler(batch, testLambdaContext)).toEqual({ batchItemFailures: [] });
    const records = await partition('handler');
    // The batch is processed concurrently: the order of the three is the order they won the head in.
    expect(records.map((r) => r.sequence)).toEqual([1, 2, 3]);
    expect(records.map((r) => r.eventId).sort()).toEqual(events.map((e) => e.detail.eventId).sort());
    expect(records.every((r) => r.source === 'trustgate.intents')).toBe(true);
  });
});
