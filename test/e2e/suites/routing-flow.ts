// Trust-based routing (SPEC §4.3; docs/backend.md, the route function): a step that names a role, not an
// agent, is given the best qualified agent of that role under the workflow's preference. Nobody qualified
// → the step is QUEUED and routed again after a backoff, a bounded number of times; an agent that
// registers meanwhile takes the step. Short backoffs come from the request's `queue` settings.
import { describe, expect, it } from 'vitest';
import {
  pollWorkflowUntilEnded,
  pollWorkflowUntilStatus,
  startWorkflow,
  type WorkflowView,
} from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { demoAgent, freshTenant, registerAgent, tenantWithAgents } from '../support/tenant-fleet.ts';

const FLOW_TIMEOUT_MS = 90_000;

const GENERAL_AGENTS = ['premium-agent', 'standard-agent', 'basic-agent'];

/** A step for a role that a fresh tenant has no agent of. */
const TRIAGE_STEP = {
  name: 'triage',
  role: 'triage',
  requiredTier: 'T2',
  intent: 'generate_document',
  resource: { id: 'triage-notes', type: 'document' },
};

/** A writing agent (generate_document on documents) of role triage, at the given demo agent's score. */
function triageAgent(agentId: string, scoreOf: string) {
  return { ...demoAgent(scoreOf), agentId, name: agentId, role: 'triage' };
}

export function routingFlowSuite(target: E2eTarget): void {
  describe('trust-based routing', () => {
    it(
      'gives the same step to different agents under the cost and the quality preference',
      async () => {
        const tenant = await tenantWithAgents(target, 'routing', GENERAL_AGENTS);
        const run = async (preference: 'cost' | 'quality'): Promise<WorkflowView> => {
          const workflowId = await startWorkflow(
            target.apiUrl,
            { template: 'routing', input: { task: 'Summarize the state of AI agents' }, preference },
            tenant.headers,
          );
          return pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
        };
        const cheapest = await run('cost');
        const best = await run('quality');

        for (const [workflow, agentId, preference] of [
          [cheapest, 'standard-agent', 'cost'],
          [best, 'premium-agent', 'quality'],
        ] as const) {
          expect(workflow.error).toBeNull();
          expect(workflow).toMatchObject({ status: 'SUCCEEDED', options: { preference } });
          const [research] = workflow.steps;
          // basic-agent (T1) never qualifies for a T3 step; of the two that do, the preference decides.
          expect(research).toMatchObject({
            name: 'research',
            role: 'general',
            agentId,
            status: 'SUCCEEDED',
            decision: 'ALLOW',
            routing: { preference, attempts: 1 },
          });
          expect(research!.routing!.reason).not.toBe('');
        }
        expect(cheapest.steps[0]!.costUsd).toBeLessThan(best.steps[0]!.costUsd!);
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'queues a step nobody qualifies for until a qualified agent registers, then runs it with that agent',
      async () => {
        const tenant = await freshTenant(target, 'queue');
        // Of role triage, but a T1: below the step's T2.
        await registerAgent(target.apiUrl, tenant, triageAgent('triage-intern', 'basic-agent'));
        const workflowId = await startWorkflow(
          target.apiUrl,
          {
            type: 'sequential',
            input: { task: 'Triage the incoming support tickets' },
            steps: [TRIAGE_STEP],
            queue: { maxAttempts: 10, delaySeconds: 1, backoffRate: 1, maxDelaySeconds: 1 },
          },
          tenant.headers,
        );
        const queued = await pollWorkflowUntilStatus(target.apiUrl, workflowId, 'QUEUED', {
          headers: tenant.headers,
        });
        expect(queued.steps[0]).toMatchObject({ status: 'QUEUED', agentId: null, role: 'triage' });
        expect(queued.steps[0]!.routing!.attempts).toBeGreaterThanOrEqual(1);
        expect(queued.steps[0]!.routing!.reason).not.toBe('');

        // A T2 of role triage (the writing agent's score) qualifies.
        await registerAgent(target.apiUrl, tenant, triageAgent('triage-agent', 'writing-agent'));
        const workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
        expect(workflow.error).toBeNull();
        expect(workflow.status).toBe('SUCCEEDED');
        expect(workflow.steps[0]).toMatchObject({
          agentId: 'triage-agent',
          agentTier: 'T2',
          status: 'SUCCEEDED',
          decision: 'ALLOW',
        });
        expect(workflow.steps[0]!.routing!.attempts).toBeGreaterThan(1);
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'fails with no_qualified_agent once the queue’s attempts are used up',
      async () => {
        const tenant = await freshTenant(target, 'queue-bounded');
        const workflowId = await startWorkflow(
          target.apiUrl,
          {
            type: 'sequential',
            input: { task: 'Triage the incoming support tickets' },
            steps: [TRIAGE_STEP],
            queue: { maxAttempts: 2, delaySeconds: 1, backoffRate: 1, maxDelaySeconds: 1 },
          },
          tenant.headers,
        );
        const workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
        expect(workflow.status).toBe('FAILED');
        expect(workflow.error).toMatchObject({ code: 'no_qualified_agent', step: 'triage' });
        expect(workflow.steps[0]).toMatchObject({
          status: 'FAILED',
          agentId: null,
          decision: null,
          error: { code: 'no_qualified_agent' },
        });
      },
      FLOW_TIMEOUT_MS,
    );
  });
}
