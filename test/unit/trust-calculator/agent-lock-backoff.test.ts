import { describe, expect, it } from 'vitest';
import {
  AGENT_LOCK_BASE_DELAY_MS,
  AGENT_LOCK_MAX_DELAY_MS,
  agentLockBackoffMs,
} from '../../../functions/app/trust/agent-lock-backoff.ts';

describe('agent lock backoff', () => {
  it('draws from [0, base·2^attempt) and caps the ceiling', () => {
    expect(agentLockBackoffMs(1, () => 0)).toBe(0);
    expect(agentLockBackoffMs(1, () => 0.5)).toBe(AGENT_LOCK_BASE_DELAY_MS);
    expect(agentLockBackoffMs(3, () => 0.5)).toBe(AGENT_LOCK_BASE_DELAY_MS * 4);
    expect(agentLockBackoffMs(40, () => 0.999)).toBeLessThan(AGENT_LOCK_MAX_DELAY_MS);
    expect(agentLockBackoffMs(40, () => 0.5)).toBe(AGENT_LOCK_MAX_DELAY_MS / 2);
  });
});
