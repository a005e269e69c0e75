// Human escalation (docs/backend.md "Escalations"; SPEC §3): the writing agent, a T2, is asked for T3 work,
// so the gate says ESCALATE at authority level 1 and the step waits for a reviewer. Approve → the step runs;
// reject → the workflow fails with the reviewer's reason; an SLA that expires raises the escalation one
// level (a level-1 reviewer may then no longer answer), and past the workflow's maximum level it denies.
// SLAs of seconds come from the request's `escalation` settings.
import { describe, expect, it } from 'vitest';
import {
  approveEscalation,
  listEscalations,
  pollEscalation,
  pollWorkflowUntilEnded,
  pollWorkflowUntilStatus,
  rejectEscalation,
  startWorkflow,
} from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { call } from '../support/http.ts';
import { type E2eTenant, freshTenant, tenantKeyHeaders, tenantWithAgents } from '../support/tenant-fleet.ts';

/** A reviewer key of the tenant at `level`, named `name` (the reviewer the answer records). */
function reviewerKey(target: E2eTarget, tenant: E2eTenant, level: number, name: string) {
  return tenantKeyHeaders(target, tenant, { name, roles: ['reviewer'], reviewerLevel: level });
}

const FLOW_TIMEOUT_MS = 90_000;

async function startEscalationWorkflow(
  target: E2eTarget,
  label: string,
  escalation: { slaSeconds: number; maxLevel: number },
): Promise<{ tenant: E2eTenant; workflowId: string }> {
  const tenant = await tenantWithAgents(target, label, ['research-agent', 'writing-agent']);
  const workflowId = await startWorkflow(
    target.apiUrl,
    { template: 'escalation', input: { task: 'Draft a note on AI regulation' }, escalation },
    tenant.headers,
  );
  return { tenant, workflowId };
}

export function escalationFlowSuite(target: E2eTarget): void {
  describe('human escalation', () => {
    it(
      'waits for a reviewer at level 1, and runs the step once a level-1 reviewer approves',
      async () => {
        const { tenant, workflowId } = await startEscalationWorkflow(target, 'esc-approve', {
          slaSeconds: 30,
          maxLevel: 3,
        });
        const waiting = await pollWorkflowUntilStatus(target.apiUrl, workflowId, 'WAITING_APPROVAL', {
          headers: tenant.headers,
        });
        const [research, draft] = waiting.steps;
        expect(research).toMatchObject({ status: 'SUCCEEDED', decision: 'ALLOW' });
        expect(draft).toMatchObject({
          name: 'draft',
          agentId: 'writing-agent',
          status: 'WAITING_APPROVAL',
          decision: 'ESCALATE',
          agentTier: 'T2',
          escalation: { level: 1, status: 'PENDING' },
        });

        const pending = await listEscalations(target.apiUrl, 'PENDING', tenant.headers);
        expect(pending).toHaveLength(1);
        const [escalation] = pending;
        expect(escalation).toMatchObject({
          escalationId: draft!.escalation!.escalationId,
          workflowId,
          step: 'draft',
          stepIndex: 1,
          agentId: 'writing-agent',
          intent: 'generate_document',
          requiredTier: 'T3',
          agentTier: 'T2',
          level: 1,
          maxLevel: 3,
          status: 'PENDING',
          reviewer: null,
        });
        expect(escalation!.reasons.length).toBeGreaterThan(0);
        expect(Date.parse(escalation!.deadline)).toBeGreaterThan(Date.now());

        // Another tenant neither sees nor answers it.
        const stranger = await freshTenant(target, 'esc-stranger');
        expect(await listEscalations(target.apiUrl, 'PENDING', stranger.headers)).toEqual([]);
        const foreign = await call(
          'POST',
          `${target.apiUrl}/v1/escalations/${escalation!.escalationId}/approve`,
          { body: {}, headers: await reviewerKey(target, stranger, 3, 'mallory') },
        );
        expect(foreign.status).toBe(404);
        expect(foreign.body).toMatchObject({ error: { code: 'escalation_not_found' } });

        const approved = await approveEscalation(
          target.apiUrl,
          escalation!.escalationId,
          { comment: 'fine for an internal note' },
          await reviewerKey(target, tenant, 1, 'alice'),
        );
        expect(approved).toMatchObject({
          status: 'APPROVED',
          reviewer: 'alice',
          reviewerLevel: 1,
          comment: 'fine for an internal note',
        });

        const workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
        expect(workflow.error).toBeNull();
        expect(workflow.status).toBe('SUCCEEDED');
        expect(workflow.steps[1]).toMatchObject({
          status: 'SUCCEEDED',
          decision: 'ALLOW',
          approval: {
            escalationId: escalation!.escalationId,
            level: 1,
            reviewer: 'alice',
            reviewerLevel: 1,
          },
        });
        expect(workflow.steps[1]!.output!.trim()).not.toBe('');
        expect(workflow.result).toBe(workflow.steps[1]!.output);
        expect(await listEscalations(target.apiUrl, 'PENDING', tenant.headers)).toEqual([]);
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'fails the workflow with escalation_rejected and the reviewer’s reason when the reviewer rejects',
      async () => {
        const { tenant, workflowId } = await startEscalationWorkflow(target, 'esc-reject', {
          slaSeconds: 30,
          maxLevel: 3,
        });
        const escalation = await pollEscalation(target.apiUrl, workflowId, { headers: tenant.headers });
        const reason = 'regulatory drafts need a senior writer';
        const rejected = await rejectEscalation(
          target.apiUrl,
          escalation.escalationId,
          { reason },
          await reviewerKey(target, tenant, 1, 'bob'),
        );
        expect(rejected).toMatchObject({ status: 'REJECTED', reviewer: 'bob', reviewerLevel: 1, reason });

        const workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
        expect(workflow.status).toBe('FAILED');
        expect(workflow.error).toMatchObject({ code: 'escalation_rejected', step: 'draft' });
        expect(workflow.error!.message).toContain(reason);
        expect(workflow.steps[1]).toMatchObject({
          status: 'FAILED',
          output: null,
          error: { code: 'escalation_rejected' },
        });
        expect(workflow.result).toBeNull();
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'raises the escalation to level 2 when the SLA expires; only a level-2 reviewer may then approve',
      async () => {
        const { tenant, workflowId } = await startEscalationWorkflow(target, 'esc-sla', {
          slaSeconds: 3,
          maxLevel: 3,
        });
        // Made while level 1's SLA runs out, so the answers below go out at once.
        const alice = await reviewerKey(target, tenant, 1, 'alice');
        const carol = await reviewerKey(target, tenant, 2, 'carol');
        const raised = await pollEscalation(target.apiUrl, workflowId, {
          headers: tenant.headers,
          wanted: (escalation) => escalation.level === 2,
        });
        expect(raised).toMatchObject({ step: 'draft', status: 'PENDING', level: 2 });
        // Answer at once: level 2 has its own 3 s SLA.
        const tooLow = await call('POST', `${target.apiUrl}/v1/escalations/${raised.escalationId}/approve`, {
          body: {},
          headers: alice,
        });
        await approveEscalation(target.apiUrl, raised.escalationId, {}, carol);

        expect(tooLow.status).toBe(403);
        expect(tooLow.body).toMatchObject({ error: { code: 'insufficient_authority' } });
        const timedOut = (await listEscalations(target.apiUrl, 'TIMED_OUT', tenant.headers)).filter(
          (escalation) => escalation.workflowId === workflowId,
        );
        expect(timedOut).toHaveLength(1);
        expect(timedOut[0]).toMatchObject({ step: 'draft', level: 1, status: 'TIMED_OUT' });
        expect(timedOut[0]!.escalationId).not.toBe(raised.escalationId);

        const workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
        expect(workflow.error).toBeNull();
        expect(workflow.status).toBe('SUCCEEDED');
        expect(workflow.steps[1]).toMatchObject({
          status: 'SUCCEEDED',
          decision: 'ALLOW',
          approval: { escalationId: raised.escalationId, level: 2, reviewer: 'carol', reviewerLevel: 2 },
        });
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'denies with escalation_timed_out when the SLA expires at the maximum level',
      async () => {
        const { tenant, workflowId } = await startEscalationWorkflow(target, 'esc-timeout', {
          slaSeconds: 1,
          maxLevel: 2,
        });
        const workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
        expect(workflow.status).toBe('FAILED');
        expect(workflow.error).toMatchObject({ code: 'escalation_timed_out', step: 'draft' });
        expect(workflow.steps[1]).toMatchObject({
          status: 'FAILED',
          output: null,
          approval: null,
          error: { code: 'escalation_timed_out' },
        });
        const timedOut = await listEscalations(target.apiUrl, 'TIMED_OUT', tenant.headers);
        expect(timedOut.map((escalation) => escalation.level).sort()).toEqual([1, 2]);
        expect(await listEscalations(target.apiUrl, 'PENDING', tenant.headers)).toEqual([]);
      },
      FLOW_TIMEOUT_MS,
    );
  });
}
