import { describe, expect, it } from 'vitest';
import { executionArnFor } from '../../../functions/app/workflows/start-workflow.ts';
import type { StepState, StepStatus, WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import { workflowView } from '../../../functions/app/workflows/workflow-view.ts';

const OPTIONS = {
  preference: 'cost',
  escalation: { slaSeconds: 3600, maxLevel: 3 },
  queue: { maxAttempts: 5, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 300 },
} as const;

/** What the view shows for everything a step has not been through. */
const UNTOUCHED_STEP_FIELDS = {
  role: null,
  subtask: null,
  routing: null,
  authorityLevel: null,
  escalation: null,
  approval: null,
  handover: null,
  remember: null,
  memory: null,
  error: null,
  compensation: null,
};

const running: WorkflowItem = {
  workflowId: 'wf-1',
  tenantId: 'acme',
  template: 'report',
  type: 'sequential',
  input: { task: 'Write report on AI trends' },
  options: OPTIONS,
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
      type: 'sequential',
      template: 'report',
      status: 'RUNNING',
      options: OPTIONS,
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
          servedBy: { kind: 'agent' },
          ...UNTOUCHED_STEP_FIELDS,
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
          servedBy: null,
          ...UNTOUCHED_STEP_FIELDS,
        },
      ],
      result: null,
      error: null,
      gaps: null,
      degradedSteps: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
    });
  });

  it('names the steps a degraded answer ended, and shows how each succeeded step was served', () => {
    const [research, analysis] = running.steps;
    const cached = {
      kind: 'cache',
      cachedAt: '2026-01-01T00:00:00.000Z',
      ageMs: 5,
      sourceProofHash: 'b'.repeat(64),
    } as const;
    const degraded = { kind: 'degraded', reason: 'circuit_open', retryAfterMs: 100 } as const;
    const view = workflowView({
      ...running,
      steps: [
        { ...research!, servedBy: cached },
        { ...analysis!, status: 'SUCCEEDED', output: '[degraded] …', servedBy: degraded },
      ],
    });

    expect(view.steps.map((step) => step.servedBy)).toEqual([cached, degraded]);
    expect(view.degradedSteps).toEqual(['analysis']);
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

describe('the steps of the new flows', () => {
  const routed: StepState = {
    name: 'summary',
    role: 'general',
    requiredTier: 'T2',
    intent: 'generate_document',
    resource: { id: 'summary', type: 'document' },
    status: 'QUEUED',
    routing: {
      preference: 'cost',
      attempts: 2,
      reason: "no agent with role 'general' at T2 or above",
      nextAttemptAt: '2026-01-01T00:00:10.000Z',
    },
  };

  it('shows a routed step without an agent until the router picks one, with how it is routed', () => {
    const [step] = workflowView({ ...running, steps: [routed] }).steps;

    expect(step).toMatchObject({ agentId: null, role: 'general', status: 'QUEUED', routing: routed.routing });
    expect(step!.decision).toBeNull();
  });

  it('shows the sub-task, escalation, approval, error and compensation once written', () => {
    const escalation = {
      escalationId: 'esc-1',
      level: 1,
      deadline: '2026-01-01T01:00:00.000Z',
      status: 'APPROVED' as const,
    };
    const approval = {
      escalationId: 'esc-1',
      level: 1,
      reviewer: 'rita',
      reviewerLevel: 2,
      approvedAt: '2026-01-01T00:30:00.000Z',
    };
    const error = { code: 'injected_failure', message: 'failAt named this step' };
    const compensation = {
      order: 1,
      action: 'released the reservation',
      compensatedAt: '2026-01-01T00:40:00.000Z',
    };
    const [step] = workflowView({
      ...running,
      steps: [
        {
          ...running.steps[1]!,
          status: 'COMPENSATED',
          subtask: 'the figures',
          decision: 'ESCALATE',
          authorityLevel: 1,
          escalation,
          approval,
          error,
          compensation,
        },
      ],
    }).steps;

    expect(step).toMatchObject({
      subtask: 'the figures',
      decision: 'ESCALATE',
      authorityLevel: 1,
      escalation,
      approval,
      error,
      compensation,
    });
  });

  it('shows the gaps of an aggregated parallel workflow', () => {
    const view = workflowView({
      ...running,
      type: 'parallel',
      template: 'parallel',
      status: 'SUCCEEDED',
      result: '## market\n…',
      gaps: ['risks'],
    });

    expect(view).toMatchObject({ type: 'parallel', template: 'parallel', gaps: ['risks'] });
  });

  it('shows null for the template of explicit steps', () => {
    const { template: _template, ...explicit } = running;

    expect(workflowView(explicit).template).toBeNull();
  });
});

describe('the status shown', () => {
  const withSteps = (status: WorkflowItem['status'], ...statuses: StepStatus[]): WorkflowItem => ({
    ...running,
    status,
    steps: statuses.map((stepStatus, index) => ({
      ...running.steps[1]!,
      name: `s${index}`,
      status: stepStatus,
    })),
  });

  it.each([
    [['SUCCEEDED', 'DECIDED', 'PENDING'], 'RUNNING'],
    [['SUCCEEDED', 'QUEUED', 'PENDING'], 'QUEUED'],
    [['WAITING_APPROVAL', 'PENDING'], 'WAITING_APPROVAL'],
    [['QUEUED', 'WAITING_APPROVAL', 'QUEUED'], 'WAITING_APPROVAL'],
    [['APPROVED', 'QUEUED'], 'QUEUED'],
    [['FAILED', 'DECIDED'], 'RUNNING'],
  ] as [StepStatus[], string][])('of a RUNNING workflow with steps %j is %s', (steps, shown) => {
    expect(workflowView(withSteps('RUNNING', ...steps)).status).toBe(shown);
  });

  it.each(['SUCCEEDED', 'FAILED', 'COMPENSATED'] as const)(
    'is the stored %s once final, whatever the steps say',
    (status) => {
      expect(workflowView(withSteps(status, 'WAITING_APPROVAL', 'QUEUED')).status).toBe(status);
    },
  );
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
