import { describe, expect, it } from 'vitest';
import { applyApproval } from '../../../functions/app/gate/approved-decision.ts';
import type { StepApproval } from '../../../functions/app/workflows/workflow-item.ts';
import type { AgentManifest } from '../../../functions/core/policy/agent-manifest.ts';
import type { Decision } from '../../../functions/core/policy/decision.ts';
import { intentDecision } from '../../../functions/data/intent-ledger.ts';

const manifest: AgentManifest = {
  schemaVersion: '1.0',
  identity: { agentId: 'writing-agent', name: 'Writing Agent', role: 'writing' },
  capabilities: [{ name: 'generate_document', level: 'write', scopes: ['public'] }],
  constraints: {},
};

const policySet = { tenantId: 'acme', version: 4 };

/** What the default policies say when a T2 agent is asked for T3 work. */
const escalate: Decision = {
  decision: 'ESCALATE',
  reasons: [{ code: 'trust_threshold', message: 'requires tier T3; agent "writing-agent" is T2' }],
  escalation: { level: 1 },
  policySet,
};

const approval: StepApproval = {
  escalationId: 'esc-0123',
  level: 1,
  reviewer: 'dana',
  reviewerLevel: 1,
  approvedAt: '2026-11-25T12:00:00.000Z',
};

const context = { approval, currentEscalationId: 'esc-0123', agentTier: 2, manifest } as const;

describe('applyApproval', () => {
  it('turns a covered ESCALATE into ALLOW with the approval first, the reasons after, and the own tier limits', () => {
    const decision = applyApproval(escalate, context);

    expect(decision).toEqual({
      decision: 'ALLOW',
      reasons: [
        {
          code: 'approved_by_reviewer',
          message: 'approved by dana (authority level 1) in escalation esc-0123',
        },
        { code: 'trust_threshold', message: 'requires tier T3; agent "writing-agent" is T2' },
      ],
      // T2's budget (4K tokens, 15 s), not the required T3's (8K, 30 s).
      limits: { maxTokens: 4_000, timeoutMs: 15_000, allowedCapabilities: ['generate_document'] },
      policySet,
    });
    expect(intentDecision(decision)).toEqual({
      decision: 'ALLOW',
      reasons: decision.reasons,
      limits: { maxTokens: 4_000, timeoutMs: 15_000, allowedCapabilities: ['generate_document'] },
    });
  });

  it('narrows the approved limits to the manifest constraints', () => {
    const frugal = { ...manifest, constraints: { maxTokensPerCall: 500 } };
    const decision = applyApproval(escalate, { ...context, manifest: frugal });

    expect(decision).toMatchObject({ decision: 'ALLOW', limits: { maxTokens: 500, timeoutMs: 15_000 } });
  });

  it('lets a reviewer of a higher level approve a lower escalation', () => {
    const decision = applyApproval(escalate, { ...context, approval: { ...approval, reviewerLevel: 3 } });

    expect(decision.decision).toBe('ALLOW');
    expect(decision.reasons[0]!.message).toBe('approved by dana (authority level 3) in escalation esc-0123');
  });

  it('keeps an ESCALATE whose level is now above the reviewer', () => {
    const higher: Decision = { ...escalate, escalation: { level: 2 } };

    expect(applyApproval(higher, context)).toBe(higher);
  });

  it('never approves a DENY away', () => {
    const deny: Decision = {
      decision: 'DENY',
      reasons: [{ code: 'forbidden_by_policy', message: 'forbidden by policy "no-ledger"' }],
      policySet,
    };

    expect(applyApproval(deny, { ...context, approval: { ...approval, reviewerLevel: 3 } })).toBe(deny);
  });

  it('leaves an ALLOW as decided, without an approval reason', () => {
    const allow: Decision = {
      decision: 'ALLOW',
      reasons: [{ code: 'permitted', message: 'permitted' }],
      limits: { maxTokens: 8_000, timeoutMs: 30_000, allowedCapabilities: ['generate_document'] },
      policySet,
    };

    expect(applyApproval(allow, context)).toBe(allow);
  });

  it('keeps an ESCALATE without an approval, or with the approval of an earlier escalation', () => {
    expect(applyApproval(escalate, { ...context, approval: undefined })).toBe(escalate);
    expect(applyApproval(escalate, { ...context, currentEscalationId: 'esc-4567' })).toBe(escalate);
  });
});
