// The seed's first workflow end to end over HTTP: "Write report on AI trends" through research → analysis
// → writing, each step gated (trust tier + Cedar decision + intent chain) and proven (Merkle-sealed proof).
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProofView } from '../../../functions/app/proofs/proof-view.ts';
import { DEMO_FLEET } from '../../../scripts/demo-fleet.ts';
import {
  pollWorkflowUntilEnded,
  startWorkflow,
  type WorkflowView,
} from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { call } from '../support/http.ts';

const PIPELINE = [
  { name: 'research', agentId: 'research-agent', tier: 'T3', intent: 'search_web' },
  { name: 'analysis', agentId: 'analysis-agent', tier: 'T4', intent: 'process_data' },
  { name: 'writing', agentId: 'writing-agent', tier: 'T2', intent: 'generate_document' },
];

export function reportPipelineSuite(target: E2eTarget): void {
  describe('GET /v1/agents', () => {
    it('lists the demo fleet with its tiers written T0…T5', async () => {
      const answer = await call('GET', `${target.apiUrl}/v1/agents`, { headers: target.defaultHeaders });
      expect(answer.status).toBe(200);
      const { agents } = answer.body as { agents: { agentId: string; tier: string; role: string }[] };
      for (const agent of DEMO_FLEET) {
        expect(agents.find((listed) => listed.agentId === agent.agentId)).toMatchObject({
          tier: agent.tier,
          role: agent.role,
        });
      }
    });
  });

  describe('the report pipeline', () => {
    let workflow: WorkflowView;

    beforeAll(async () => {
      const workflowId = await startWorkflow(
        target.apiUrl,
        {
          template: 'report',
          input: { task: 'Write report on AI trends' },
        },
        target.defaultHeaders,
      );
      workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: target.defaultHeaders });
    });

    it('succeeds with three gated steps, each allowed at the agent’s tier and producing text', () => {
      expect(workflow.error).toBeNull();
      expect(workflow.status).toBe('SUCCEEDED');
      expect(workflow.steps).toHaveLength(PIPELINE.length);
      workflow.steps.forEach((step, index) => {
        const planned = PIPELINE[index]!;
        expect(step).toMatchObject({
          name: planned.name,
          agentId: planned.agentId,
          intent: planned.intent,
          status: 'SUCCEEDED',
          decision: 'ALLOW',
          agentTier: planned.tier,
        });
        expect(step.tokens!.input).toBeGreaterThan(0);
        expect(step.tokens!.output).toBeGreaterThan(0);
        expect(step.output!.trim()).not.toBe('');
        expect(step.durationMs).toBeGreaterThanOrEqual(0);
        expect(step.proofHash).toMatch(/^[0-9a-f]{64}$/);
      });
      expect(workflow.result).toBe(workflow.steps.at(-1)!.output);
    });

    it('leaves one sealed, verifiable proof per step, all under one Merkle root', async () => {
      const proofs = await Promise.all(
        workflow.steps.map(async (step) => {
          const answer = await call('GET', `${target.apiUrl}/v1/proofs/${step.proofHash}`, {
            headers: target.defaultHeaders,
          });
          expect(answer.status).toBe(200);
          return answer.body as ProofView;
        }),
      );
      for (const [index, proof] of proofs.entries()) {
        expect(proof).toMatchObject({
          resultHash: workflow.steps[index]!.proofHash,
          status: 'SEALED',
          verified: true,
        });
        expect(proof.merkleRoot).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(new Set(proofs.map((proof) => proof.merkleRoot)).size).toBe(1);
    });
  });
}
