// Agent memory end to end over HTTP (docs/backend.md "Memory"): the memories API (remember, ranked recall,
// forget, tenant isolation), and memories flowing from a workflow step that remembers into a later
// workflow's step of the same agent — its context, its output, its proof.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RankedMemoryView } from '../../../functions/app/memory/memory-view.ts';
import type { ProofView } from '../../../functions/app/proofs/proof-view.ts';
import {
  pollWorkflowUntilEnded,
  startWorkflow,
  type WorkflowView,
} from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { call } from '../support/http.ts';
import { type E2eTenant, freshTenant, tenantWithAgents } from '../support/tenant-fleet.ts';

interface Recall {
  memories: RankedMemoryView[];
  considered: number;
}

export function memoryFlowSuite(target: E2eTarget): void {
  describe('agent memory', () => {
    let tenant: E2eTenant;
    let intruder: E2eTenant;

    const memoriesUrl = (agentId: string) => `${target.apiUrl}/v1/agents/${agentId}/memories`;

    async function recall(agentId: string, query: string, as = tenant): Promise<Recall> {
      const answer = await call('GET', `${memoriesUrl(agentId)}?query=${encodeURIComponent(query)}`, {
        headers: as.headers,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body as Recall;
    }

    async function report(task: string): Promise<WorkflowView> {
      const workflowId = await startWorkflow(
        target.apiUrl,
        { template: 'report', input: { task }, remember: { layer: 'long-term', importance: 0.7 } },
        tenant.headers,
      );
      const workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
      expect(workflow.error).toBeNull();
      expect(workflow.status).toBe('SUCCEEDED');
      return workflow;
    }

    beforeAll(async () => {
      tenant = await tenantWithAgents(target, 'memory', [
        'research-agent',
        'analysis-agent',
        'writing-agent',
      ]);
      intruder = await freshTenant(target, 'memory-intruder');
    });

    it('remembers, recalls by relevance, and forgets through the API; another tenant sees nothing', async () => {
      const remembered = await Promise.all(
        [
          'Grid-scale battery storage halves curtailment of wind power.',
          'The cafeteria switches to a new coffee supplier in March.',
        ].map(async (text) => {
          const answer = await call('POST', memoriesUrl('research-agent'), {
            headers: tenant.headers,
            body: { text, importance: 0.5 },
          });
          expect(answer.status, JSON.stringify(answer.body)).toBe(201);
          return answer.body as { memoryId: string };
        }),
      );
      const ranked = await recall('research-agent', 'battery storage for wind power');
      expect(ranked.memories[0]!.memoryId).toBe(remembered[0]!.memoryId);
      expect(ranked.memories[0]!.score.relevance).toBeGreaterThan(ranked.memories[1]!.score.relevance);

      const foreign = await call('GET', memoriesUrl('research-agent'), { headers: intruder.headers });
      expect(foreign.status).toBe(404);
      const foreignDelete = await call(
        'DELETE',
        `${memoriesUrl('research-agent')}/${remembered[1]!.memoryId}`,
        {
          headers: intruder.headers,
        },
      );
      expect(foreignDelete.status).toBe(404);

      for (const { memoryId } of remembered) {
        const deleted = await call('DELETE', `${memoriesUrl('research-agent')}/${memoryId}`, {
          headers: tenant.headers,
        });
        expect(deleted.status).toBe(204);
      }
      expect((await recall('research-agent', 'battery storage')).memories).toEqual([]);
    });

    describe('from one workflow into the next', () => {
      let first: WorkflowView;
      let second: WorkflowView;

      beforeAll(async () => {
        first = await report('Write report on AI trends in healthcare');
        second = await report('Write report on AI trends in hospital diagnostics');
      }, 180_000);

      it('remembers each step of the first report as a memory of its agent, with its source', async () => {
        for (const step of first.steps) {
          expect(step.memory?.remembered?.layer).toBe('long-term');
          const { memories } = await recall(step.agentId!, 'AI trends in healthcare');
          expect(
            memories.find((memory) => memory.memoryId === step.memory!.remembered!.memoryId),
          ).toMatchObject({
            source: { workflowId: first.workflowId, step: step.name, intentId: step.intentId },
            text: step.output,
          });
        }
      });

      it('recalls them into the second report: each step names what it reused, and so does its proof', async () => {
        for (const [index, step] of second.steps.entries()) {
          const earlier = first.steps[index]!.memory!.remembered!.memoryId;
          expect(step.memory?.recalled).toContain(earlier);
          const proof = await call('GET', `${target.apiUrl}/v1/proofs/${step.proofHash}`, {
            headers: tenant.headers,
          });
          expect((proof.body as ProofView).memoryIds).toEqual(step.memory!.recalled);
        }
        const research = second.steps[0]!;
        expect(research.output).toContain('## Recalled from memory');
        expect(research.output).toContain(`memory ${first.steps[0]!.memory!.remembered!.memoryId}`);
      });
    });
  });
}
