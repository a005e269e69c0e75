import { describe, expect, it } from 'vitest';
import type { EscalationItem } from '../../../functions/app/escalations/escalation-item.ts';
import { escalationView } from '../../../functions/app/escalations/escalation-view.ts';

const pending: EscalationItem = {
  escalationId: `esc-${'a'.repeat(32)}`,
  tenantId: 'acme',
  tenantStatus: 'acme#PENDING',
  workflowId: 'wf-1',
  stepIndex: 1,
  step: 'draft',
  agentId: 'writing-agent',
  intent: 'generate_document',
  requiredTier: 'T3',
  agentTier: 'T2',
  reasons: ['below the required tier'],
  level: 1,
  maxLevel: 3,
  slaSeconds: 60,
  deadline: '2026-01-01T00:01:00.000Z',
  status: 'PENDING',
  taskToken: 'AQCsecret',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('escalationView', () => {
  it('shows every field, null for what has not happened, and neither the task token nor the index key', () => {
    const view = escalationView(pending);
    expect(view).toEqual({
      escalationId: pending.escalationId,
      workflowId: 'wf-1',
      step: 'draft',
      stepIndex: 1,
      agentId: 'writing-agent',
      intent: 'generate_document',
      requiredTier: 'T3',
      agentTier: 'T2',
      reasons: ['below the required tier'],
      level: 1,
      maxLevel: 3,
      deadline: pending.deadline,
      status: 'PENDING',
      createdAt: pending.createdAt,
      updatedAt: pending.updatedAt,
      decidedAt: null,
      reviewer: null,
      reviewerLevel: null,
      reason: null,
      comment: null,
    });
    expect(JSON.stringify(view)).not.toContain('AQCsecret');
    expect(view).not.toHaveProperty('tenantStatus');
    expect(view).not.toHaveProperty('slaSeconds');
  });

  it('shows the review once decided, and null for an agent tier never recorded', () => {
    const { agentTier: _, ...withoutTier } = pending;
    const view = escalationView({
      ...withoutTier,
      status: 'REJECTED',
      decidedAt: '2026-01-01T00:00:30.000Z',
      reviewer: 'bob',
      reviewerLevel: 2,
      reason: 'no',
    });
    expect(view).toMatchObject({
      agentTier: null,
      status: 'REJECTED',
      decidedAt: '2026-01-01T00:00:30.000Z',
      reviewer: 'bob',
      reviewerLevel: 2,
      reason: 'no',
      comment: null,
    });
  });
});
