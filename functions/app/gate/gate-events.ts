// The events one gated step emits (SPEC §5), built from what the gate already holds:
//   intent.declared + intent.decided   once the decision is on record (every step that reached Cedar)
//   execution.succeeded | .failed      once the provider answered, failed, or failAt failed the step
//   circuit.opened | .closed           when recording the outcome moved the agent's breaker
//   budget.exceeded                    when the context only fitted after summarizing, pruning or compressing
// Keys make the event ids: an intent's events are keyed by its intent id, so a retried invocation that
// re-emits them (the completed-step path) puts the very same ids.
import type { BreakerConfig } from '../../core/breaker/breaker-config.ts';
import { breakerMetrics } from '../../core/breaker/breaker-metrics.ts';
import type { BreakerState } from '../../core/breaker/breaker-state.ts';
import type { BreakerTransition } from '../../core/breaker/circuit-breaker.ts';
import type { AssemblyAction } from '../../core/budget/assembly-report.ts';
import { newEvent, type TrustgateEvent } from '../../core/events/event-envelope.ts';
import type { Decision } from '../../core/policy/decision.ts';
import type { TierCode } from '../../core/trust/tiers.ts';
import type { TenantIntentRecord } from '../../data/intent-ledger.ts';

/** Where in a workflow the step ran. */
export interface StepPlace {
  workflowId: string;
  step: string;
  stepIndex: number;
}

export function decisionEvents(fields: {
  intent: TenantIntentRecord;
  decision: Decision;
  agentTier: TierCode;
  score: number;
  place: StepPlace;
}): TrustgateEvent[] {
  const { intent, decision, place } = fields;
  const common = { tenantId: intent.tenantId, key: intent.intentId, occurredAt: intent.timestamp };
  return [
    newEvent('intent.declared', {
      ...common,
      data: {
        intentId: intent.intentId,
        agentId: intent.agentId,
        action: intent.action,
        resource: intent.resource,
        sequence: intent.sequence,
        hash: intent.hash,
        ...place,
      },
    }),
    newEvent('intent.decided', {
      ...common,
      data: {
        intentId: intent.intentId,
        agentId: intent.agentId,
        action: intent.action,
        decision: decision.decision,
        reasons: decision.reasons.map((reason) => reason.policyId ?? reason.code),
        agentTier: fields.agentTier,
        score: fields.score,
        ...(decision.decision === 'ESCALATE' ? { escalationLevel: decision.escalation.level } : {}),
        ...place,
      },
    }),
  ];
}

export interface ExecutionFacts {
  tenantId: string;
  agentId: string;
  intentId: string;
  action: string;
  agentTier: TierCode;
  place: StepPlace;
  /** Epoch ms or ISO 8601. */
  at: number | string;
  durationMs: number;
}

export function executionSucceededEvent(
  facts: ExecutionFacts,
  result: { tokens: { input: number; output: number }; costUsd: number; proofHash: string },
): TrustgateEvent {
  return newEvent('execution.succeeded', {
    ...executionEnvelope(facts),
    data: {
      ...executionData(facts),
      tokens: result.tokens,
      costUsd: result.costUsd,
      proofHash: result.proofHash,
      ...facts.place,
    },
  });
}

export function executionFailedEvent(
  facts: ExecutionFacts,
  failure: { errorCode: string; message: string },
): TrustgateEvent {
  return newEvent('execution.failed', {
    ...executionEnvelope(facts),
    data: {
      ...executionData(facts),
      errorCode: failure.errorCode,
      message: failure.message.slice(0, 2048),
      ...facts.place,
    },
  });
}

/** An execution's events are keyed by its intent: one outcome per intent. */
function executionEnvelope(facts: ExecutionFacts) {
  return { tenantId: facts.tenantId, key: facts.intentId, occurredAt: facts.at };
}

function executionData(facts: ExecutionFacts) {
  return {
    agentId: facts.agentId,
    intentId: facts.intentId,
    action: facts.action,
    agentTier: facts.agentTier,
    durationMs: Math.max(0, Math.round(facts.durationMs)),
  };
}

/** circuit.opened / circuit.closed for a transition that has one; none for OPEN → HALF_OPEN. */
export function circuitEvents(fields: {
  tenantId: string;
  agentId: string;
  intentId: string;
  transition: BreakerTransition | null;
  state: BreakerState;
  config: Readonly<BreakerConfig>;
}): TrustgateEvent[] {
  const { transition } = fields;
  if (!transition?.event) return [];
  const failureCount = breakerMetrics(fields.state, transition.atMs, fields.config).failureCount;
  return [
    newEvent(transition.event, {
      tenantId: fields.tenantId,
      // One transition per intent at most: the outcome of that intent's call moved the breaker.
      key: `${fields.agentId}#${fields.intentId}`,
      occurredAt: transition.atMs,
      data: {
        agentId: fields.agentId,
        reason: transition.reason,
        failureCount,
        ...(transition.event === 'circuit.opened'
          ? { openUntil: new Date(fields.state.openUntilMs).toISOString() }
          : {}),
      },
    }),
  ];
}

/** budget.exceeded when the context assembly had to act; nothing when everything fitted. */
export function budgetEvents(fields: {
  tenantId: string;
  agentId: string;
  intentId: string;
  place: StepPlace;
  at: number;
  actions: readonly AssemblyAction[];
}): TrustgateEvent[] {
  if (fields.actions.length === 0) return [];
  const sections = [...new Set(fields.actions.map((action) => action.section))];
  const before = fields.actions.reduce((sum, action) => sum + tokensBefore(action), 0);
  const after = fields.actions.reduce((sum, action) => sum + tokensAfter(action), 0);
  return [
    newEvent('budget.exceeded', {
      tenantId: fields.tenantId,
      key: fields.intentId,
      occurredAt: fields.at,
      data: {
        agentId: fields.agentId,
        section: sections.join(','),
        tokensBefore: before,
        tokensAfter: after,
        strategies: [...new Set(fields.actions.map((action) => action.strategy))],
        ...fields.place,
      },
    }),
  ];
}

function tokensBefore(action: AssemblyAction): number {
  return action.strategy === 'prune' ? action.tokens : action.tokensBefore;
}

function tokensAfter(action: AssemblyAction): number {
  return action.strategy === 'prune' ? 0 : action.tokensAfter;
}
