// The items of the gate's two transactions (docs/backend.md), each under the condition that makes a
// lost race visible instead of silently overwriting:
//   decision:  [intent, chain head] (the intent ledger) + tenant bucket + step DECIDED
//   result:    proof + step SUCCEEDED + agent breaker (+ the result cache's entry)
//   served     proof + step SUCCEEDED marked servedBy (a cached result or a degraded answer, breaker OPEN)
//   handover   the step passed to a fallback agent (breaker OPEN)
// A step is addressed by its list index, which is validated before it reaches an expression.
import type { BreakerState } from '../../core/breaker/breaker-state.ts';
import type { StepServing } from '../../core/breaker/open-circuit-serving.ts';
import type { DecisionOutcome } from '../../core/policy/decision.ts';
import type { TokenBucketState } from '../../core/rate-limit/token-bucket.ts';
import type { TierCode } from '../../core/trust/tiers.ts';
import type { TransactWriteItem } from '../../data/intent-ledger.ts';
import type { StepHandover, StepMemory, StepStatus, TokenUsage } from '../workflows/workflow-item.ts';
import { type BucketItem, bucketKey } from './bucket-item.ts';

/** Writes the bucket after a take; `readVersion` is the version read, undefined when there was no item. */
export function bucketWrite(
  table: string,
  tenantId: string,
  bucket: TokenBucketState,
  readVersion: number | undefined,
): TransactWriteItem {
  const item: BucketItem = { key: bucketKey(tenantId), tenantId, bucket, version: (readVersion ?? 0) + 1 };
  return {
    Put: {
      TableName: table,
      Item: item,
      ...(readVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': 'key' } }
        : {
            ConditionExpression: 'version = :readVersion',
            ExpressionAttributeValues: { ':readVersion': readVersion },
          }),
    },
  };
}

export interface StepDecision {
  decision: DecisionOutcome;
  reasons: string[];
  agentTier: TierCode;
  intentId: string;
  /**
   * The authority level the policy's ESCALATE asked for, also when an approval turned it into ALLOW;
   * absent (and removed from the step) when the policy did not escalate.
   */
  authorityLevel?: number;
}

/** The step statuses the gate may decide from (docs/backend.md, workflow-item.ts). */
export const DECIDABLE_STEP_STATUSES = [
  'PENDING',
  'DECIDED',
  'APPROVED',
] as const satisfies readonly StepStatus[];

/**
 * Records the decision on the step, provided the workflow is still running and the step is still in a
 * status the gate decides from: a step that moved on since it was read (an escalation opened, a failure
 * recorded, a concurrent invocation's result committed) is read again rather than overwritten.
 */
export function stepDecidedWrite(
  table: string,
  workflowId: string,
  stepIndex: number,
  decided: StepDecision,
  updatedAt: string,
): TransactWriteItem {
  const step = stepPath(stepIndex);
  const set =
    `SET ${step}.#status = :decided, ${step}.decision = :decision, ${step}.reasons = :reasons, ` +
    `${step}.agentTier = :agentTier, ${step}.intentId = :intentId, updatedAt = :updatedAt` +
    (decided.authorityLevel === undefined ? '' : `, ${step}.authorityLevel = :authorityLevel`);
  const decidable = DECIDABLE_STEP_STATUSES.map((_, index) => `:decidable${index}`);
  return {
    Update: {
      TableName: table,
      Key: { workflowId },
      UpdateExpression: decided.authorityLevel === undefined ? `${set} REMOVE ${step}.authorityLevel` : set,
      ConditionExpression: `#status = :running AND ${step}.#status IN (${decidable.join(', ')})`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':decided': 'DECIDED',
        ':running': 'RUNNING',
        ':decision': decided.decision,
        ':reasons': decided.reasons,
        ':agentTier': decided.agentTier,
        ':intentId': decided.intentId,
        ':updatedAt': updatedAt,
        ...(decided.authorityLevel === undefined ? {} : { ':authorityLevel': decided.authorityLevel }),
        ...Object.fromEntries(DECIDABLE_STEP_STATUSES.map((status, index) => [`:decidable${index}`, status])),
      },
    },
  };
}

export interface StepResult {
  intentId: string;
  output: string;
  tokens: TokenUsage;
  costUsd: number;
  durationMs: number;
  proofHash: string;
  completedAt: string;
  /** Absent when the agent's provider call produced the output. */
  servedBy?: StepServing;
  /** What the agent recalled and what became of its output (the provider path only). */
  memory?: StepMemory;
}

/**
 * Records the step's result, provided the workflow is still running and the step still carries the
 * intent this result executed (a later attempt of the same step would have replaced it).
 */
export function stepSucceededWrite(
  table: string,
  workflowId: string,
  stepIndex: number,
  result: StepResult,
): TransactWriteItem {
  const step = stepPath(stepIndex);
  return {
    Update: {
      TableName: table,
      Key: { workflowId },
      UpdateExpression:
        `SET ${step}.#status = :succeeded, ${step}.#output = :output, ${step}.tokens = :tokens, ` +
        `${step}.costUsd = :costUsd, ${step}.durationMs = :durationMs, ${step}.proofHash = :proofHash, ` +
        `${step}.completedAt = :completedAt, updatedAt = :completedAt` +
        (result.servedBy === undefined ? '' : `, ${step}.servedBy = :servedBy`) +
        (result.memory === undefined ? '' : `, ${step}.#memory = :memory`),
      ConditionExpression: `#status = :running AND ${step}.intentId = :intentId`,
      ExpressionAttributeNames: {
        '#status': 'status',
        '#output': 'output',
        ...(result.memory === undefined ? {} : { '#memory': 'memory' }),
      },
      ExpressionAttributeValues: {
        ':succeeded': 'SUCCEEDED',
        ':running': 'RUNNING',
        ':intentId': result.intentId,
        ':output': result.output,
        ':tokens': result.tokens,
        ':costUsd': result.costUsd,
        ':durationMs': result.durationMs,
        ':proofHash': result.proofHash,
        ':completedAt': result.completedAt,
        ...(result.servedBy === undefined ? {} : { ':servedBy': result.servedBy }),
        ...(result.memory === undefined ? {} : { ':memory': result.memory }),
      },
    },
  };
}

/**
 * Passes the step to a fallback agent, provided the workflow still runs and the step is still the first
 * agent's, decided on `handover.fromIntentId`. The decision and an approval (a reviewer approved that agent
 * doing it, not another) go; the fallback's gate decides the step afresh from PENDING.
 */
export function stepHandoverWrite(
  table: string,
  workflowId: string,
  stepIndex: number,
  toAgentId: string,
  handover: StepHandover,
): TransactWriteItem {
  const step = stepPath(stepIndex);
  return {
    Update: {
      TableName: table,
      Key: { workflowId },
      UpdateExpression:
        `SET ${step}.agentId = :toAgentId, ${step}.handover = :handover, ${step}.#status = :pending, ` +
        `updatedAt = :at REMOVE ${step}.decision, ${step}.reasons, ${step}.agentTier, ${step}.intentId, ` +
        `${step}.authorityLevel, ${step}.approval`,
      ConditionExpression:
        `#status = :running AND ${step}.agentId = :fromAgentId AND ${step}.intentId = :fromIntentId ` +
        `AND ${step}.#status = :decided`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':toAgentId': toAgentId,
        ':handover': handover,
        ':pending': 'PENDING',
        ':decided': 'DECIDED',
        ':running': 'RUNNING',
        ':at': handover.at,
        ':fromAgentId': handover.fromAgentId,
        ':fromIntentId': handover.fromIntentId,
      },
    },
  };
}

/** Stores the agent's breaker under the optimistic lock of the agent item's version. */
export function breakerWrite(
  table: string,
  agent: { tenantId: string; agentId: string; version: number },
  breaker: BreakerState,
  updatedAt: string,
): TransactWriteItem {
  return {
    Update: {
      TableName: table,
      Key: { tenantId: agent.tenantId, agentId: agent.agentId },
      UpdateExpression: 'SET breaker = :breaker, version = :nextVersion, updatedAt = :updatedAt',
      ConditionExpression: 'version = :readVersion',
      ExpressionAttributeValues: {
        ':breaker': breaker,
        ':readVersion': agent.version,
        ':nextVersion': agent.version + 1,
        ':updatedAt': updatedAt,
      },
    },
  };
}

function stepPath(stepIndex: number): string {
  if (!Number.isSafeInteger(stepIndex) || stepIndex < 0) {
    throw new RangeError(`step index must be a non-negative integer, got ${stepIndex}`);
  }
  return `steps[${stepIndex}]`;
}
