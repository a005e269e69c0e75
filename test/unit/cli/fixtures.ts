// Workflow, step and agent views as the API answers them, for the CLI tests' local API: complete objects
// (every field the view promises), with the fields a test cares about overridden.
import type { AgentDetailView, AgentSummaryView } from '../../../functions/app/agents/agent-view.ts';
import type { EscalationView } from '../../../functions/app/escalations/escalation-view.ts';
import type { StepView, WorkflowView } from '../../../functions/app/workflows/workflow-view.ts';

export const WORKFLOW_ID = '0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

export function step(overrides: Partial<StepView> & Pick<StepView, 'name'>): StepView {
  return {
    agentId: null,
    role: null,
    requiredTier: 'T3',
    agentTier: null,
    intent: 'search_web',
    subtask: null,
    routing: null,
    decision: null,
    reasons: [],
    authorityLevel: null,
    escalation: null,
    approval: null,
    status: 'PENDING',
    output: null,
    tokens: null,
    costUsd: null,
    durationMs: null,
    intentId: null,
    proofHash: null,
    servedBy: null,
    handover: null,
    remember: null,
    memory: null,
    error: null,
    compensation: null,
    ...overrides,
  };
}

/** A step that ran and succeeded: decision ALLOW, tokens and time. */
export function succeeded(
  name: string,
  agentId: string,
  agentTier: StepView['agentTier'],
  tokens: number,
): StepView {
  return step({
    name,
    agentId,
    agentTier,
    decision: 'ALLOW',
    reasons: ['permitted by policy default-permit'],
    status: 'SUCCEEDED',
    output: `${name} output`,
    tokens: { input: tokens - 100, output: 100 },
    durationMs: 42,
    servedBy: { kind: 'agent' },
  });
}

export function workflow(overrides: Partial<WorkflowView> = {}): WorkflowView {
  return {
    workflowId: WORKFLOW_ID,
    type: 'sequential',
    template: 'report',
    status: 'RUNNING',
    options: {
      preference: 'cost',
      escalation: { slaSeconds: 3600, maxLevel: 3 },
      queue: { maxAttempts: 5, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 300 },
    },
    steps: [],
    result: null,
    error: null,
    gaps: null,
    degradedSteps: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.500Z',
    ...overrides,
  };
}

export function agent(
  overrides: Partial<AgentSummaryView> & Pick<AgentSummaryView, 'agentId'>,
): AgentSummaryView {
  return {
    name: overrides.agentId,
    role: 'research',
    score: 580,
    tier: 'T3',
    tierName: 'Trusted',
    costPerCall: 0.02,
    components: { behavioral: 0.5, compliance: 1, identity: 0.8, context: 0.9 },
    lastActivityAt: '2026-01-01T00:00:00.000Z',
    breaker: { status: 'CLOSED', failureCount: 0, successRate: null, lastFailureAt: null },
    ...overrides,
  };
}

export function agentDetail(
  overrides: Partial<AgentSummaryView> & Pick<AgentSummaryView, 'agentId'>,
): AgentDetailView {
  return {
    ...agent(overrides),
    manifest: {
      schemaVersion: '1.0',
      identity: { agentId: overrides.agentId, name: overrides.agentId, role: 'research' },
      capabilities: [{ name: 'search_web', level: 'read', scopes: [] }],
      constraints: {},
    },
    provider: { kind: 'local' },
    identity: { verificationLevel: 'organization', certificate: 'verified' },
    context: { environment: 'production', vpcIsolated: true, mtls: true, managedSecrets: true },
    createdAt: '2025-12-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A trust.changed audit record of `agentId`, as GET /v1/audit lists it. */
export function trustChanged(
  agentId: string,
  sequence: number,
  previousScore: number,
  score: number,
  cause = 'execution_outcome',
) {
  return {
    sequence,
    eventId: `evt_${String(sequence).padStart(32, '0')}`,
    type: 'trust.changed',
    source: 'trustgate.trust',
    occurredAt: `2026-01-01T00:00:${String(sequence).padStart(2, '0')}.000Z`,
    recordedAt: `2026-01-01T00:00:${String(sequence).padStart(2, '0')}.500Z`,
    subject: { agentId },
    detail: { agentId, cause, previousScore, score, previousTier: 'T3', tier: 'T3' },
    previousHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
  };
}

export function escalation(overrides: Partial<EscalationView> = {}): EscalationView {
  return {
    escalationId: 'esc-0123456789abcdef0123456789abcdef',
    workflowId: WORKFLOW_ID,
    step: 'draft',
    stepIndex: 1,
    agentId: 'writing-agent',
    intent: 'generate_document',
    requiredTier: 'T3',
    agentTier: 'T2',
    reasons: ['agent tier T2 is below the required T3'],
    level: 1,
    maxLevel: 3,
    deadline: '2026-01-01T01:00:00.000Z',
    status: 'PENDING',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    decidedAt: null,
    reviewer: null,
    reviewerLevel: null,
    reason: null,
    comment: null,
    ...overrides,
  };
}
