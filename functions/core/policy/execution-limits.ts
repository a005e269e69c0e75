// What an ALLOW decision lets the agent spend (SPEC §3: max tokens, timeout, allowed capabilities).
// Budgets double with each tier, so trust earned buys room to work; the agent's manifest may only narrow
// them. T3 at 8K tokens matches SPEC §7's request budget; T5 at 32K stays far inside the 128K total.
import type { Tier } from '../trust/tiers.ts';
import type { AgentAction } from './agent-actions.ts';
import { type AgentManifest, declaredActions } from './agent-manifest.ts';

export interface ExecutionLimits {
  maxTokens: number;
  timeoutMs: number;
  allowedCapabilities: AgentAction[];
}

export const TIER_BUDGETS: Readonly<Record<Tier, { maxTokens: number; timeoutMs: number }>> = {
  0: { maxTokens: 1_000, timeoutMs: 5_000 },
  1: { maxTokens: 2_000, timeoutMs: 10_000 },
  2: { maxTokens: 4_000, timeoutMs: 15_000 },
  3: { maxTokens: 8_000, timeoutMs: 30_000 },
  4: { maxTokens: 16_000, timeoutMs: 60_000 },
  5: { maxTokens: 32_000, timeoutMs: 120_000 },
};

export function executionLimits(tier: Tier, manifest: AgentManifest): ExecutionLimits {
  const budget = TIER_BUDGETS[tier];
  const { maxTokensPerCall, maxTimeoutMs } = manifest.constraints;
  return {
    maxTokens: Math.min(budget.maxTokens, maxTokensPerCall ?? budget.maxTokens),
    timeoutMs: Math.min(budget.timeoutMs, maxTimeoutMs ?? budget.timeoutMs),
    allowedCapabilities: declaredActions(manifest),
  };
}
