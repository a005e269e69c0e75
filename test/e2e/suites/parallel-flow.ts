// The parallel flow (docs/backend.md "Flows", ParallelFanout): the task is decomposed into one sub-task per
// step, the steps run at once, each behind the gate, and the outputs are aggregated. One sub-task that the
// gate denies either fails the workflow (`onSubtaskFailure: 'fail'`, naming that step) or becomes a gap in
// the aggregated result (`'aggregate'`).
import { describe, expect, it } from 'vitest';
import {
  pollWorkflowUntilEnded,
  startWorkflow,
  type WorkflowView,
} from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { type E2eTenant, tenantWithAgents } from '../support/tenant-fleet.ts';

const FLOW_TIMEOUT_MS = 90_000;

const SUBTASKS = [
  'Find the three largest vendors of AI accelerators',
  'Compute the market share of each vendor from the shipment figures',
  'Collect sources on export controls',
];

/** Two sub-tasks the gate allows, and one it denies: the writing agent does not declare search_web. */
const STEPS = [
  {
    name: 'market',
    agentId: 'research-agent',
    requiredTier: 'T3',
    intent: 'search_web',
    resource: { id: 'market', type: 'web' },
  },
  {
    name: 'figures',
    agentId: 'analysis-agent',
    requiredTier: 'T4',
    intent: 'process_data',
    resource: { id: 'figures', type: 'dataset' },
  },
  {
    name: 'sources',
    agentId: 'writing-agent',
    requiredTier: 'T2',
    intent: 'search_web',
    resource: { id: 'sources', type: 'web' },
  },
];

const DENIED_STEP = 'sources';

async function runParallel(
  target: E2eTarget,
  label: string,
  onSubtaskFailure: 'fail' | 'aggregate',
): Promise<WorkflowView> {
  const tenant: E2eTenant = await tenantWithAgents(target, label, [
    'research-agent',
    'analysis-agent',
    'writing-agent',
  ]);
  const workflowId = await startWorkflow(
    target.apiUrl,
    {
      type: 'parallel',
      input: { task: 'Brief on the AI accelerator market', subtasks: SUBTASKS },
      steps: STEPS,
      parallel: { maxConcurrency: 3, onSubtaskFailure },
    },
    tenant.headers,
  );
  return pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
}

function step(workflow: WorkflowView, name: string) {
  const found = workflow.steps.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`workflow ${workflow.workflowId} has no step ${name}`);
  return found;
}

export function parallelFlowSuite(target: E2eTarget): void {
  describe('the parallel flow', () => {
    it(
      'fails the workflow naming the denied sub-task under onSubtaskFailure "fail"',
      async () => {
        const workflow = await runParallel(target, 'parallel-fail', 'fail');
        expect(workflow).toMatchObject({ type: 'parallel', status: 'FAILED', result: null });
        expect(workflow.error).toMatchObject({ code: 'step_denied', step: DENIED_STEP });
        expect(workflow.error!.message).toContain('search_web');
        expect(step(workflow, DENIED_STEP)).toMatchObject({
          status: 'FAILED',
          decision: 'DENY',
          output: null,
          error: { code: 'step_denied' },
        });
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'succeeds with the other outputs and a gap for the denied sub-task under "aggregate"',
      async () => {
        const workflow = await runParallel(target, 'parallel-aggregate', 'aggregate');
        expect(workflow.error).toBeNull();
        expect(workflow).toMatchObject({ type: 'parallel', status: 'SUCCEEDED', gaps: [DENIED_STEP] });
        // Each step ran its own sub-task, not the whole task.
        for (const [index, { name }] of STEPS.entries()) {
          expect(step(workflow, name).subtask).toBe(SUBTASKS[index]);
        }

        for (const name of ['market', 'figures']) {
          const succeeded = step(workflow, name);
          expect(succeeded).toMatchObject({ status: 'SUCCEEDED', decision: 'ALLOW' });
          expect(succeeded.output!.trim()).not.toBe('');
          expect(workflow.result).toContain(`## ${name}\n${succeeded.output!.trim()}`);
        }
        expect(step(workflow, DENIED_STEP)).toMatchObject({
          status: 'FAILED',
          decision: 'DENY',
          error: { code: 'step_denied' },
        });
        expect(workflow.result).toContain(`## ${DENIED_STEP}\n[gap: step_denied: `);
        // Step order, whatever order the sub-tasks finished in (the outputs have `## ` headings of their own).
        const positions = STEPS.map(({ name }) => workflow.result!.indexOf(`## ${name}\n`));
        expect(positions.every((position) => position >= 0)).toBe(true);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      },
      FLOW_TIMEOUT_MS,
    );

    it(
      'runs the parallel template: three sub-tasks derived from one task, aggregated in step order',
      async () => {
        const tenant = await tenantWithAgents(target, 'parallel-template', [
          'research-agent',
          'analysis-agent',
          'review-agent',
        ]);
        const workflowId = await startWorkflow(
          target.apiUrl,
          { template: 'parallel', input: { task: 'Assess the AI accelerator market' } },
          tenant.headers,
        );
        const workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
        expect(workflow.error).toBeNull();
        expect(workflow).toMatchObject({ template: 'parallel', type: 'parallel', status: 'SUCCEEDED' });
        expect(workflow.gaps ?? []).toEqual([]);
        expect(workflow.steps.map((each) => each.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
        for (const each of workflow.steps) {
          expect(each.subtask).toContain('Assess the AI accelerator market');
          expect(workflow.result).toContain(`## ${each.name}\n`);
        }
      },
      FLOW_TIMEOUT_MS,
    );
  });
}
