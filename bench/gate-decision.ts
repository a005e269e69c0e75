// One gate decision = tier from the (decayed) score + Cedar policy decision + token bucket + circuit
// breaker, as the gate will run it before every agent call. Baseline, measured in the same run: the naive
// path, where Cedar's plain `isAuthorized` re-parses the policy text on every call.

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
import { formatFigure, sampleMicros } from './measure.ts';

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

export function runGateDecisionBenchmark(): void {
  const store = new PolicyStore({ clock: () => Date.UTC(2026, 10, 25, 12) });
  const preparsedGate = makeGate(
    (gateCase) =>
      store.decide({
        tenantId: 'bench',
        agent: { manifest: gateCase.manifest, score: gateCase.score },
        action: gateCase.action,
        resource: RESOURCE,
        requiredTier: gateCase.requiredTier,
      }).decision === 'ALLOW',
  );
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
  const preparsed = sampleMicros(preparsedGate, DECISIONS);
  console.log('gate decision (tier + Cedar + token bucket + circuit breaker), µs per decision');
  console.log(
    `  pre-parsed Cedar  n=${preparsed.samples}  p50 ${formatFigure(preparsed.p50, 'µs')}  p99 ${formatFigure(preparsed.p99, 'µs')}  (goal p99 ≤ 50 µs)`,
  );
  console.log(
    `  naive (re-parse)  n=${naive.samples}  p50 ${formatFigure(naive.p50, 'µs')}  p99 ${formatFigure(naive.p99, 'µs')}`,
  );
  console.log(
    `  speed-up          p50 ${(naive.p50 / preparsed.p50).toFixed(1)}×  mean ${(naive.mean / preparsed.mean).toFixed(1)}×  (goal ≥ 5×)`,
  );
}
