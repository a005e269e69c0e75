// One gate decision = tier from the (decayed) score + Cedar policy decision + token bucket + circuit
// breaker, as the gate will run it before every agent call. Baseline, measured in the same run: the naive
// path, where Cedar's plain `isAuthorized` re-parses the policy text on every call. Three figures:
//   - the gate as it runs warm: pre-parsed policy set + the store's memo of Cedar answers, on the report
//     pipeline's repeated intents (a memo hit per decision after the first round);
//   - pre-parsed with the memo off: every decision crosses into Cedar (the cold / all-distinct case);
//   - naive: re-parsing the policy text per call.

import { DEFAULT_BREAKER_CONFIG } from '../functions/core/breaker/breaker-config.ts';
import { initialBreakerState } from '../functions/core/breaker/breaker-state.ts';
import { canPass } from '../functions/core/breaker/circuit-breaker.ts';
import type { AgentAction } from '../functions/core/policy/agent-actions.ts';
import type { AgentManifest } from '../functions/core/policy/agent-manifest.ts';
import { declaredActions, findDeclaredCapability } from '../functions/core/policy/agent-manifest.ts';
import { naiveIsAuthorized } from '../functions/core/policy/cedar-evaluation.ts';
import { toCedarRequest } from '../functions/core/policy/cedar-request.ts';
import { DEFAULT_POLICY_TEXT } from '../functions/core/policy/default-policies.ts';
import { PolicyStore } from '../functions/core/policy/policy-store.ts';
import { DEFAULT_RATE_LIMIT } from '../functions/core/rate-limit/rate-limit-plans.ts';
import { fullTokenBucket, take } from '../functions/core/rate-limit/token-bucket.ts';
import { type Tier, tierForScore } from '../functions/core/trust/tiers.ts';
import { formatFigure, type LatencySummary, sampleMicros } from './measure.ts';

const DECISIONS = 100_000;
const NAIVE_DECISIONS = 10_000;

interface GateCase {
  manifest: AgentManifest;
  score: number;
  action: AgentAction;
  requiredTier: Tier;
}

function seedAgent(
  agentId: string,
  role: string,
  action: AgentAction,
  score: number,
  requiredTier: Tier,
): GateCase {
  const manifest: AgentManifest = {
    schemaVersion: '1.0',
    identity: { agentId, name: `${role} agent`, role },
    capabilities: [{ name: action, level: 'write', scopes: ['reports'] }],
    constraints: {},
  };
  return { manifest, score, action, requiredTier };
}

// The seed's report pipeline (research T3 → analysis T4 → writing T2) plus the review agent.
const CASES: readonly GateCase[] = [
  seedAgent('research-agent', 'research', 'search_web', 580, 3),
  seedAgent('analysis-agent', 'analysis', 'process_data', 720, 4),
  seedAgent('writing-agent', 'writing', 'generate_document', 420, 2),
  seedAgent('review-agent', 'review', 'review_document', 810, 4),
];
const RESOURCE = { id: 'report-ai-trends', type: 'reports' };

/** A gate over simulated time: each decision 100 ms after the last, so the 10/s bucket keeps admitting. */
function makeGate(cedarAllows: (gateCase: GateCase, tier: Tier) => boolean) {
  let nowMs = Date.UTC(2026, 10, 25);
  let bucket = fullTokenBucket();
  let breaker = initialBreakerState();
  let index = 0;
  return () => {
    const gateCase = CASES[index++ % CASES.length]!;
    nowMs += 100;
    const tier = tierForScore(gateCase.score);
    if (!cedarAllows(gateCase, tier))
      throw new Error(`${gateCase.manifest.identity.agentId} was not allowed`);
    const admitted = take(bucket, nowMs, DEFAULT_RATE_LIMIT);
    bucket = admitted.state;
    const pass = canPass(breaker, nowMs, DEFAULT_BREAKER_CONFIG);
    breaker = pass.state;
    return admitted.allowed && pass.allowed;
  };
}

function storeGate(answerMemoCapacity: number) {
  const store = new PolicyStore({ clock: () => Date.UTC(2026, 10, 25, 12), answerMemoCapacity });
  return makeGate(
    (gateCase) =>
      store.decide({
        tenantId: 'bench',
        agent: { manifest: gateCase.manifest, score: gateCase.score },
        action: gateCase.action,
        resource: RESOURCE,
        requiredTier: gateCase.requiredTier,
      }).decision === 'ALLOW',
  );
}

export function runGateDecisionBenchmark(): void {
  const naiveGate = makeGate((gateCase, tier) => {
    const capability = findDeclaredCapability(gateCase.manifest, gateCase.action)!;
    const request = toCedarRequest({
      agentId: gateCase.manifest.identity.agentId,
      tier,
      score: gateCase.score,
      role: gateCase.manifest.identity.role,
      capabilities: declaredActions(gateCase.manifest),
      action: gateCase.action,
      resource: RESOURCE,
      requiredTier: gateCase.requiredTier,
      hour: 12,
      capabilityLevel: capability.level,
      capabilityScopes: capability.scopes,
    });
    return naiveIsAuthorized(DEFAULT_POLICY_TEXT, request).kind === 'allow';
  });

  const naive = sampleMicros(naiveGate, NAIVE_DECISIONS, 1_000);
  const preparsed = sampleMicros(storeGate(0), DECISIONS);
  const memoized = sampleMicros(storeGate(4096), DECISIONS);
  const line = (label: string, figures: LatencySummary) =>
    `  ${label.padEnd(30)} n=${figures.samples}  p50 ${formatFigure(figures.p50, 'µs')}  p99 ${formatFigure(figures.p99, 'µs')}  ` +
    `${(naive.p50 / figures.p50).toFixed(1)}× naive at p50, ${(naive.mean / figures.mean).toFixed(1)}× in mean`;
  console.log(
    'gate decision (tier + Cedar + token bucket + circuit breaker), µs per decision; goal p99 ≤ 50 µs, ≥ 5× naive',
  );
  console.log(line('warm gate (pre-parsed + memo)', memoized));
  console.log(line('pre-parsed, memo off', preparsed));
  console.log(line('naive (re-parse per call)', naive));
}
