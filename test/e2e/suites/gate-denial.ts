// A step whose agent lacks the capability it would use is denied by the gate (L1: outside the manifest;
// Cedar: no permit), and the workflow fails with that reason instead of running the step.
import { describe, expect, it } from 'vitest';
import { pollWorkflowUntilEnded, startWorkflow } from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';

export function gateDenialSuite(target: E2eTarget): void {
  describe('a denied step', () => {
    it.each([
      ['search_web', 'an action the writing agent does not declare'],
      ['delete_data', 'a destructive action the writing agent neither declares nor has the tier for'],
    ])('fails the workflow when writing-agent is asked for %s (%s)', async (intent) => {
      const workflowId = await startWorkflow(
        target.apiUrl,
        {
          type: 'sequential',
          input: { task: 'Write report on AI trends' },
          steps: [
            {
              name: 'overreach',
              agentId: 'writing-agent',
              requiredTier: 'T2',
              intent,
              resource: { id: 'ai-trends', type: 'reports' },
            },
          ],
        },
        target.defaultHeaders,
      );
      const workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, {
        headers: target.defaultHeaders,
      });
      expect(workflow.status).toBe('FAILED');
      const [step] = workflow.steps;
      expect(step).toMatchObject({ name: 'overreach', decision: 'DENY', status: 'FAILED' });
      expect(step!.output).toBeNull();
      expect(step!.reasons.length).toBeGreaterThan(0);
      expect(workflow.error).toMatchObject({ code: 'step_denied', step: 'overreach' });
      expect(workflow.error!.message).toContain(intent);
      expect(workflow.result).toBeNull();
    });
  });
}
