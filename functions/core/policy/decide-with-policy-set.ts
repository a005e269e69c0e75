// The L1 + L3 decision for one request against one compiled policy set (SPEC §3):
//   1. L1 — an action the manifest does not declare is DENY before Cedar is asked; so is a resource type
//      outside the manifest's allowed types.
//   2. Cedar on the real facts: allow → ALLOW with tier limits; a matching forbid without @escalate → DENY
//      (forbid wins); any Cedar error → DENY (fail closed).
//   3. Otherwise the only possible blockers are the trust threshold (required tier above the agent's) and
//      @escalate forbids. Cedar is asked again as if a human had approved — the agent lifted to the
//      required tier and the @escalate forbids set aside. If that allows, the answer is ESCALATE to the
//      highest level any blocker asks for; if not, something else blocks and the answer is DENY.
import { TIERS, tierCode, tierForScore } from '../trust/tiers.ts';
import { BASELINE_REQUIRED_TIER } from './agent-actions.ts';
import { declaredActions, findDeclaredCapability } from './agent-manifest.ts';
import { authorityLevelForTierGap } from './authority-level.ts';
import { type CedarOutcome, evaluatePreparsed } from './cedar-evaluation.ts';
import { type AuthorizationFacts, type CedarRequest, toCedarRequest } from './cedar-request.ts';
import type { CompiledPolicy, CompiledPolicySet } from './compiled-policy-set.ts';
import type { DecidingPolicySet, Decision, DecisionReason, DecisionRequest } from './decision.ts';
import { executionLimits } from './execution-limits.ts';

export type PreparsedEvaluator = (preparsedPolicySetId: string, request: CedarRequest) => CedarOutcome;

/**
 * Never throws: anything unexpected is a DENY with `policy_evaluation_error`. `evaluate` asks Cedar;
 * the policy store passes its memo of answers.
 */
export function decideWithPolicySet(
  policySet: CompiledPolicySet,
  decidingSet: DecidingPolicySet,
  request: DecisionRequest,
  hour: number,
  evaluate: PreparsedEvaluator = evaluatePreparsed,
): Decision {
  const deny = (reasons: DecisionReason[]): Decision => ({
    decision: 'DENY',
    reasons,
    policySet: decidingSet,
  });
  try {
    const { manifest, score } = request.agent;
    const { resource } = request;
    const capability = findDeclaredCapability(manifest, request.action);
    if (!capability) {
      return deny([
        {
          code: 'capability_not_declared',
          message: `agent "${manifest.identity.agentId}" does not declare the capability "${request.action}"`,
        },
      ]);
    }
    const action = capability.name;
    const allowedTypes = manifest.constraints.allowedResourceTypes;
    if (allowedTypes && !allowedTypes.includes(resource.type)) {
      return deny([
        {
          code: 'resource_type_not_allowed',
          message: `agent "${manifest.identity.agentId}" may not act on resources of type "${resource.type}"`,
        },
      ]);
    }

    const tier = tierForScore(score);
    const requiredTier = request.requiredTier ?? BASELINE_REQUIRED_TIER[action];
    const facts: AuthorizationFacts = {
      agentId: manifest.identity.agentId,
      tier,
      score,
      role: manifest.identity.role,
      capabilities: declaredActions(manifest),
      action,
      resource,
      requiredTier,
      hour,
      capabilityLevel: capability.level,
      capabilityScopes: capability.scopes,
    };

    const actual = evaluate(policySet.preparsedId, toCedarRequest(facts));
    if (actual.kind === 'error') return deny(evaluationErrorReasons(actual.messages));
    const determining = actual.determiningPolicyIds.map((id) => policyNamed(policySet, id));
    if (actual.kind === 'allow') {
      return {
        decision: 'ALLOW',
        reasons: determining.map((policy) => policyReason('permitted', policy)),
        limits: executionLimits(tier, manifest),
        policySet: decidingSet,
      };
    }

    const hardForbids = determining.filter((policy) => policy.escalationLevel === undefined);
    if (hardForbids.length > 0)
      return deny(hardForbids.map((policy) => policyReason('forbidden_by_policy', policy)));

    const escalatingForbids = determining.filter((policy) => policy.escalationLevel !== undefined);
    const shortOfTier = requiredTier > tier;
    if (escalatingForbids.length === 0 && !shortOfTier) return deny([noPermitReason(facts)]);

    const approvedTier = shortOfTier ? requiredTier : tier;
    const approved = evaluate(
      policySet.withoutEscalatingId,
      toCedarRequest({ ...facts, tier: approvedTier, score: Math.max(score, TIERS[approvedTier]!.minScore) }),
    );
    if (approved.kind === 'error') return deny(evaluationErrorReasons(approved.messages));
    if (approved.kind === 'deny') {
      const forbids = approved.determiningPolicyIds.map((id) => policyNamed(policySet, id));
      return deny(
        forbids.length > 0
          ? forbids.map((policy) => policyReason('forbidden_by_policy', policy))
          : [noPermitReason(facts)],
      );
    }

    const reasons: DecisionReason[] = [];
    const levels: number[] = [];
    if (shortOfTier) {
      reasons.push({
        code: 'trust_threshold',
        message: `requires tier ${tierCode(requiredTier)}; agent "${facts.agentId}" is ${tierCode(tier)}`,
      });
      levels.push(authorityLevelForTierGap(tier, requiredTier));
    }
    for (const policy of escalatingForbids) {
      reasons.push(policyReason('escalation_required', policy));
      levels.push(policy.escalationLevel!);
    }
    return {
      decision: 'ESCALATE',
      reasons,
      escalation: { level: Math.max(...levels) },
      policySet: decidingSet,
    };
  } catch (error) {
    return deny(evaluationErrorReasons([error instanceof Error ? error.message : String(error)]));
  }
}

function policyNamed(policySet: CompiledPolicySet, id: string): CompiledPolicy {
  const policy = policySet.policies.get(id);
  // Cedar only reports ids we gave it; an unknown one means the cache and the set disagree.
  if (!policy) throw new Error(`Cedar named policy "${id}", which the compiled set does not contain`);
  return policy;
}

function policyReason(code: DecisionReason['code'], policy: CompiledPolicy): DecisionReason {
  const verb =
    code === 'permitted' ? 'permitted' : code === 'escalation_required' ? 'escalated' : 'forbidden';
  return { code, message: policy.reason ?? `${verb} by policy "${policy.id}"`, policyId: policy.id };
}

function noPermitReason(facts: AuthorizationFacts): DecisionReason {
  return {
    code: 'no_permitting_policy',
    message: `no policy permits "${facts.action}" on resource "${facts.resource.id}" for agent "${facts.agentId}"`,
  };
}

function evaluationErrorReasons(messages: readonly string[]): DecisionReason[] {
  return [{ code: 'policy_evaluation_error', message: `policy evaluation failed: ${messages.join('; ')}` }];
}
