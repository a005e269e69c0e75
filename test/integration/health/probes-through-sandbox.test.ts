// GET /health and GET /ready through the HTTP API of the trustgate app running in the sandbox (the app built
// and synthesized from this checkout, as the e2e suite runs it): both answer without any credentials, with
// every check ok on a freshly started platform, while an API route still wants a key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_ENV } from '../../../functions/data/table-names.ts';
import { type RunningSandbox, startSandbox } from '../../../sandbox/index.ts';
import { synthesizedTrustgateApp } from '../../e2e/support/synthesized-app.ts';

let sandbox: RunningSandbox;
let apiUrl: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    assembly: await synthesizedTrustgateApp(),
    edgePort: 0,
    apiPort: 0,
    quiet: true,
  });
  apiUrl = sandbox.apiUrl!;
}, 240_000);

afterAll(async () => {
  await sandbox?.stop();
});

describe('the probes through the sandbox HTTP API', () => {
  it('GET /health answers 200 without a key, with the function’s own memory limit', async () => {
    const response = await fetch(`${apiUrl}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      status: 'ok',
      // The sandbox runs each execution environment in a worker thread of one process: its own heap counts.
      checks: { memory: { ok: true, limitMb: 512, limitPercent: 90, measure: 'thread heap' } },
    });
  });

  it('GET /ready answers 200 without a key: every table, the six queues, no backlog, the policies', async () => {
    const response = await fetch(`${apiUrl}/ready`);
    const body = (await response.json()) as {
      status: string;
      checks: Record<string, { ok: boolean; [detail: string]: unknown }>;
    };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.checks)).toEqual(['dynamodb', 'sqs', 'queueBacklog', 'policies']);
    const tables = body.checks.dynamodb!.tables as Record<string, string>;
    expect(Object.keys(tables)).toEqual(expect.arrayContaining(Object.keys(TABLE_ENV)));
    for (const status of Object.values(tables)) expect(status).toBe('ACTIVE');
    expect(body.checks.sqs).toEqual({ ok: true, queues: 6 });
    expect(body.checks.queueBacklog).toMatchObject({ ok: true, limit: 1000 });
    expect(body.checks.policies).toEqual({ ok: true, policySetVersion: 0, probe: 'ALLOW' });
  });

  it('still keeps the API behind its key', async () => {
    expect((await fetch(`${apiUrl}/v1/agents`)).status).toBe(401);
  });
});
