// `trustgate run`: the live progress it prints while it polls GET /v1/workflows/{id} (each step once it is
// decided and once it has ended, the waits for an agent or a reviewer, the workflow's status on each
// change, nothing twice), the outcome and its exit code, and --json (the final view alone). The local API
// moves the workflow one read at a time; the io's clock only moves when the CLI sleeps between polls.
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/cli-errors.ts';
import { runCli } from '../../../cli/run-cli.ts';
import { POLL_INTERVAL_MS } from '../../../cli/workflow-progress.ts';
import type { WorkflowView } from '../../../functions/app/workflows/workflow-view.ts';
import { escalation, step, succeeded, WORKFLOW_ID, workflow } from './fixtures.ts';
import { type Answer, type CapturedIo, capturedIo, type LocalApi, startLocalApi } from './local-api.ts';

const apis: LocalApi[] = [];
const ios: CapturedIo[] = [];

afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
  for (const io of ios.splice(0)) io.cleanup();
});

/** A local API where POST /v1/workflows starts WORKFLOW_ID and each read answers the next of `reads`. */
async function apiMoving(reads: (WorkflowView | Answer)[]): Promise<LocalApi> {
  const api = await startLocalApi({
    'POST /v1/workflows': { status: 202, body: { workflowId: WORKFLOW_ID } },
    [`GET /v1/workflows/${WORKFLOW_ID}`]: reads.map((read) => ('workflowId' in read ? { body: read } : read)),
  });
  apis.push(api);
  return api;
}

async function run(
  api: LocalApi,
  args: string[],
): Promise<{ code: number; io: CapturedIo; sleeps: number[] }> {
  const io = capturedIo();
  ios.push(io);
  const sleeps: number[] = [];
  const sleep = io.sleep;
  io.sleep = (millis) => {
    sleeps.push(millis);
    return sleep(millis);
  };
  const code = await runCli(['run', ...args, '--api-url', api.url, '--api-key', 'tg_dev_key'], io);
  return { code, io, sleeps };
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

const pending = (name: string, agentId: string) => step({ name, agentId, status: 'PENDING' });
const waiting = (level: number) =>
  step({
    name: 'draft',
    agentId: 'writing-agent',
    agentTier: 'T2',
    intent: 'generate_document',
    decision: 'ESCALATE',
    reasons: ['agent tier T2 is below the required T3'],
    authorityLevel: 1,
    status: 'WAITING_APPROVAL',
    escalation: {
      escalationId: escalation().escalationId,
      level,
      deadline: `2026-01-01T0${level}:00:00.000Z`,
      status: 'PENDING',
    },
  });
const approval = {
  escalationId: escalation().escalationId,
  level: 2,
  reviewer: 'alice',
  reviewerLevel: 2,
  approvedAt: '2026-01-01T01:30:00.000Z',
  comment: 'fine',
};

describe('live progress', () => {
  it('prints each step once decided and once ended, the waits for a reviewer, and the status on each change', async () => {
    const researchDecided = step({
      name: 'research',
      agentId: 'research-agent',
      agentTier: 'T3',
      decision: 'ALLOW',
      status: 'DECIDED',
    });
    const research = succeeded('research', 'research-agent', 'T3', 500);
    const draft = { ...succeeded('draft', 'writing-agent', 'T2', 400), approval };
    const api = await apiMoving([
      workflow({ template: 'escalation', steps: [researchDecided, pending('draft', 'writing-agent')] }),
      workflow({ template: 'escalation', steps: [research, pending('draft', 'writing-agent')] }),
      workflow({ template: 'escalation', status: 'WAITING_APPROVAL', steps: [research, waiting(1)] }),
      workflow({ template: 'escalation', status: 'WAITING_APPROVAL', steps: [research, waiting(1)] }),
      workflow({ template: 'escalation', status: 'WAITING_APPROVAL', steps: [research, waiting(2)] }),
      workflow({
        template: 'escalation',
        steps: [research, { ...waiting(2), status: 'APPROVED', approval }],
      }),
      workflow({
        template: 'escalation',
        status: 'SUCCEEDED',
        steps: [research, draft],
        result: 'The note on AI regulation.',
      }),
    ]);

    const { code, io, sleeps } = await run(api, [
      'Draft a note on AI regulation',
      '--template',
      'escalation',
    ]);

    expect(code).toBe(EXIT.ok);
    expect(io.stderr).toBe('');
    const expectedInOrder = [
      `workflow ${WORKFLOW_ID} (template escalation): Draft a note on AI regulation`,
      '… RUNNING',
      '→ research       research-agent  T3  ALLOW    running',
      '✓ research       research-agent  T3  ALLOW    500 tokens, 42 ms',
      '⏸ draft          writing-agent   T2  ESCALATE waiting for a reviewer: escalation esc-0123456789abcdef0123456789abcdef, level 1, deadline 2026-01-01T01:00:00.000Z',
      '- agent tier T2 is below the required T3',
      '… WAITING_APPROVAL',
      'level 2, deadline 2026-01-01T02:00:00.000Z',
      '✔ draft          writing-agent   T2  ESCALATE approved by alice (level 2): fine',
      '… RUNNING',
      '✓ draft          writing-agent   T2  ALLOW    400 tokens, 42 ms',
      '… SUCCEEDED',
      'SUCCEEDED · 2 steps · 900 tokens · 1.5 s',
      'The note on AI regulation.',
    ];
    let from = 0;
    for (const part of expectedInOrder) {
      const at = io.stdout.indexOf(part, from);
      expect(at, `"${part}" after offset ${from} in:\n${io.stdout}`).toBeGreaterThanOrEqual(0);
      from = at + part.length;
    }
    expect(occurrences(io.stdout, '✓ research')).toBe(1);
    expect(occurrences(io.stdout, '→ research')).toBe(1);
    expect(occurrences(io.stdout, 'level 1, deadline')).toBe(1);
    expect(occurrences(io.stdout, '… WAITING_APPROVAL')).toBe(1);
    expect(api.requestsTo(`GET /v1/workflows/${WORKFLOW_ID}`)).toHaveLength(7);
    expect(sleeps).toEqual(Array(6).fill(POLL_INTERVAL_MS));
    expect(POLL_INTERVAL_MS).toBe(200);
  });

  it('shows a step queued for a qualified agent, once per routing attempt', async () => {
    const queued = (attempts: number) =>
      step({
        name: 'research',
        role: 'general',
        status: 'QUEUED',
        routing: {
          preference: 'cost',
          attempts,
          reason: 'no agent of role general at or above T3 with a closed breaker',
          nextAttemptAt: `2026-01-01T00:00:0${attempts * 5}.000Z`,
        },
      });
    const api = await apiMoving([
      workflow({ template: 'routing', status: 'QUEUED', steps: [queued(1)] }),
      workflow({ template: 'routing', status: 'QUEUED', steps: [queued(1)] }),
      workflow({ template: 'routing', status: 'QUEUED', steps: [queued(2)] }),
      workflow({
        template: 'routing',
        status: 'FAILED',
        steps: [
          {
            ...queued(2),
            status: 'FAILED',
            error: { code: 'no_qualified_agent', message: 'nobody qualified' },
          },
        ],
        error: { code: 'no_qualified_agent', message: 'nobody qualified after 2 attempts', step: 'research' },
      }),
    ]);

    const { code, io } = await run(api, ['Summarize', '--template', 'routing']);

    expect(code).toBe(EXIT.notSucceeded);
    expect(io.stdout).toContain(
      '… research       (role general)  --  --       queued: no agent of role general at or above T3 with a closed breaker; next attempt 2026-01-01T00:00:05.000Z',
    );
    expect(occurrences(io.stdout, 'queued: ')).toBe(2);
    expect(occurrences(io.stdout, '… QUEUED')).toBe(1);
    expect(io.stdout).toContain('no_qualified_agent at step research: nobody qualified after 2 attempts');
  });
});

describe('the outcome and its exit code', () => {
  const deniedView = workflow({
    template: null,
    status: 'FAILED',
    steps: [
      step({
        name: 'overreach',
        agentId: 'writing-agent',
        agentTier: 'T2',
        decision: 'DENY',
        reasons: ['search_web is not in the manifest of writing-agent', 'no Cedar policy permits it'],
        status: 'FAILED',
        error: { code: 'step_denied', message: 'writing-agent may not search_web on web' },
      }),
    ],
    error: { code: 'step_denied', message: 'writing-agent may not search_web on web', step: 'overreach' },
  });

  it('a DENY: exit 1, the failed step with its decision, and every reason', async () => {
    const api = await apiMoving([deniedView]);

    const { code, io } = await run(api, ['Write report on AI trends']);

    expect(code).toBe(EXIT.notSucceeded);
    expect(io.stdout).toContain(
      '✗ overreach      writing-agent   T2  DENY     step_denied: writing-agent may not search_web on web',
    );
    expect(io.stdout).toContain('FAILED · 1 step · 0 tokens');
    expect(io.stdout).toContain('step_denied at step overreach: writing-agent may not search_web on web');
    expect(io.stdout).toContain('- search_web is not in the manifest of writing-agent');
    expect(io.stdout).toContain('- no Cedar policy permits it');
  });

  it('a saga that compensated: exit 1, the undone steps shown', async () => {
    const reserve = {
      ...succeeded('reserve-budget', 'analysis-agent', 'T4', 300),
      status: 'COMPENSATED' as const,
      compensation: {
        order: 1,
        action: 'released the reserved budget',
        compensatedAt: '2026-01-01T00:00:01.000Z',
      },
    };
    const api = await apiMoving([
      workflow({
        template: 'saga',
        type: 'saga',
        status: 'COMPENSATED',
        steps: [
          reserve,
          step({
            name: 'commit',
            agentId: 'writing-agent',
            agentTier: 'T2',
            decision: 'ALLOW',
            status: 'FAILED',
            error: { code: 'injected_failure', message: 'commit failed as asked' },
          }),
        ],
        error: { code: 'injected_failure', message: 'commit failed as asked', step: 'commit' },
      }),
    ]);

    const { code, io } = await run(api, ['Run the batch', '--template', 'saga']);

    expect(code).toBe(EXIT.notSucceeded);
    expect(io.stdout).toContain(
      '↺ reserve-budget analysis-agent  T4  ALLOW    compensated #1: released the reserved budget',
    );
    expect(io.stdout).toContain('COMPENSATED · 2 steps');
    expect(io.stdout).toContain('injected_failure at step commit: commit failed as asked');
  });

  it('--json: stdout is the final workflow view alone, whatever happened in between', async () => {
    const api = await apiMoving([
      workflow({
        steps: [step({ name: 'research', agentId: 'research-agent', decision: 'ALLOW', status: 'DECIDED' })],
      }),
      deniedView,
    ]);

    const { code, io } = await run(api, ['Write report on AI trends', '--json']);

    expect(code).toBe(EXIT.notSucceeded);
    expect(JSON.parse(io.stdout)).toEqual(deniedView);
    expect(io.stderr).toBe('');
  });

  it('--json on success: exit 0 and the view with the result', async () => {
    const done = workflow({
      status: 'SUCCEEDED',
      steps: [succeeded('research', 'research-agent', 'T3', 500)],
      result: 'the report',
    });
    const api = await apiMoving([done]);

    const { code, io } = await run(api, ['Write report on AI trends', '--json']);

    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(io.stdout)).toEqual(done);
  });

  it('not ended within --timeout: exit 1, says the workflow runs on and how to follow it', async () => {
    const api = await apiMoving([workflow({ status: 'WAITING_APPROVAL', steps: [waiting(1)] })]);

    const { code, io } = await run(api, ['Draft a note', '--template', 'escalation', '--timeout', '2']);

    expect(code).toBe(EXIT.notSucceeded);
    expect(io.stderr).toBe(
      `trustgate: workflow ${WORKFLOW_ID} is still WAITING_APPROVAL after 2 s; follow it with: trustgate workflows show ${WORKFLOW_ID}\n`,
    );
    expect(api.requestsTo(`GET /v1/workflows/${WORKFLOW_ID}`)).toHaveLength(2000 / POLL_INTERVAL_MS + 1);
  });

  it('polls on through a 429 (the tenant’s bucket drained) and ends as the workflow does', async () => {
    const api = await apiMoving([
      { status: 429, body: { error: { code: 'rate_limited', message: 'retry after 1 s', details: [] } } },
      workflow({
        status: 'SUCCEEDED',
        steps: [succeeded('research', 'research-agent', 'T3', 500)],
        result: 'ok',
      }),
    ]);

    const { code } = await run(api, ['Write report on AI trends']);

    expect(code).toBe(EXIT.ok);
  });

  it('a start the API refuses: exit 3 with the field, and no polling', async () => {
    const api = await startLocalApi({
      'POST /v1/workflows': {
        status: 400,
        body: {
          error: {
            code: 'validation_failed',
            message: 'the request is invalid',
            details: [
              { field: 'steps.0.requiredTier', message: 'Invalid option: expected one of "T0"|"T1"' },
            ],
          },
        },
      },
    });
    apis.push(api);

    const { code, io } = await run(api, ['Write report on AI trends']);

    expect(code).toBe(EXIT.refused);
    expect(io.stderr).toContain(
      'POST /v1/workflows was refused: 400 validation_failed: the request is invalid',
    );
    expect(io.stderr).toContain('steps.0.requiredTier: Invalid option');
    expect(api.requests.map((request) => request.method)).toEqual(['POST']);
  });
});
