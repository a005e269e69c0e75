// The circuit breaker as a user meets it (SPEC §6; docs/backend.md "While a breaker is open"): an agent whose
// provider keeps failing trips its breaker through real failed calls (an OpenAI-compatible endpoint nobody
// listens on), and from then on its steps are never a silent success: an explicit degraded answer while no
// other agent of its role qualifies, the step handed over to one once it is registered.
import { describe, expect, it } from 'vitest';
import { demoAgentRegistration } from '../../../scripts/demo-fleet.ts';
import {
  pollWorkflowUntilEnded,
  startWorkflow,
  type WorkflowView,
} from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { demoAgent, freshTenant, registerAgent } from '../support/tenant-fleet.ts';

const FLOW_TIMEOUT_MS = 120_000;
/** Enough workflows for the failures to pass the breaker's thresholds (5 failures; each run retries twice). */
const MAX_FAILING_RUNS = 4;
/** The discard port: every call is refused, a transient failure the gate retries and the breaker counts. */
const UNREACHABLE_PROVIDER = { kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-test' };

const RESEARCH_ONLY = {
  type: 'sequential',
  input: { task: 'Collect the latest AI agent benchmarks' },
  steps: [{ name: 'research', agentId: 'research-agent', requiredTier: 'T3', intent: 'search_web' }],
};

export function breakerFlowSuite(target: E2eTarget): void {
  describe('a step whose agent breaker is open', () => {
    it(
      'gets an explicit degraded answer once failures open the breaker, then a fallback agent of the role',
      async () => {
        const tenant = await freshTenant(target, 'breaker');
        const research = demoAgent('research-agent');
        const registered = await fetch(`${target.apiUrl}/v1/agents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...tenant.headers },
          body: JSON.stringify({ ...demoAgentRegistration(research), provider: UNREACHABLE_PROVIDER }),
        });
        expect(registered.status).toBe(201);
        const run = async (): Promise<WorkflowView> => {
          const workflowId = await startWorkflow(target.apiUrl, RESEARCH_ONLY, tenant.headers);
          return pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
        };

        const failed: WorkflowView[] = [];
        let degraded: WorkflowView | undefined;
        while (degraded === undefined && failed.length < MAX_FAILING_RUNS) {
          const workflow = await run();
          if (workflow.status === 'SUCCEEDED') degraded = workflow;
          else failed.push(workflow);
        }
        expect(failed.length).toBeGreaterThan(0);
        for (const workflow of failed) {
          expect(workflow).toMatchObject({ status: 'FAILED', error: { code: 'provider_failed' } });
        }
        expect(degraded).toBeDefined();
        expect(degraded!.degradedSteps).toEqual(['research']);
        expect(degraded!.steps[0]).toMatchObject({
          agentId: 'research-agent',
          decision: 'ALLOW',
          servedBy: { kind: 'degraded', reason: 'circuit_open' },
          tokens: { input: 0, output: 0 },
        });
        expect(degraded!.steps[0]!.output).toMatch(/^\[degraded\] No agent produced this output\./);
        expect(degraded!.result).toBe(degraded!.steps[0]!.output);
        const agent = await fetch(`${target.apiUrl}/v1/agents/research-agent`, { headers: tenant.headers });
        const { breaker } = (await agent.json()) as { breaker: { status: string; failureCount: number } };
        expect(breaker.status).toBe('OPEN');
        expect(breaker.failureCount).toBeGreaterThanOrEqual(5);

        // A second research agent qualifies: the next step is handed over and really runs.
        await registerAgent(target.apiUrl, tenant, {
          ...research,
          agentId: 'research-backup',
          name: 'Backup',
        });
        const handedOver = await run();
        expect(handedOver.error).toBeNull();
        expect(handedOver.status).toBe('SUCCEEDED');
        expect(handedOver.degradedSteps).toEqual([]);
        expect(handedOver.steps[0]).toMatchObject({
          agentId: 'research-backup',
          servedBy: { kind: 'agent' },
          handover: { fromAgentId: 'research-agent', reason: 'circuit_open' },
        });
        expect(handedOver.steps[0]!.tokens!.output).toBeGreaterThan(0);
      },
      FLOW_TIMEOUT_MS,
    );
  });
}
