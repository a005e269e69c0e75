// The pause before re-reading an agent after losing its version lock (to another signal, the decay sweep
// or the gate's breaker write): "full jitter" exponential backoff, random in [0, min(cap, base·2^attempt)),
// so many writers contending for one busy agent spread out instead of colliding in lockstep.
export const AGENT_LOCK_BASE_DELAY_MS = 5;
export const AGENT_LOCK_MAX_DELAY_MS = 250;

export function agentLockBackoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(AGENT_LOCK_MAX_DELAY_MS, AGENT_LOCK_BASE_DELAY_MS * 2 ** attempt);
  return random() * ceiling;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
