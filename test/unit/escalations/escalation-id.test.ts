import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EscalationIdSchema, escalationIdFor } from '../../../functions/app/escalations/escalation-id.ts';

const key = {
  workflowId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  stepIndex: 1,
  intentId: 'intent-7',
  level: 2,
};

describe('escalationIdFor', () => {
  it('is "esc-" and the first 32 hex of SHA-256 over workflowId|stepIndex|intentId|level', () => {
    const digest = createHash('sha256').update(`${key.workflowId}|1|intent-7|2`).digest('hex');
    expect(escalationIdFor(key)).toBe(`esc-${digest.slice(0, 32)}`);
  });

  it('is the same for the same step, intent and level, and differs when any of them changes', () => {
    const id = escalationIdFor(key);
    expect(escalationIdFor({ ...key })).toBe(id);
    const others = [
      { ...key, level: 3 },
      { ...key, stepIndex: 0 },
      { ...key, intentId: 'intent-8' },
      { ...key, workflowId: 'another' },
    ].map(escalationIdFor);
    expect(new Set([id, ...others]).size).toBe(5);
  });

  it('produces ids the API accepts, and the API accepts nothing else', () => {
    expect(EscalationIdSchema.safeParse(escalationIdFor(key)).success).toBe(true);
    for (const bad of ['esc-', `esc-${'A'.repeat(32)}`, `esc-${'a'.repeat(31)}`, `x-${'a'.repeat(32)}`, '']) {
      expect(EscalationIdSchema.safeParse(bad).success).toBe(false);
    }
  });
});
