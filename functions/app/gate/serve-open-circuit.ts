// The gate's path for an allowed step whose agent's breaker refuses calls (core/breaker/open-circuit-serving.ts
// says what may serve, in which order). The decision is already on record: a cached or degraded answer never
// bypasses the policy, it only replaces the provider call. No provider call is made and the agent's breaker
// is not touched here: it reopens or closes on real calls only.
//
//   cache      one GetItem; a fresh hit → one TransactWriteItems: proof + step SUCCEEDED servedBy cache
//   fallback   one Query of the tenant's agents, selectAgent among the others → one conditional Update that
//              hands the step over; the caller runs the gate again for the fallback
//   degraded   one TransactWriteItems: proof + step SUCCEEDED servedBy degraded (a saga step: refused)
//
// The proof of a served step hashes what the step returned (the cached output, the degraded text) with the
// step's own intent, like any other result.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BreakerConfig } from '../../core/breaker/breaker-config.ts';
import {
  cacheAgeMs,
  cacheMayServe,
  degradedAnswer,
  degradedMayServe,
  isFreshEntry,
  type OpenCircuitReason,
  type StepServing,
} from '../../core/breaker/open-circuit-serving.ts';
import { resultHash } from '../../core/proofs/result-hash.ts';
import { selectAgent } from '../../core/routing/select-agent.ts';
import { parseTierCode } from '../../core/trust/tiers.ts';
import type { AgentItem } from '../../data/agent-item.ts';
import { proofPutItem } from '../../data/proofs-repository.ts';
import type { CompletionRequest } from '../../providers/provider.ts';
import { readTenantAgents, routingCandidate } from '../workflows/routing-candidates.ts';
import type { StepState, WorkflowItem } from '../workflows/workflow-item.ts';
import { GATE_ERROR_NAMES, GateError, stepInvalid } from './gate-errors.ts';
import type { GateTables } from './gate-snapshot.ts';
import { type StepResult, stepHandoverWrite, stepSucceededWrite } from './gate-writes.ts';
import { completionInputHash, readCachedResult } from './result-cache.ts';
import { itemCancellation } from './transaction-cancellation.ts';

export interface OpenCircuitDependencies {
  client: DynamoDBDocumentClient;
  tables: GateTables;
  /** Epoch milliseconds. */
  clock: () => number;
  breakerConfig: Readonly<BreakerConfig>;
}

/** canPass's refusal. */
export interface BreakerRefusal {
  reason: OpenCircuitReason;
  retryAfterMs: number;
}

export interface OpenCircuitStep {
  workflow: WorkflowItem;
  stepIndex: number;
  step: StepState;
  agent: AgentItem;
  intentId: string;
  /** When the gate started on the step (its duration counts from there). */
  startedAt: number;
  /** The completion request the provider would have got: the cache's key. */
  request: CompletionRequest;
}

export type OpenCircuitOutcome =
  | { kind: 'served'; result: StepResult }
  | { kind: 'handedOver'; toAgentId: string };

// Item positions in the served transaction.
const STEP_RESULT_ITEM = 1;

export async function serveOpenCircuit(
  deps: OpenCircuitDependencies,
  open: OpenCircuitStep,
  refusal: BreakerRefusal,
): Promise<OpenCircuitOutcome> {
  const { workflow, agent } = open;
  if (cacheMayServe(workflow.type)) {
    const inputHash = completionInputHash(open.request);
    const cached = await readCachedResult(deps.client, deps.tables.gateState, {
      tenantId: workflow.tenantId,
      agentId: agent.agentId,
      inputHash,
    });
    const now = deps.clock();
    if (cached !== undefined && isFreshEntry(cached, now)) {
      const servedBy: StepServing = {
        kind: 'cache',
        cachedAt: cached.cachedAt,
        ageMs: cacheAgeMs(Date.parse(cached.cachedAt), now),
        sourceProofHash: cached.proofHash,
      };
      const result = await recordServed(deps, open, { output: cached.output, servedBy });
      return { kind: 'served', result };
    }
  }

  const fallback = await fallbackFor(deps, open);
  if (fallback.agentId !== undefined) {
    await handOver(deps, open, fallback.agentId, refusal);
    return { kind: 'handedOver', toAgentId: fallback.agentId };
  }

  const refused = `the circuit breaker of agent "${agent.agentId}" is open (${refusal.reason}); it lets calls through again in ${refusal.retryAfterMs} ms`;
  if (!degradedMayServe(workflow.type)) {
    // A saga step's output stands for an effect: only a real execution may produce it.
    throw new GateError(
      GATE_ERROR_NAMES.circuitOpen,
      `${refused}, and no fallback of role "${agent.role}" took the step (${fallback.noneBecause})`,
    );
  }
  const output = degradedAnswer({
    agentId: agent.agentId,
    role: agent.role,
    reason: refusal.reason,
    retryAfterMs: refusal.retryAfterMs,
    noFallbackBecause: fallback.noneBecause,
    nowMs: deps.clock(),
  });
  const servedBy: StepServing = {
    kind: 'degraded',
    reason: refusal.reason,
    retryAfterMs: refusal.retryAfterMs,
  };
  return { kind: 'served', result: await recordServed(deps, open, { output, servedBy }) };
}

/** The best other agent of the role that qualifies now, or why there is none. */
async function fallbackFor(
  deps: OpenCircuitDependencies,
  open: OpenCircuitStep,
): Promise<{ agentId: string; noneBecause?: never } | { agentId?: never; noneBecause: string }> {
  const { workflow, step, agent } = open;
  if (step.handover !== undefined) {
    return { noneBecause: `the step was handed over from agent "${step.handover.fromAgentId}" already` };
  }
  const requiredTier = parseTierCode(step.requiredTier);
  if (requiredTier === undefined) {
    throw stepInvalid(`step "${step.name}" has no valid requiredTier (${String(step.requiredTier)})`);
  }
  const now = deps.clock();
  const others = (await readTenantAgents(deps.client, deps.tables.agents, workflow.tenantId))
    .filter((candidate) => candidate.agentId !== agent.agentId)
    .map((candidate) => routingCandidate(candidate, now, deps.breakerConfig));
  const selected = selectAgent(others, {
    role: agent.role,
    requiredTier,
    preference: workflow.options.preference,
  });
  return selected.outcome === 'selected'
    ? { agentId: selected.agent.agentId }
    : { noneBecause: selected.reason };
}

async function handOver(
  deps: OpenCircuitDependencies,
  open: OpenCircuitStep,
  toAgentId: string,
  refusal: BreakerRefusal,
): Promise<void> {
  const write = stepHandoverWrite(
    deps.tables.workflows,
    open.workflow.workflowId,
    open.stepIndex,
    toAgentId,
    {
      fromAgentId: open.agent.agentId,
      fromIntentId: open.intentId,
      reason: refusal.reason,
      at: new Date(deps.clock()).toISOString(),
    },
  );
  try {
    await deps.client.send(new UpdateCommand(write.Update!));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      // Someone else moved the step since the decision: the state machine's retry reads what happened.
      throw new GateError(
        GATE_ERROR_NAMES.contended,
        `step "${open.step.name}" changed before it could be handed over to agent "${toAgentId}"`,
        { cause: error },
      );
    }
    throw error;
  }
}

async function recordServed(
  deps: OpenCircuitDependencies,
  open: OpenCircuitStep,
  served: { output: string; servedBy: StepServing },
): Promise<StepResult> {
  const { workflow, agent, stepIndex } = open;
  const finishedAt = deps.clock();
  const proofHash = resultHash({ intentId: open.intentId, result: served.output, timestamp: finishedAt });
  const result: StepResult = {
    intentId: open.intentId,
    output: served.output,
    // No provider call: nothing was spent.
    tokens: { input: 0, output: 0 },
    costUsd: 0,
    durationMs: finishedAt - open.startedAt,
    proofHash,
    completedAt: new Date(finishedAt).toISOString(),
    servedBy: served.servedBy,
  };
  const proof = proofPutItem(deps.tables.proofs, {
    resultHash: proofHash,
    tenantId: workflow.tenantId,
    intentId: open.intentId,
    agentId: agent.agentId,
    workflowId: workflow.workflowId,
    step: stepIndex,
    timestamp: result.completedAt,
  });
  const stepResult = stepSucceededWrite(deps.tables.workflows, workflow.workflowId, stepIndex, result);
  try {
    await deps.client.send(new TransactWriteCommand({ TransactItems: [proof, stepResult] }));
  } catch (error) {
    const cancellation = itemCancellation(error, STEP_RESULT_ITEM);
    if (cancellation === 'condition_failed') {
      throw stepInvalid(
        `workflow "${workflow.workflowId}" stopped running, or step "${open.step.name}" was decided again, ` +
          'before its result could be recorded',
      );
    }
    if (cancellation === 'conflict') {
      throw new GateError(GATE_ERROR_NAMES.contended, `step "${open.step.name}" was being written`, {
        cause: error,
      });
    }
    throw error;
  }
  return result;
}
