// The question the gate asks (one declared intent of one agent) and the L3 answer of the intent engine
// (SPEC §3). The answer is a union, so an ALLOW always carries limits and an ESCALATE its authority level.
import type { Tier } from '../trust/tiers.ts';
import type { AgentManifest } from './agent-manifest.ts';
import type { ExecutionLimits } from './execution-limits.ts';

export interface DecisionRequest {
  tenantId: string;
  agent: {
    manifest: AgentManifest;
    /** Current trust score 0–1000 (decay already applied); the tier is derived from it. */
    score: number;
  };
  action: string;
  resource: { id: string; type: string };
  /** Tier the step demands; defaults to the action's baseline tier. */
  requiredTier?: Tier;
}

export type ReasonCode =
  /** A permit policy matched and no forbid did. */
  | 'permitted'
  /** L1: the action is not among the manifest's declared capabilities. */
  | 'capability_not_declared'
  /** L1: the manifest restricts resource types and this one is not among them. */
  | 'resource_type_not_allowed'
  /** A forbid policy without @escalate matched: forbid wins, no human can override it. */
  | 'forbidden_by_policy'
  /** No permit matched, and raising the agent to the required tier would not help either. */
  | 'no_permitting_policy'
  /** The agent's tier is below the required tier, and that is all that stands in the way. */
  | 'trust_threshold'
  /** A forbid policy annotated @escalate matched: a human of the given level may approve. */
  | 'escalation_required'
  /** Cedar failed (bad request, missing entity, evaluation error) or anything threw: fail closed. */
  | 'policy_evaluation_error'
  /**
   * Not an L3 answer: the gate turned an ESCALATE into ALLOW because a reviewer of a sufficient authority
   * level approved the step's escalation; the escalation's own reasons follow it.
   */
  | 'approved_by_reviewer';

export interface DecisionReason {
  code: ReasonCode;
  message: string;
  policyId?: string;
}

/** Which policy set decided: version 0 is the built-in default set. */
export interface DecidingPolicySet {
  tenantId: string;
  version: number;
}

export type Decision =
  | { decision: 'ALLOW'; reasons: DecisionReason[]; limits: ExecutionLimits; policySet: DecidingPolicySet }
  | { decision: 'DENY'; reasons: DecisionReason[]; policySet: DecidingPolicySet }
  | {
      decision: 'ESCALATE';
      reasons: DecisionReason[];
      escalation: { level: number };
      policySet: DecidingPolicySet;
    };

export type DecisionOutcome = Decision['decision'];
