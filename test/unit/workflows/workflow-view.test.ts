import { describe, expect, it } from 'vitest';
import { executionArnFor } from '../../../functions/app/workflows/start-workflow.ts';
import type { WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import { workflowView } from '../../../functions/app/workflows/workflow-view.ts';

const running: WorkflowItem = {
  workflowId: 'wf-1',
  tenantId: 'acme',
  template: 'report',
  type: 'sequential',
  input: { task: 'Write report on AI trends' },
  steps: [
    {
      name: 'research',
      agentId: 'research-agent',
      requiredTier: 'T3',
      intent: 'search_web',
      resource: { id: 'web', type: 'web' },
      status: 'SUCCEEDED',
      agentTier: 'T3',
      decision: 'ALLOW',
      reasons: ['permitted'],
      intentId: 'intent-1',
      output: 'findings',
      tokens: { input: 120, output: 300 },
      costUsd: 0.02,
      durationMs: 41,
      proofHash: 'a'.repeat(64),
      completedAt: '2026-01-01T00:00:01.000Z',
    },
    {
      name: 'analysis',
      agentId: 'analysis-agent',
      requiredTier: 'T4',
      intent: 'process_data',
      resource: { id: 'research-notes', type: 'dataset' },
      status: 'PENDING',
    },
  ],
  status: 'RUNNING',
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:pipeline:wf-1',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
};

describe('workflowView', () => {
  it('shows every step field, null until the gate has written it', () => {
    const view = workflowView(running);

    expect(view).toEqual({
      workflowId: 'wf-1',
      status: 'RUNNING',
      steps: [
        {
          name: 'research',
          agentId: 'research-agent',
          requiredTier: 'T3',
          agentTier: 'T3',
          intent: 'search_web',
          decision: 'ALLOW',
          reasons: ['permitted'],
          status: 'SUCCEEDED',
          output: 'findings',
          tokens: { input: 120, output: 300 },
          costUsd: 0.02,
          durationMs: 41,
          intentId: 'intent-1',
          proofHash: 'a'.repeat(64),
        },
        {
          name: 'analysis',
          agentId: 'analysis-agent',
          requiredTier: 'T4',
          agentTier: null,
          intent: 'process_data',
          decision: null,
          reasons: [],
          status: 'PENDING',
          output: null,
          tokens: null,
          costUsd: null,
          durationMs: null,
          intentId: null,
          proofHash: null,
        },
      ],
      result: null,
      error: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
    });
  });

  it('keeps storage details (tenant, execution, resources) out of the view', () => {
    const view = workflowView(running) as unknown as Record<string, unknown>;

    expect(view).not.toHaveProperty('tenantId');
    expect(view).not.toHaveProperty('executionArn');
    expect((view.steps as Record<string, unknown>[])[0]).not.toHaveProperty('resource');
  });

  it('shows the result of a succeeded workflow and the error of a failed one', () => {
    expect(workflowView({ ...running, status: 'SUCCEEDED', result: 'the report' })).toMatchObject({
      status: 'SUCCEEDED',
      result: 'the report',
      error: null,
    });
    const error = { code: 'step_denied', message: 'no', step: 'analysis' };
    expect(workflowView({ ...running, status: 'FAILED', error })).toMatchObject({
      status: 'FAILED',
      result: null,
      error,
    });
  });
});

describe('executionArnFor', () => {
  it('is the ARN AWS gives the execution of that name', () => {
    expect(
      executionArnFor('arn:aws:states:eu-west-1:123456789012:stateMachine:Trustgate-dev-Sequential', 'wf-1'),
    ).toBe('arn:aws:states:eu-west-1:123456789012:execution:Trustgate-dev-Sequential:wf-1');
  });

  it('refuses what is not a state machine ARN', () => {
    expect(() => executionArnFor('arn:aws:lambda:eu-west-1:123456789012:function:gate', 'wf-1')).toThrow(
      RangeError,
    );
  });
});
