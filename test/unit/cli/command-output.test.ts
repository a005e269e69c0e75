// What the listing and inspecting commands print, as text and with --json (stdout one JSON document and
// nothing else): workflows ls / show, agents ls / show with their trend (the latest trust.changed of the
// audit trail), escalations ls / approve / reject, audit verify (followed to the head), webhooks redrive.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/cli-errors.ts';
import { runCli } from '../../../cli/run-cli.ts';
import type { WorkflowSummaryView } from '../../../functions/app/workflows/workflow-view.ts';
import {
  agent,
  agentDetail,
  escalation,
  succeeded,
  trustChanged,
  WORKFLOW_ID,
  workflow,
} from './fixtures.ts';
import {
  type CapturedIo,
  capturedIo,
  type LocalApi,
  type RecordedRequest,
  startLocalApi,
} from './local-api.ts';

const summary = (overrides: Partial<WorkflowSummaryView>): WorkflowSummaryView => ({
  workflowId: WORKFLOW_ID,
  type: 'sequential',
  template: 'report',
  status: 'SUCCEEDED',
  task: 'Write report on AI trends',
  steps: [
    { name: 'research', agentId: 'research-agent', status: 'SUCCEEDED', decision: 'ALLOW' },
    { name: 'analysis', agentId: 'analysis-agent', status: 'SUCCEEDED', decision: 'ALLOW' },
  ],
  error: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
  ...overrides,
});

const fleet = [
  agent({ agentId: 'research-agent', score: 582.4 }),
  agent({
    agentId: 'writing-agent',
    role: 'writing',
    score: 409.5,
    tier: 'T2',
    tierName: 'Standard',
    costPerCall: 0.01,
  }),
  agent({ agentId: 'basic-agent', role: 'general', score: 180, tier: 'T1', tierName: 'Provisional' }),
];

/** The audit trail: newest first when asked `order=desc`, filtered by agentId when asked; two pages. */
function auditAnswer(request: RecordedRequest) {
  const records = [
    trustChanged('writing-agent', 5, 420, 409.5, 'violation'),
    trustChanged('research-agent', 4, 580, 582.4),
    trustChanged('research-agent', 3, 578, 580),
    trustChanged('research-agent', 2, 577, 578),
    trustChanged('writing-agent', 1, 419, 420),
  ].filter(
    (record) => request.query.agentId === undefined || record.subject.agentId === request.query.agentId,
  );
  // The first page holds two records, the rest comes with the token.
  return request.query.nextToken === undefined
    ? { body: { items: records.slice(0, 2), nextToken: records.length > 2 ? 'page-2' : null } }
    : { body: { items: records.slice(2), nextToken: null } };
}

let api: LocalApi;
const ios: CapturedIo[] = [];

beforeAll(async () => {
  api = await startLocalApi({
    'GET /v1/workflows': (request) => ({
      body:
        request.query.status === 'FAILED'
          ? {
              items: [
                summary({
                  workflowId: 'wf-failed',
                  status: 'FAILED',
                  task: 'A task far longer than the column it is shown in, so it is cut with an ellipsis',
                  error: { code: 'step_denied', message: 'denied', step: 'research' },
                }),
              ],
              nextToken: 'next-page',
            }
          : { items: [summary({})], nextToken: null },
    }),
    [`GET /v1/workflows/${WORKFLOW_ID}`]: {
      body: workflow({
        status: 'SUCCEEDED',
        steps: [succeeded('research', 'research-agent', 'T3', 500)],
        result: 'The report.',
      }),
    },
    'GET /v1/agents': (request) => ({
      body:
        request.query.nextToken === undefined
          ? { agents: fleet.slice(0, 2), nextToken: 'agents-2' }
          : { agents: fleet.slice(2) },
    }),
    'GET /v1/agents/research-agent': { body: agentDetail({ agentId: 'research-agent', score: 582.4 }) },
    'GET /v1/agents/basic-agent': { body: agentDetail({ agentId: 'basic-agent', score: 180, tier: 'T1' }) },
    'GET /v1/audit': auditAnswer,
    'GET /v1/escalations': (request) => ({
      body:
        request.query.nextToken === undefined
          ? { items: [escalation({ escalationId: 'esc-1' })], nextToken: 'esc-page-2' }
          : { items: [escalation({ escalationId: 'esc-2', level: 2 })], nextToken: null },
    }),
    'POST /v1/escalations/esc-1/approve': (request) => ({
      body: escalation({
        escalationId: 'esc-1',
        status: 'APPROVED',
        reviewer: 'alice',
        reviewerLevel: 2,
        comment: (request.body as { comment?: string } | undefined)?.comment ?? null,
      }),
    }),
    'POST /v1/escalations/esc-1/reject': (request) => ({
      body: escalation({
        escalationId: 'esc-1',
        status: 'REJECTED',
        reviewer: 'bob',
        reviewerLevel: 3,
        reason: (request.body as { reason: string }).reason,
      }),
    }),
    'GET /v1/audit/verify': (request) => {
      const from = Number(request.query.fromSequence ?? 1);
      if (from === 1) {
        return {
          body: {
            valid: true,
            mode: 'full',
            checked: { records: 20000, checkpoints: 20 },
            head: { sequence: 25000, hash: 'b'.repeat(64) },
            range: { fromSequence: 1, toSequence: 20000 },
            nextSequence: 20001,
            firstBroken: null,
          },
        };
      }
      return {
        body: {
          valid: from !== 20001 || request.query.mode !== 'broken',
          mode: 'full',
          checked: { records: 5000, checkpoints: 5 },
          head: { sequence: 25000, hash: 'b'.repeat(64) },
          range: { fromSequence: 20001, toSequence: 25000 },
          nextSequence: null,
          firstBroken: null,
        },
      };
    },
    'POST /v1/webhooks/redrive': { body: { moved: 3 } },
  });
});

afterAll(async () => {
  await api?.close();
});

afterEach(() => {
  for (const io of ios.splice(0)) io.cleanup();
  api.requests.length = 0;
});

async function cli(args: string[]): Promise<{ code: number; io: CapturedIo }> {
  const io = capturedIo();
  ios.push(io);
  const code = await runCli([...args, '--api-url', api.url, '--api-key', 'tg_dev_key'], io);
  return { code, io };
}

/** With --json: exit 0, nothing on stderr, and stdout one JSON document. */
async function json(args: string[]): Promise<unknown> {
  const { code, io } = await cli([...args, '--json']);
  expect(code).toBe(EXIT.ok);
  expect(io.stderr).toBe('');
  return JSON.parse(io.stdout);
}

describe('workflows', () => {
  it('ls: a table, newest first as the API lists them, with the next page’s command', async () => {
    const { code, io } = await cli(['workflows', 'ls', '--status', 'FAILED']);

    expect(code).toBe(EXIT.ok);
    const [header, row, more] = io.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^WORKFLOW\s+STATUS\s+TEMPLATE\s+DONE\s+CREATED\s+TASK$/);
    expect(row).toMatch(
      /^wf-failed\s+FAILED\s+report\s+2\/2\s+2026-01-01T00:00:00.000Z\s+A task far longer than the column it is shown i…$/,
    );
    expect(more).toBe('more: trustgate workflows ls --next-token next-page');
  });

  it('ls --json: the API’s page as it came', async () => {
    expect(await json(['workflows', 'ls'])).toEqual({ items: [summary({})], nextToken: null });
  });

  it('show: every step, then the outcome and the result', async () => {
    const { io } = await cli(['workflows', 'show', WORKFLOW_ID]);

    expect(io.stdout).toContain(`workflow ${WORKFLOW_ID} (template report, sequential)`);
    expect(io.stdout).toContain('status   SUCCEEDED');
    expect(io.stdout).toContain('✓ research       research-agent  T3  ALLOW    500 tokens, 42 ms');
    expect(io.stdout).toContain('SUCCEEDED · 1 step · 500 tokens · 1.5 s');
    expect(io.stdout.trimEnd().endsWith('The report.')).toBe(true);
  });

  it('show --json: the workflow view', async () => {
    expect(await json(['workflows', 'show', WORKFLOW_ID])).toMatchObject({
      workflowId: WORKFLOW_ID,
      status: 'SUCCEEDED',
      result: 'The report.',
    });
  });
});

describe('agents and their trend', () => {
  it('ls: every page of agents, each with its latest recorded score move (— when none)', async () => {
    const { code, io } = await cli(['agents', 'ls']);

    expect(code).toBe(EXIT.ok);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENT\s+ROLE\s+SCORE\s+TIER\s+TREND\s+BREAKER\s+COST\/CALL$/);
    expect(lines[1]).toMatch(
      /^research-agent\s+research\s+582\.4\s+T3 Trusted\s+↑ \+2\.4 \(execution_outcome\)\s+CLOSED\s+\$0\.02$/,
    );
    expect(lines[2]).toMatch(
      /^writing-agent\s+writing\s+409\.5\s+T2 Standard\s+↓ −10\.5 \(violation\)\s+CLOSED\s+\$0\.01$/,
    );
    expect(lines[3]).toMatch(/^basic-agent\s+general\s+180\.0\s+T1 Provisional\s+—\s+CLOSED/);
    expect(api.requestsTo('GET /v1/agents')).toHaveLength(2);
    expect(api.requestsTo('GET /v1/audit')[0]!.query).toEqual({
      type: 'trust.changed',
      order: 'desc',
      limit: '100',
    });
  });

  it('ls --json: the agent views, each with its trend', async () => {
    const { items } = (await json(['agents', 'ls'])) as { items: Record<string, unknown>[] };

    expect(items.map((item) => [item.agentId, item.trend])).toEqual([
      [
        'research-agent',
        {
          direction: 'up',
          last: {
            previousScore: 580,
            score: 582.4,
            delta: expect.closeTo(2.4, 9),
            previousTier: 'T3',
            tier: 'T3',
            cause: 'execution_outcome',
            at: '2026-01-01T00:00:04.000Z',
          },
        },
      ],
      ['writing-agent', expect.objectContaining({ direction: 'down' })],
      ['basic-agent', { direction: 'none', last: null }],
    ]);
    expect(items[0]).toMatchObject({ score: 582.4, tier: 'T3', breaker: { status: 'CLOSED' } });
  });

  it('show: score, tier, trend and the recent moves, newest first, from the agent’s own audit records', async () => {
    const { io } = await cli(['agents', 'show', 'research-agent']);

    expect(io.stdout).toContain('score       582.4  T3 Trusted');
    expect(io.stdout).toContain(
      'trend       ↑ +2.4 (execution_outcome): 580.0 → 582.4 at 2026-01-01T00:00:04.000Z',
    );
    expect(io.stdout).toContain('can         search_web (read)');
    const moves = io.stdout.split('recent score changes\n')[1]!.trimEnd().split('\n');
    expect(moves).toHaveLength(3);
    expect(moves[0]).toMatch(
      /^ {2}2026-01-01T00:00:04.000Z\s+580\.0 →\s+582\.4\s+\+2\.4\s+T3\s+execution_outcome$/,
    );
    expect(moves[2]).toContain('577.0 →  578.0');
    const audit = api.requestsTo('GET /v1/audit');
    expect(audit.map((request) => request.query)).toEqual([
      { type: 'trust.changed', agentId: 'research-agent', order: 'desc', limit: '100' },
      { type: 'trust.changed', agentId: 'research-agent', order: 'desc', limit: '100', nextToken: 'page-2' },
    ]);
  });

  it('show for an agent without recorded moves says so; --json has trend none and no changes', async () => {
    const { io } = await cli(['agents', 'show', 'basic-agent']);
    expect(io.stdout).toContain('trend       — (no score change recorded yet)');

    expect(await json(['agents', 'show', 'basic-agent'])).toMatchObject({
      agentId: 'basic-agent',
      trend: { direction: 'none', last: null },
      recentChanges: [],
    });
  });
});

describe('escalations', () => {
  it('ls: every page of the status asked for', async () => {
    const { io } = await cli(['escalations', 'ls']);

    const lines = io.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^ESCALATION\s+STATUS\s+WORKFLOW\s+STEP\s+AGENT\s+TIER\s+NEEDS\s+LEVEL\s+DEADLINE$/,
    );
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 8))).toEqual([
      ['esc-1', 'PENDING', WORKFLOW_ID, 'draft', 'writing-agent', 'T2', 'T3', '1/3'],
      ['esc-2', 'PENDING', WORKFLOW_ID, 'draft', 'writing-agent', 'T2', 'T3', '2/3'],
    ]);
    expect(api.requestsTo('GET /v1/escalations').map((request) => request.query)).toEqual([
      { status: 'PENDING', limit: '100' },
      { status: 'PENDING', limit: '100', nextToken: 'esc-page-2' },
    ]);
  });

  it('approve (also as escalations approve) sends the comment, or no field without one', async () => {
    const { io } = await cli(['approve', 'esc-1', '--comment', 'looks fine']);
    await cli(['escalations', 'approve', 'esc-1']);

    expect(io.stdout).toBe(
      `APPROVED esc-1 (workflow ${WORKFLOW_ID}, step draft) by alice at level 2: looks fine\n`,
    );
    expect(api.requestsTo('POST /v1/escalations/esc-1/approve').map((request) => request.body)).toEqual([
      { comment: 'looks fine' },
      {},
    ]);
  });

  it('reject sends the reason; --json is the escalation view', async () => {
    expect(await json(['reject', 'esc-1', '--reason', 'not this quarter'])).toMatchObject({
      escalationId: 'esc-1',
      status: 'REJECTED',
      reviewer: 'bob',
      reason: 'not this quarter',
    });
    expect(api.requestsTo('POST /v1/escalations/esc-1/reject')[0]!.body).toEqual({
      reason: 'not this quarter',
    });
  });
});

describe('audit verify and webhooks redrive', () => {
  it('audit verify follows nextSequence to the head and sums what was checked', async () => {
    const { code, io } = await cli(['audit', 'verify']);

    expect(code).toBe(EXIT.ok);
    expect(io.stdout).toBe(
      `audit trail valid: 25000 records and 25 checkpoints checked (full), head at sequence 25000 (${'b'.repeat(16)}…)\n`,
    );
    expect(api.requestsTo('GET /v1/audit/verify').map((request) => request.query)).toEqual([
      { mode: 'full' },
      { mode: 'full', fromSequence: '20001' },
    ]);
  });

  it('audit verify --json: one summed answer of the API’s shape', async () => {
    expect(await json(['audit', 'verify', '--from-sequence', '1'])).toEqual({
      valid: true,
      mode: 'full',
      checked: { records: 25000, checkpoints: 25 },
      head: { sequence: 25000, hash: 'b'.repeat(64) },
      range: { fromSequence: 1, toSequence: 25000 },
      nextSequence: null,
      firstBroken: null,
      requests: 2,
    });
  });

  it('webhooks redrive: how many deliveries went back', async () => {
    const { code, io } = await cli(['webhooks', 'redrive']);

    expect(code).toBe(EXIT.ok);
    expect(io.stdout).toBe(
      'moved 3 webhook deliveries from the dead-letter queue back to the delivery queue\n',
    );
    expect(await json(['webhooks', 'redrive'])).toEqual({ moved: 3 });
  });
});

describe('audit verify of a broken trail', () => {
  let broken: LocalApi;
  beforeAll(async () => {
    broken = await startLocalApi({
      'GET /v1/audit/verify': {
        body: {
          valid: false,
          mode: 'full',
          checked: { records: 417, checkpoints: 0 },
          head: { sequence: 1000, hash: 'c'.repeat(64) },
          range: { fromSequence: 1, toSequence: 417 },
          nextSequence: null,
          firstBroken: {
            sequence: 417,
            eventId: 'evt_417',
            field: 'detail',
            reason: 'does not match its digest',
          },
        },
      },
    });
  });
  afterAll(async () => {
    await broken?.close();
  });

  it('exit 1, naming the first broken record and field', async () => {
    const io = capturedIo();
    ios.push(io);

    const code = await runCli(['audit', 'verify', '--api-url', broken.url, '--api-key', 'tg_dev_key'], io);

    expect(code).toBe(EXIT.notSucceeded);
    expect(io.stdout).toContain(
      'audit trail BROKEN at sequence 417 (event evt_417): detail does not match its digest',
    );
  });
});
