// The audit API against DynamoDB Local: listing (order, filters, paging, validation, tenant isolation) and
// verification (full and checkpoints, ranges, tampering done with UpdateItem/DeleteItem as an intruder
// with table access would). Trails are appended through the logger's own effect; routes run through
// routeRequest with a small checkpoint interval (5) and range (8), and once through the deployed handler.

import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditLoggerDependencies,
  appendAuditEvent,
} from '../../../functions/app/audit/append-audit-event.ts';
import type { AuditRecordView } from '../../../functions/app/audit/audit-record-view.ts';
import { auditRoutes } from '../../../functions/app/audit/audit-routes.ts';
import type { AuditVerification } from '../../../functions/app/audit/verify-audit-trail.ts';
import { CHECKPOINT_INTERVAL } from '../../../functions/core/audit/audit-checkpoint.ts';
import { auditKeys } from '../../../functions/data/audit-repository.ts';
import { encodePageToken } from '../../../functions/data/page-token.ts';
import type { HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { routeRequest } from '../../../functions/http/http-router.ts';
import {
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { admitEveryRequest } from '../../support/request-limiters.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { auditTestEvent, busEventOf, T0 } from './audit-test-events.ts';

let env: ApiTestEnvironment;
let deps: AuditLoggerDependencies;
let route: ReturnType<typeof routeRequest>;
let now = T0;
const TRAIL = 23;

beforeAll(async () => {
  env = await startApiTestEnvironment('audit-api');
  deps = {
    client: env.documents,
    table: env.tables.audit,
    checkpointInterval: 5,
    clock: () => (now += 1000),
    random: Math.random,
  };
  route = routeRequest(auditRoutes({ ...deps, maxRecords: 8 }), admitEveryRequest);
  for (let i = 0; i < TRAIL; i++) await appendAuditEvent(deps, busEventOf(auditTestEvent('acme', i)));
  for (let i = 0; i < 3; i++) await appendAuditEvent(deps, busEventOf(auditTestEvent('globex', i)));
});

afterAll(async () => {
  await env?.stop();
});

function get(path: '/v1/audit' | '/v1/audit/verify', query: Record<string, string> = {}, tenant = 'acme') {
  return route(httpApiEvent(`GET ${path}`, { queryStringParameters: query, caller: testCaller(tenant) }));
}

type Page = { items: AuditRecordView[]; nextToken: string | null };
const page = (response: HttpApiResponse) => {
  expect(response.statusCode).toBe(200);
  return responseJson<Page>(response);
};
const verification = (response: HttpApiResponse) => {
  expect(response.statusCode).toBe(200);
  return responseJson<AuditVerification>(response);
};

/** An intruder's UpdateItem of one record's decision. */
async function setDecision(tenantId: string, sequence: number, decision: string): Promise<void> {
  await env.documents.send(
    new UpdateCommand({
      TableName: env.tables.audit,
      Key: { chainKey: tenantId, sequence },
      UpdateExpression: 'SET detail.decision = :decision',
      ExpressionAttributeValues: { ':decision': decision },
    }),
  );
}

async function listAll(query: Record<string, string>, tenant = 'acme'): Promise<AuditRecordView[]> {
  const items: AuditRecordView[] = [];
  let nextToken: string | null = null;
  do {
    const result = page(await get('/v1/audit', { ...query, ...(nextToken ? { nextToken } : {}) }, tenant));
    items.push(...result.items);
    nextToken = result.nextToken;
  } while (nextToken);
  return items;
}

describe('GET /v1/audit', () => {
  it("lists the tenant's records oldest first, as record views", async () => {
    const { items } = page(await get('/v1/audit', { limit: '100' }));
    expect(items.map((r) => r.sequence)).toEqual(Array.from({ length: TRAIL }, (_, i) => i + 1));
    expect(Object.keys(items[0]!).sort()).toEqual(
      [
        'sequence',
        'eventId',
        'type',
        'source',
        'occurredAt',
        'recordedAt',
        'subject',
        'detail',
        'previousHash',
        'hash',
      ].sort(),
    );
    expect(items[1]!.previousHash).toBe(items[0]!.hash);
    expect(items[0]!.eventId).toBe(auditTestEvent('acme', 0).eventId);
  });

  it('lists newest first with order=desc', async () => {
    const { items } = page(await get('/v1/audit', { order: 'desc', limit: '3' }));
    expect(items.map((r) => r.sequence)).toEqual([TRAIL, TRAIL - 1, TRAIL - 2]);
  });

  it('pages with limit and nextToken, every record once', async () => {
    const first = page(await get('/v1/audit', { limit: '10' }));
    expect(first.items).toHaveLength(10);
    expect(first.nextToken).toEqual(expect.any(String));
    const all = await listAll({ limit: '7' });
    expect(all.map((r) => r.sequence)).toEqual(Array.from({ length: TRAIL }, (_, i) => i + 1));
    const desc = await listAll({ limit: '6', order: 'desc' });
    expect(desc.map((r) => r.sequence)).toEqual(Array.from({ length: TRAIL }, (_, i) => TRAIL - i));
  });

  it('filters by type, agentId and workflowId, across pages', async () => {
    const expected = (keep: (i: number) => boolean) =>
      Array.from({ length: TRAIL }, (_, i) => i)
        .filter(keep)
        .map((i) => auditTestEvent('acme', i).eventId);
    const started = await listAll({ type: 'workflow.started', limit: '2' });
    expect(started.map((r) => r.eventId)).toEqual(expected((i) => i % 4 === 3));
    const agent = await listAll({ agentId: 'agent-1', limit: '3' });
    expect(agent.map((r) => r.eventId)).toEqual(expected((i) => i % 4 !== 3 && i % 3 === 1));
    const workflow = await listAll({ workflowId: 'wf-0', type: 'intent.decided' });
    expect(workflow.map((r) => r.eventId)).toEqual(expected((i) => i % 4 !== 3 && i % 2 === 0));
  });

  it('filters by a recordedAt window (from/to inclusive, any offset)', async () => {
    const { items } = page(await get('/v1/audit', { limit: '100' }));
    const from = items[4]!.recordedAt;
    const to = items[9]!.recordedAt;
    const window = await listAll({ from, to: to.replace('Z', '+00:00'), limit: '4' });
    expect(window.map((r) => r.sequence)).toEqual([5, 6, 7, 8, 9, 10]);
    const desc = await listAll({ from, to, order: 'desc' });
    expect(desc.map((r) => r.sequence)).toEqual([10, 9, 8, 7, 6, 5]);
  });

  it("never shows another tenant's records, and refuses its page token", async () => {
    const globex = await listAll({}, 'globex');
    expect(globex.map((r) => r.eventId)).toEqual([0, 1, 2].map((i) => auditTestEvent('globex', i).eventId));
    const { nextToken } = page(await get('/v1/audit', { limit: '1' }, 'globex'));
    const response = await get('/v1/audit', { nextToken: nextToken! });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details[0]!.field).toBe('queryStringParameters.nextToken');
    expect(page(await get('/v1/audit', {}, 'initech')).items).toEqual([]);
  });

  const invalid: [string, Record<string, string>, string][] = [
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit 101', { limit: '101' }, 'limit'],
    ['an unknown type', { type: 'intent.exploded' }, 'type'],
    ['a bad from', { from: 'yesterday' }, 'from'],
    ['to before from', { from: '2026-12-05T10:00:00Z', to: '2026-12-05T09:00:00Z' }, 'to'],
    ['a bad order', { order: 'sideways' }, 'order'],
    ['an unknown parameter', { agentID: 'agent-1' }, 'agentID'],
    ['a forged token', { nextToken: 'not-a-token' }, 'nextToken'],
    [
      'a token with a bad sequence',
      { nextToken: encodePageToken({ chainKey: 'acme', sequence: '-1' }) },
      'nextToken',
    ],
  ];
  for (const [name, query, field] of invalid) {
    it(`answers 400 naming ${field} for ${name}`, async () => {
      const response = await get('/v1/audit', query);
      expect(response.statusCode).toBe(400);
      expect(responseError(response).details.map((d) => d.field)).toContain(`queryStringParameters.${field}`);
    });
  }
});

describe('GET /v1/audit/verify', () => {
  it('verifies a full trail in ranges of maxRecords, continuing at nextSequence', async () => {
    const first = verification(await get('/v1/audit/verify'));
    expect(first).toMatchObject({
      valid: true,
      mode: 'full',
      checked: { records: 8, checkpoints: 4 },
      head: { sequence: TRAIL },
      range: { fromSequence: 1, toSequence: 8 },
      nextSequence: 9,
      firstBroken: null,
    });
    const second = verification(await get('/v1/audit/verify', { fromSequence: '9' }));
    expect(second).toMatchObject({
      valid: true,
      range: { fromSequence: 9, toSequence: 16 },
      nextSequence: 17,
    });
    const last = verification(await get('/v1/audit/verify', { fromSequence: '17' }));
    expect(last).toMatchObject({
      valid: true,
      range: { fromSequence: 17, toSequence: TRAIL },
      nextSequence: null,
    });
  });

  it('verifies with checkpoints, re-reading only the records after the last one', async () => {
    const result = verification(await get('/v1/audit/verify', { mode: 'checkpoints' }));
    expect(result).toMatchObject({
      valid: true,
      mode: 'checkpoints',
      checked: { records: 3, checkpoints: 4 },
      range: { fromSequence: 21, toSequence: TRAIL },
      nextSequence: null,
    });
  });

  it('verifies an empty trail', async () => {
    expect(verification(await get('/v1/audit/verify', {}, 'initech'))).toMatchObject({
      valid: true,
      checked: { records: 0, checkpoints: 0 },
      head: { sequence: 0, hash: '0'.repeat(64) },
    });
  });

  const invalid: [string, Record<string, string>, string][] = [
    ['an unknown mode', { mode: 'quick' }, 'mode'],
    ['fromSequence 0', { fromSequence: '0' }, 'fromSequence'],
    ['fromSequence with mode=checkpoints', { mode: 'checkpoints', fromSequence: '3' }, 'fromSequence'],
    ['fromSequence beyond the head', { fromSequence: String(TRAIL + 1) }, 'fromSequence'],
  ];
  for (const [name, query, field] of invalid) {
    it(`answers 400 naming ${field} for ${name}`, async () => {
      const response = await get('/v1/audit/verify', query);
      expect(response.statusCode).toBe(400);
      expect(responseError(response).details.map((d) => d.field)).toContain(`queryStringParameters.${field}`);
    });
  }

  describe('on a tampered trail', () => {
    const tenant = 'tampered';
    beforeAll(async () => {
      for (let i = 0; i < 12; i++) await appendAuditEvent(deps, busEventOf(auditTestEvent(tenant, i)));
    });

    it('names the record and field an UpdateItem changed, through the deployed handler', async () => {
      // The handler runs with the default interval (1000): a trail of its own, appended with it.
      const edited = 'edited';
      const defaults = { ...deps, checkpointInterval: CHECKPOINT_INTERVAL };
      for (let i = 0; i < 6; i++) await appendAuditEvent(defaults, busEventOf(auditTestEvent(edited, i)));
      const { handler } = await import('../../../functions/api/audit.handler.ts');
      const verify = async () =>
        verification(
          await handler(
            httpApiEvent('GET /v1/audit/verify', { caller: testCaller(edited) }),
            testLambdaContext,
          ),
        );
      expect(await verify()).toMatchObject({ valid: true, checked: { records: 6 } });
      await setDecision(edited, 3, 'DENY'); // was ALLOW
      expect(await verify()).toMatchObject({
        valid: false,
        checked: { records: 2 },
        firstBroken: { sequence: 3, eventId: auditTestEvent(edited, 2).eventId, field: 'detail' },
      });
    });

    it('finds an edit of a checkpointed record in full mode only (the documented trade-off)', async () => {
      await setDecision(tenant, 7, 'DENY'); // was ALLOW
      expect(verification(await get('/v1/audit/verify', {}, tenant))).toMatchObject({
        valid: false,
        firstBroken: { sequence: 7, eventId: auditTestEvent(tenant, 6).eventId, field: 'detail' },
      });
      // Record 7 is covered by checkpoint 2: mode=checkpoints does not re-read it.
      expect(verification(await get('/v1/audit/verify', { mode: 'checkpoints' }, tenant))).toMatchObject({
        valid: true,
        checked: { records: 2, checkpoints: 2 },
      });
      await setDecision(tenant, 7, 'ALLOW');
      expect(verification(await get('/v1/audit/verify', {}, tenant)).valid).toBe(true);
    });

    it('detects a changed checkpoint in both modes', async () => {
      const key = { chainKey: auditKeys.checkpoints(tenant), sequence: 1 };
      const original = verification(await get('/v1/audit/verify', { mode: 'checkpoints' }, tenant));
      expect(original.valid).toBe(true);
      const { Item } = await env.documents.send(new GetCommand({ TableName: env.tables.audit, Key: key }));
      const originalRoot = Item!.merkleRoot as string;
      await env.documents.send(
        new UpdateCommand({
          TableName: env.tables.audit,
          Key: key,
          UpdateExpression: 'SET merkleRoot = :root',
          ExpressionAttributeValues: { ':root': 'f'.repeat(64) },
        }),
      );
      for (const mode of ['checkpoints', 'full']) {
        const result = verification(await get('/v1/audit/verify', { mode }, tenant));
        expect(result, mode).toMatchObject({
          valid: false,
          firstBroken: { sequence: 5, field: 'checkpoint.checkpointHash' },
        });
      }
      await env.documents.send(
        new UpdateCommand({
          TableName: env.tables.audit,
          Key: key,
          UpdateExpression: 'SET merkleRoot = :root',
          ExpressionAttributeValues: { ':root': originalRoot },
        }),
      );
      expect(verification(await get('/v1/audit/verify', {}, tenant)).valid).toBe(true);
    });

    it('detects records deleted at the end of the trail against the head', async () => {
      await env.documents.send(
        new DeleteCommand({ TableName: env.tables.audit, Key: { chainKey: tenant, sequence: 12 } }),
      );
      const result = verification(await get('/v1/audit/verify', { fromSequence: '9' }, tenant));
      expect(result).toMatchObject({
        valid: false,
        firstBroken: { sequence: 12, field: 'sequence', eventId: null },
      });
    });
  });
});
