// The saga (docs/backend.md "Flows", Saga): reserve-budget → process → commit, each gated. When a step
// fails, the steps that succeeded are compensated in reverse order, each exactly once, and the workflow
// ends COMPENSATED naming the step that failed. `input.failAt` injects the failure (never in production).
import { describe, expect, it } from 'vitest';
import {
  pollWorkflowUntilEnded,
  startWorkflow,
  type WorkflowView,
} from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { tenantWithAgents } from '../support/tenant-fleet.ts';

const FLOW_TIMEOUT_MS = 90_000;

async function runSaga(
  target: E2eTarget,
  label: string,
  input: Record<string, unknown>,
): Promise<WorkflowView> {
  const tenant = await tenantWithAgents(target, label, ['analysis-agent', 'writing-agent']);
  const workflowId = await startWorkflow(target.apiUrl, { template: 'saga', input }, tenant.headers);
  return pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
}

export function sagaFlowSuite(target: E2eTarget): void {
  describe('the saga', () => {
    it(
      'compensates process, then reserve-budget, exactly once each when commit fails',
      async () => {
        const workflow = await runSaga(target, 'saga-fail', {
          task: 'Run the quarterly batch job',
          failAt: 'commit',
        });
        expect(workflow).toMatchObject({ type: 'saga', status: 'COMPENSATED', result: null });
        expect(workflow.error).toMatchObject({ code: 'injected_failure', step: 'commit' });

        const [reserve, process, commit] = workflow.steps;
        // The failure came after commit's decision: it was allowed, then failed, with nothing produced.
        expect(commit).toMatchObject({
          name: 'commit',
          status: 'FAILED',
          decision: 'ALLOW',
          output: null,
          compensation: null,
          error: { code: 'injected_failure' },
        });
        // Reverse order: the last step that succeeded is undone first. A compensation is written only over
        // a SUCCEEDED step, so each step's one record (and orders 1 and 2, no more) means once each.
        expect(process).toMatchObject({ name: 'process', status: 'COMPENSATED', compensation: { order: 1 } });
        expect(reserve).toMatchObject({
          name: 'reserve-budget',
          status: 'COMPENSATED',
          compensation: { order: 2 },
        });
        for (const undone of [process!, reserve!]) {
          expect(undone.output!.trim()).not.toBe('');
          expect(undone.compensation!.action.trim()).not.toBe('');
        }
        expect(Date.parse(process!.compensation!.compensatedAt)).toBeLessThanOrEqual(
          Date.parse(reserve!.compensation!.compensatedAt),
        );
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'succeeds without compensating anything when every step succeeds',
      async () => {
        const workflow = await runSaga(target, 'saga-ok', { task: 'Run the quarterly batch job' });
        expect(workflow.error).toBeNull();
        expect(workflow.status).toBe('SUCCEEDED');
        for (const step of workflow.steps) {
          expect(step).toMatchObject({ status: 'SUCCEEDED', decision: 'ALLOW', compensation: null });
        }
        expect(workflow.result).toBe(workflow.steps.at(-1)!.output);
      },
      FLOW_TIMEOUT_MS,
    );
  });
}
