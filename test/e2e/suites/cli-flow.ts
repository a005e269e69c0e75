// The trustgate CLI end to end: the real `bin/trustgate.mjs` spawned as a user runs it (node, tsx, the
// TypeScript sources of the checkout), against the target's API with a fresh tenant's key. The report
// pipeline runs live to exit 0 with its three steps printed; a step the gate denies ends the run with exit
// 1 and the reason; --json output parses; a reviewer answers an escalation through the CLI while `run`
// waits on it; the trend of `agents ls` follows the trust calculator; a 4xx is exit 3.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationView } from '../../../functions/app/escalations/escalation-view.ts';
import type { WorkflowSummaryView, WorkflowView } from '../../../functions/app/workflows/workflow-view.ts';
import { listEscalations } from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { type E2eTenant, tenantWithAgents } from '../support/tenant-fleet.ts';

const BIN = fileURLToPath(new URL('../../../bin/trustgate.mjs', import.meta.url));
const FLOW_TIMEOUT_MS = 90_000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The tenant's key, as the CLI takes it (`--api-key`). */
function keyOf(tenant: E2eTenant): string {
  return tenant.headers.authorization!.replace(/^Bearer /, '');
}

/** Spawns the CLI with the target's URL and the tenant's key, outside any TRUSTGATE_* of the environment. */
function trustgate(target: E2eTarget, tenant: E2eTenant, args: string[]): Promise<CliRun> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TRUSTGATE_')),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--api-url', target.apiUrl, '--api-key', keyOf(tenant)],
      { env, timeout: FLOW_TIMEOUT_MS - 10_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

export function cliFlowSuite(target: E2eTarget): void {
  describe('the trustgate CLI', () => {
    let tenant: E2eTenant;
    let scratch: string;
    let overreach: string;

    beforeAll(async () => {
      tenant = await tenantWithAgents(target, 'cli', ['research-agent', 'analysis-agent', 'writing-agent']);
      scratch = mkdtempSync(join(tmpdir(), 'trustgate-cli-e2e-'));
      // writing-agent asked for an action outside its manifest: the gate denies it (gate-denial.ts).
      overreach = join(scratch, 'overreach.json');
      writeFileSync(
        overreach,
        JSON.stringify([
          {
            name: 'overreach',
            agentId: 'writing-agent',
            requiredTier: 'T2',
            intent: 'search_web',
            resource: { id: 'ai-trends', type: 'reports' },
          },
        ]),
      );
    });

    afterAll(() => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    it(
      'run "Write report on AI trends": exit 0, the three gated steps printed live, then the report',
      async () => {
        const { code, stdout, stderr } = await trustgate(target, tenant, [
          'run',
          'Write report on AI trends',
        ]);

        expect(stderr).toBe('');
        expect(code, stdout).toBe(0);
        const workflowId = /^workflow (\S+) \(template report\): Write report on AI trends$/m.exec(
          stdout,
        )?.[1];
        expect(workflowId).toBeDefined();
        for (const [name, agentId, tier] of [
          ['research', 'research-agent', 'T3'],
          ['analysis', 'analysis-agent', 'T4'],
          ['writing', 'writing-agent', 'T2'],
        ]) {
          expect(stdout).toMatch(
            new RegExp(
              `^ {2}✓ ${name}\\s+${agentId}\\s+${tier}\\s+ALLOW\\s+\\d+ tokens, \\d+(\\.\\d)? m?s$`,
              'm',
            ),
          );
        }
        expect(stdout).toMatch(/^SUCCEEDED · 3 steps · \d+ tokens/m);
        expect(stdout).toContain('… SUCCEEDED');
        // The report (the writing step's output) follows the summary line.
        expect(stdout.split(/^SUCCEEDED · .*$/m)[1]!.trim()).not.toBe('');
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'a step the gate denies: exit 1, the failed step, its DENY and the reasons printed',
      async () => {
        const { code, stdout } = await trustgate(target, tenant, [
          'run',
          'Write report on AI trends',
          '--steps',
          overreach,
        ]);

        expect(code).toBe(1);
        expect(stdout).toMatch(/^ {2}✗ overreach\s+writing-agent\s+T2\s+DENY\s+step_denied: /m);
        expect(stdout).toMatch(/^step_denied at step overreach: .*search_web/m);
        expect(stdout).toMatch(/^ {4}- \S/m);
        expect(stdout).toContain('… FAILED');
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      '--json: run (denied, then succeeded), workflows ls and workflows show print one JSON document each',
      async () => {
        const deniedRun = await trustgate(target, tenant, [
          'run',
          'Overreach',
          '--steps',
          overreach,
          '--json',
        ]);
        expect(deniedRun.code).toBe(1);
        const denied = JSON.parse(deniedRun.stdout) as WorkflowView;
        expect(denied).toMatchObject({ status: 'FAILED', error: { code: 'step_denied', step: 'overreach' } });
        expect(denied.steps[0]).toMatchObject({ decision: 'DENY', status: 'FAILED' });

        const run = await trustgate(target, tenant, ['run', 'Write report on AI trends', '--json']);
        expect(run.code).toBe(0);
        const workflow = JSON.parse(run.stdout) as WorkflowView;
        expect(workflow).toMatchObject({ template: 'report', status: 'SUCCEEDED' });
        expect(workflow.steps.map((step) => [step.name, step.decision])).toEqual([
          ['research', 'ALLOW'],
          ['analysis', 'ALLOW'],
          ['writing', 'ALLOW'],
        ]);

        // Newest first: the report just run, then the denied one before it.
        const listed = await trustgate(target, tenant, ['workflows', 'ls', '--limit', '2', '--json']);
        expect(listed.code).toBe(0);
        const page = JSON.parse(listed.stdout) as { items: WorkflowSummaryView[]; nextToken: string | null };
        expect(page.items.map((item) => [item.workflowId, item.status])).toEqual([
          [workflow.workflowId, 'SUCCEEDED'],
          [denied.workflowId, 'FAILED'],
        ]);

        const failed = await trustgate(target, tenant, ['workflows', 'ls', '--status', 'failed', '--json']);
        const failedItems = (JSON.parse(failed.stdout) as { items: WorkflowSummaryView[] }).items;
        expect(failedItems[0]).toMatchObject({
          workflowId: denied.workflowId,
          error: { code: 'step_denied' },
        });
        expect(failedItems.every((item) => item.status === 'FAILED')).toBe(true);

        const shown = await trustgate(target, tenant, ['workflows', 'show', workflow.workflowId, '--json']);
        expect(shown.code).toBe(0);
        expect(JSON.parse(shown.stdout)).toEqual(workflow);
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'run waits at WAITING_APPROVAL while a reviewer approves through the CLI, then ends SUCCEEDED',
      async () => {
        // A tenant of its own: the reports above move writing-agent's score, which may lift it out of T2.
        const reviewing = await tenantWithAgents(target, 'cli-esc', ['research-agent', 'writing-agent']);
        const running = trustgate(target, reviewing, [
          'run',
          'Draft a note on AI regulation',
          '--template',
          'escalation',
          '--timeout',
          '60',
        ]);
        // Wait over HTTP (spawning the CLI per poll would be slow) until the step has escalated.
        let waiting: EscalationView[] = [];
        for (let attempt = 0; attempt < 120 && waiting.length === 0; attempt++) {
          waiting = await listEscalations(target.apiUrl, 'PENDING', reviewing.headers);
          if (waiting.length === 0) await sleep(250);
        }
        const listed = await trustgate(target, reviewing, ['escalations', 'ls', '--json']);
        expect(listed.code).toBe(0);
        const [pending] = (JSON.parse(listed.stdout) as { items: EscalationView[] }).items;
        expect(pending).toMatchObject({
          escalationId: waiting[0]?.escalationId,
          step: 'draft',
          agentId: 'writing-agent',
          level: 1,
          status: 'PENDING',
        });

        const approved = await trustgate(target, reviewing, [
          'approve',
          pending!.escalationId,
          '--comment',
          'approved from the CLI',
        ]);
        expect(approved.code, approved.stderr).toBe(0);
        expect(approved.stdout).toMatch(
          new RegExp(`^APPROVED ${pending!.escalationId} .*: approved from the CLI$`, 'm'),
        );

        const { code, stdout, stderr } = await running;
        expect(code, `${stdout}\n${stderr}`).toBe(0);
        expect(stdout).toContain('… WAITING_APPROVAL');
        expect(stdout).toMatch(
          new RegExp(
            `^ {2}⏸ draft\\s+writing-agent\\s+T2\\s+ESCALATE\\s+waiting for a reviewer: escalation ${pending!.escalationId}, level 1`,
            'm',
          ),
        );
        expect(stdout).toMatch(/^ {2}✓ draft\s+writing-agent\s+T2\s+ALLOW/m);
        expect(stdout).toMatch(/^SUCCEEDED · 2 steps/m);
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'agents ls: the tenant’s agents with score and tier, and a trend once the trust calculator has moved them',
      async () => {
        let agents: { agentId: string; tier: string; trend: { direction: string; last: unknown } }[] = [];
        for (let attempt = 0; attempt < 30; attempt++) {
          const listed = await trustgate(target, tenant, ['agents', 'ls', '--json']);
          expect(listed.code).toBe(0);
          agents = (JSON.parse(listed.stdout) as { items: typeof agents }).items;
          if (agents.find((agent) => agent.agentId === 'research-agent')?.trend.last) break;
          await sleep(1000);
        }
        expect(agents.map((agent) => agent.agentId).sort()).toEqual([
          'analysis-agent',
          'research-agent',
          'writing-agent',
        ]);
        // research-agent's steps all succeeded: its last recorded move is one, in the direction of its delta.
        const { trend } = agents.find((agent) => agent.agentId === 'research-agent')!;
        expect(trend.last).toMatchObject({ cause: 'execution_outcome', delta: expect.any(Number) });
        const { delta } = trend.last as { delta: number };
        expect(trend.direction).toBe(delta < 0 ? 'down' : 'up');

        const table = await trustgate(target, tenant, ['agents', 'ls']);
        expect(table.stdout).toMatch(
          new RegExp(
            `^research-agent\\s+research\\s+\\d+\\.\\d\\s+T\\d \\S+\\s+${delta < 0 ? '↓ −' : '↑ \\+'}\\d+\\.\\d \\(execution_outcome\\)`,
            'm',
          ),
        );
      },
      FLOW_TIMEOUT_MS,
    );

    it('a request the API refuses: exit 3 with the error code', async () => {
      const { code, stdout, stderr } = await trustgate(target, tenant, [
        'workflows',
        'show',
        'no-such-workflow',
      ]);

      expect(code).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toContain('404 workflow_not_found');
    });
  });
}
