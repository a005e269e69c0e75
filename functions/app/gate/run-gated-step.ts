// The gate (SPEC §1 Cognigate): one workflow step, from trust check to proof.
//
//   1. read     one BatchGetItem: workflow, agent, tenant bucket, the agent's memory meta item
//   2. decide   tier from the decayed score, breaker canPass, token bucket take, Cedar decision, a
//               reviewer's approval applied (approved-decision.ts); then one TransactWriteItems: intent +
//               chain head (the intent ledger) + bucket + step DECIDED
//   3. refuse   DENY / ESCALATE fail the step (GateError), after the decision is on record; so does
//               `input.failAt` naming the step, outside production, after its ALLOW is on record
//   4. execute  the agent's memories recalled when it has any (step-memory.ts: a Query, and a BatchGetItem
//               when some qualify), context assembled within the token budget,
//               provider call under the decision's timeout;
//               while the agent's breaker refuses calls: a cached result, a fallback agent or a degraded
//               answer instead (serve-open-circuit.ts)
//   5. record   one TransactWriteItems: proof + step SUCCEEDED + agent breaker (+ the result cache's entry,
//               + the output as a memory when the step asks to remember it)
//   6. announce one PutEvents: intent.declared, intent.decided, execution.succeeded | .failed, and
//               circuit.* / budget.exceeded when they happened (gate-events.ts); a refused or failed step
//               announces what it got to before its error is thrown
// That is three DynamoDB requests and one EventBridge request beyond the provider call, for an agent without
// memories. Recall adds one or two, remembering a short-term memory one (its ring sequence). More are made only to recover from a lost
// race (a concurrent gate took the same bucket or moved the same agent's breaker: read again, retry), to
// admit a HALF_OPEN probe (the admission must be stored before the call so that concurrent gates see
// it), and to record a provider failure in the breaker.
//
// A step that already SUCCEEDED (the state machine retried an invocation whose result was committed)
// is answered from the workflow item without a second intent, call or proof; its execution.succeeded is
// put again (same event id), in case what failed the first invocation was announcing it.
//
// The steps of a parallel workflow run at once: their gates write different steps of the same workflow
// item and take from the same tenant bucket. The step updates carry no version lock (each touches its own
// list element only), so they collide only as TransactionConflict cancellations, which are lost races like
// the bucket's: read again, retry.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type BreakerConfig, DEFAULT_BREAKER_CONFIG } from '../../core/breaker/breaker-config.ts';
import type { BreakerState } from '../../core/breaker/breaker-state.ts';
import {
  type BreakerTransition,
  canPass,
  type PassDecision,
  type RecordResult,
  recordFailure,
  recordSuccess,
} from '../../core/breaker/circuit-breaker.ts';
import { cacheMayServe, type StepServing } from '../../core/breaker/open-circuit-serving.ts';
import { sectionSourceIds } from '../../core/budget/section-sources.ts';
import type { Summarizer } from '../../core/budget/summarizer.ts';
import type { TrustgateEvent } from '../../core/events/event-envelope.ts';
import type { Decision } from '../../core/policy/decision.ts';
import type { PolicyStore } from '../../core/policy/policy-store.ts';
import { resultHash } from '../../core/proofs/result-hash.ts';
import { DEFAULT_RATE_LIMIT } from '../../core/rate-limit/rate-limit-plans.ts';
import { fullTokenBucket, type TokenBucketConfig, take } from '../../core/rate-limit/token-bucket.ts';
import { parseTierCode, type TierCode, tierCode, tierForScore } from '../../core/trust/tiers.ts';
import { effectiveScore } from '../../core/trust/trust-state.ts';
import type { AgentItem } from '../../data/agent-item.ts';
import { getAgent } from '../../data/agents-repository.ts';
import {
  ChainAppendContentionError,
  declareIntent,
  intentDecision,
  type TenantIntentRecord,
} from '../../data/intent-ledger.ts';
import { isLongTermLimitCancellation } from '../../data/memory-repository.ts';
import { proofPutItem } from '../../data/proofs-repository.ts';
import type { EventPublisher } from '../../events/event-publisher.ts';
import type {
  AiProvider,
  CompletionRequest,
  CompletionResult,
  ProviderConfig,
} from '../../providers/provider.ts';
import { ProviderError } from '../../providers/provider.ts';
import { isProductionStage } from '../workflows/production-stage.ts';
import { workflowErrorCode } from '../workflows/workflow-error.ts';
import type { StepMemory, StepState, WorkflowItem } from '../workflows/workflow-item.ts';
import { applyApproval } from './approved-decision.ts';
import { GATE_ERROR_NAMES, GateError, stepInvalid } from './gate-errors.ts';
import {
  budgetEvents,
  circuitEvents,
  decisionEvents,
  type ExecutionFacts,
  executionFailedEvent,
  executionSucceededEvent,
  type StepPlace,
} from './gate-events.ts';
import { type GateSnapshot, type GateTables, readGateSnapshot } from './gate-snapshot.ts';
import type { GateStepInput } from './gate-step-input.ts';
import {
  breakerWrite,
  bucketWrite,
  DECIDABLE_STEP_STATUSES,
  type StepResult,
  stepDecidedWrite,
  stepSucceededWrite,
} from './gate-writes.ts';
import { raceBackoff } from './race-backoff.ts';
import { cachedResultPut, completionInputHash } from './result-cache.ts';
import { type BreakerRefusal, serveOpenCircuit } from './serve-open-circuit.ts';
import { stepCompletionRequest, stepRequestText } from './step-completion-request.ts';
import { type GateMemory, planRememberOutput, recallForStep, type StepMemoryPlan } from './step-memory.ts';
import { itemCancellation, lostRaceOn } from './transaction-cancellation.ts';

export interface GateDependencies {
  client: DynamoDBDocumentClient;
  tables: GateTables;
  policies: PolicyStore;
  providerFor: (config: ProviderConfig) => AiProvider;
  /** Epoch milliseconds. */
  clock: () => number;
  /** A fresh UUIDv7 for each declared intent. */
  newIntentId: () => string;
  summarizer: Summarizer;
  /** Where the agents' memories are recalled from and remembered to. */
  memory: GateMemory;
  breakerConfig?: Readonly<BreakerConfig>;
  rateLimit?: Readonly<TokenBucketConfig>;
  /** The deployment stage (STAGE): in production the gate ignores `input.failAt`. */
  stage?: string;
  /** Where the step's events go (SPEC §5). */
  events: EventPublisher;
  /** Told when the events of a refused or failed step could not be put; the step's own error still wins. */
  onUndeliveredEvents?: (error: unknown, events: readonly TrustgateEvent[], stepError: unknown) => void;
}

/** What the gate returns to the state machine: small, since every Map iteration's result is kept. */
export interface GatedStepOutcome {
  workflowId: string;
  stepIndex: number;
  step: string;
  status: 'SUCCEEDED';
  decision: 'ALLOW';
  /** The agent whose intent the result answers: a fallback's when the step was handed over. */
  agentId: string;
  agentTier: TierCode;
  intentId: string;
  proofHash: string;
  /** `agent`: its provider call; else a cached result or a degraded answer (the breaker was open). */
  servedBy: 'agent' | StepServing['kind'];
}

/**
 * How often a phase re-reads and retries after losing an optimistic lock before giving up. A parallel
 * workflow runs up to 10 sub-tasks at once on one tenant bucket; a gate loses the bucket only to another
 * gate that committed since its read, so among 10 it loses at most 9 times and 10 attempts see every one
 * through (test/integration/workflows/gate-flows.test.ts runs 10 at once).
 */
export const MAX_RACE_ATTEMPTS = 10;

// Item positions in the decision transaction: the intent ledger puts the intent at 0 and the chain head
// at 1, followed by our extra items in the order given.
const BUCKET_ITEM = 2;
const STEP_DECIDED_ITEM = 3;
// Item positions in the result transaction.
const STEP_RESULT_ITEM = 1;
const AGENT_BREAKER_ITEM = 2;

interface DecidedStep {
  workflow: WorkflowItem;
  stepIndex: number;
  step: StepState;
  agent: AgentItem;
  agentTier: TierCode;
  /** The effective score the decision was made on. */
  score: number;
  decision: Decision;
  intent: TenantIntentRecord;
  /**
   * canPass's answer: the breaker state it admitted the call with and the probe round to report back, or
   * its refusal (the step is then served while the circuit is open).
   */
  admission: PassDecision;
  /** False when the agent has never had a memory: nothing to recall, no query made. */
  agentHasMemory: boolean;
}

type DecisionPhase =
  | { kind: 'completed'; outcome: GatedStepOutcome; events: TrustgateEvent[] }
  | { kind: 'decided'; decided: DecidedStep }
  | HandedOver;

/** The step now belongs to a fallback agent: the gate runs again for it. */
interface HandedOver {
  kind: 'handedOver';
  toAgentId: string;
}

/** The agent item fields the breaker's optimistic lock needs. */
interface AgentLock {
  tenantId: string;
  agentId: string;
  version: number;
  breaker: BreakerState;
}

/** Time left in the invocation; the provider call must end early enough to record its outcome. */
export interface GateInvocation {
  remainingTimeMs: () => number;
}

/** What recording a result or a failure needs after the provider call: two or three DynamoDB requests. */
export const RECORDING_RESERVE_MS = 3_000;

export async function runGatedStep(
  deps: GateDependencies,
  input: GateStepInput,
  invocation: GateInvocation,
): Promise<GatedStepOutcome> {
  const startedAt = deps.clock();
  const phase = await decideStep(deps, input);
  if (phase.kind === 'handedOver')
    return runGatedStep(deps, { ...input, agentId: phase.toAgentId }, invocation);
  if (phase.kind === 'completed') {
    await deps.events.publish(phase.events);
    return phase.outcome;
  }
  const { decided } = phase;
  const place: StepPlace = {
    workflowId: input.workflowId,
    step: decided.step.name,
    stepIndex: input.stepIndex,
  };
  const events = decisionEvents({
    intent: decided.intent,
    decision: decided.decision,
    agentTier: decided.agentTier,
    score: decided.score,
    place,
  });
  let outcome: GatedStepOutcome | HandedOver;
  try {
    outcome = await executeDecidedStep(deps, input, invocation, decided, { startedAt, place, events });
  } catch (error) {
    await announceBeforeFailing(deps, events, error);
    throw error;
  }
  // A put that keeps failing fails the invocation; its retry finds the step SUCCEEDED (or handed over, and
  // follows the handover) and puts again.
  await deps.events.publish(events);
  if ('toAgentId' in outcome) {
    return runGatedStep(deps, { ...input, agentId: outcome.toAgentId }, invocation);
  }
  return outcome;
}

/**
 * From an ALLOW on record to the recorded result, appending to `events` what happened on the way. Throws
 * the step's error for DENY, ESCALATE, failAt and provider failures, after adding execution.failed and any
 * breaker transition.
 */
async function executeDecidedStep(
  deps: GateDependencies,
  input: GateStepInput,
  invocation: GateInvocation,
  decided: DecidedStep,
  run: { startedAt: number; place: StepPlace; events: TrustgateEvent[] },
): Promise<GatedStepOutcome | HandedOver> {
  const facts = (at: number): ExecutionFacts => ({
    tenantId: input.tenantId,
    agentId: decided.agent.agentId,
    intentId: decided.intent.intentId,
    action: decided.step.intent,
    agentTier: decided.agentTier,
    place: run.place,
    at,
    durationMs: at - run.startedAt,
  });
  refuseUnlessAllowed(decided.decision);
  try {
    refuseInjectedFailure(deps, decided);
  } catch (error) {
    run.events.push(executionFailedEvent(facts(deps.clock()), failureOf(error)));
    throw error;
  }

  const limits = decided.decision.limits;
  const stepRequest = stepRequestText(decided.workflow, input.stepIndex);
  const recall = decided.agentHasMemory
    ? await recallForStep(deps.memory, {
        tenantId: input.tenantId,
        agentId: decided.agent.agentId,
        query: stepRequest,
        now: deps.clock(),
      })
    : { items: [] };
  const { request, context } = await stepCompletionRequest(
    decided.workflow,
    input.stepIndex,
    { agentId: decided.agent.agentId, name: decided.agent.name, role: decided.agent.role },
    limits,
    deps.summarizer,
    recall.items,
  );
  const stepMemory: StepMemory = {
    recalled: sectionSourceIds('memory', context.memory.itemIds, context.actions),
    ...(recall.unavailable === undefined ? {} : { recallUnavailable: recall.unavailable }),
  };
  run.events.push(
    ...budgetEvents({
      tenantId: input.tenantId,
      agentId: decided.agent.agentId,
      intentId: decided.intent.intentId,
      place: run.place,
      at: deps.clock(),
      actions: context.actions,
    }),
  );

  const admitted = await admitCall(deps, decided);
  if (!admitted.admitted) {
    // No execution happens, so no execution.* event: the agent's trust is neither credited for a cached
    // or degraded answer nor penalized again for the failures that opened its breaker.
    const served = await serveOpenCircuit(
      { client: deps.client, tables: deps.tables, clock: deps.clock, breakerConfig: breakerConfigOf(deps) },
      {
        workflow: decided.workflow,
        stepIndex: input.stepIndex,
        step: decided.step,
        agent: decided.agent,
        intentId: decided.intent.intentId,
        startedAt: run.startedAt,
        request,
      },
      admitted.refusal,
    );
    if (served.kind === 'handedOver') return served;
    return stepOutcome(input, decided, served.result);
  }
  const { lock, probeRound } = admitted;

  let completion: CompletionResult;
  try {
    const provider = deps.providerFor(decided.agent.provider);
    // The decision's timeout, cut short when the invocation would end first: a call the Lambda runtime
    // kills leaves no failure in the breaker, a timed-out call does.
    const timeoutMs = Math.max(
      1,
      Math.min(limits.timeoutMs, invocation.remainingTimeMs() - RECORDING_RESERVE_MS),
    );
    completion = await provider.complete(request, AbortSignal.timeout(timeoutMs));
  } catch (error) {
    const failure = providerFailure(error);
    run.events.push(executionFailedEvent(facts(deps.clock()), failureOf(failure)));
    const recorded = await updateBreaker(deps, lock, (breaker, now) =>
      recordFailure(breaker, now, breakerConfigOf(deps), probeRound),
    );
    run.events.push(...breakerEvents(deps, decided, recorded));
    throw failure;
  }

  const finishedAt = deps.clock();
  const proofHash = resultHash({
    intentId: decided.intent.intentId,
    result: completion.text,
    timestamp: finishedAt,
  });
  const result: StepResult = {
    intentId: decided.intent.intentId,
    output: completion.text,
    tokens: { input: completion.usage.inputTokens, output: completion.usage.outputTokens },
    costUsd: decided.agent.costPerCall,
    durationMs: finishedAt - run.startedAt,
    proofHash,
    completedAt: new Date(finishedAt).toISOString(),
    memory: stepMemory,
  };
  const remember = decided.step.remember;
  const memoryPlan: StepMemoryPlan =
    remember === undefined
      ? { items: [], record: {} }
      : await planRememberOutput(deps.memory, deps.summarizer, {
          remember,
          tenantId: input.tenantId,
          agentId: decided.agent.agentId,
          workflowId: input.workflowId,
          stepName: decided.step.name,
          stepIndex: input.stepIndex,
          intentId: decided.intent.intentId,
          request: stepRequest,
          output: completion.text,
          completedAtMs: finishedAt,
          embedTimeoutMs: invocation.remainingTimeMs() - RECORDING_RESERVE_MS,
        });
  const recorded = await recordResult(deps, decided, { lock, probeRound }, result, request, memoryPlan);
  run.events.push(
    executionSucceededEvent(facts(finishedAt), result),
    ...breakerEvents(deps, decided, recorded),
  );
  return stepOutcome(input, decided, result);
}

function stepOutcome(input: GateStepInput, decided: DecidedStep, result: StepResult): GatedStepOutcome {
  return {
    workflowId: input.workflowId,
    stepIndex: input.stepIndex,
    step: decided.step.name,
    status: 'SUCCEEDED',
    decision: 'ALLOW',
    agentId: decided.agent.agentId,
    agentTier: decided.agentTier,
    intentId: result.intentId,
    proofHash: result.proofHash,
    servedBy: result.servedBy?.kind ?? 'agent',
  };
}

/** A refused or failed step still announces its decision and outcome; its own error is what the flow sees. */
async function announceBeforeFailing(
  deps: GateDependencies,
  events: readonly TrustgateEvent[],
  stepError: unknown,
): Promise<void> {
  try {
    await deps.events.publish(events);
  } catch (error) {
    // Replacing the step's error would change what the flow retries or catches.
    deps.onUndeliveredEvents?.(error, events, stepError);
  }
}

function failureOf(error: unknown): { errorCode: string; message: string } {
  const name = error instanceof Error ? error.name : 'Error';
  return {
    errorCode: workflowErrorCode(name),
    message: error instanceof Error ? error.message : String(error),
  };
}

function breakerEvents(
  deps: GateDependencies,
  decided: DecidedStep,
  recorded: { transition: BreakerTransition | null; state: BreakerState },
): TrustgateEvent[] {
  return circuitEvents({
    tenantId: decided.agent.tenantId,
    agentId: decided.agent.agentId,
    intentId: decided.intent.intentId,
    transition: recorded.transition,
    state: recorded.state,
    config: breakerConfigOf(deps),
  });
}

async function decideStep(deps: GateDependencies, input: GateStepInput): Promise<DecisionPhase> {
  for (let attempt = 1; attempt <= MAX_RACE_ATTEMPTS; attempt++) {
    if (attempt > 1) await raceBackoff(attempt);
    const snapshot = await readGateSnapshot(deps.client, deps.tables, input, deps.memory.table);
    const toAgentId = handedOverTo(snapshot, input);
    if (toAgentId !== undefined) return { kind: 'handedOver', toAgentId };
    const { workflow, step, agent } = requireRunnableStep(snapshot, input);
    if (step.status === 'SUCCEEDED') {
      return {
        kind: 'completed',
        outcome: completedOutcome(input, step),
        events: completedEvents(input, step),
      };
    }

    const now = deps.clock();
    const score = effectiveScore(agent.trust, now);
    const tier = tierForScore(score);
    const agentTier = tierCode(tier);
    // A refusing breaker does not stop the decision: the policy decides first, and an allowed step is then
    // served while the circuit is open (serve-open-circuit.ts) instead of calling the provider.
    const pass = canPass(agent.breaker, now, breakerConfigOf(deps));
    const taken = take(
      snapshot.bucket?.bucket ?? fullTokenBucket(),
      now,
      deps.rateLimit ?? DEFAULT_RATE_LIMIT,
    );
    if (!taken.allowed) {
      const wait = taken.reason === 'insufficient_tokens' ? `; retry in ${taken.retryAfterMs} ms` : '';
      throw new GateError(
        GATE_ERROR_NAMES.rateLimited,
        `tenant "${input.tenantId}" is over its rate limit${wait}`,
      );
    }
    const policyDecision = deps.policies.decide({
      tenantId: input.tenantId,
      agent: { manifest: agent.manifest, score },
      action: step.intent,
      resource: step.resource,
      requiredTier: parseTierCode(step.requiredTier),
    });
    const decision = applyApproval(policyDecision, {
      approval: step.approval,
      currentEscalationId: step.escalation?.escalationId,
      agentTier: tier,
      manifest: agent.manifest,
    });

    // The id is fixed before the transaction so the step can name its intent in the same transaction;
    // the ledger's own retries after a lost chain race reuse it, as nothing of a cancelled attempt remains.
    const intentId = deps.newIntentId();
    try {
      const { record } = await declareIntent(deps.client, {
        tables: { agents: deps.tables.agents, intents: deps.tables.intents },
        tenantId: input.tenantId,
        agentId: agent.agentId,
        draft: {
          action: step.intent,
          resource: step.resource,
          context: {
            workflowId: input.workflowId,
            step: step.name,
            stepIndex: input.stepIndex,
            requiredTier: step.requiredTier,
          },
        },
        decision: intentDecision(decision),
        knownHead: { chainHead: agent.chainHead },
        extraItems: [
          bucketWrite(deps.tables.gateState, input.tenantId, taken.state, snapshot.bucket?.version),
          stepDecidedWrite(
            deps.tables.workflows,
            input.workflowId,
            input.stepIndex,
            {
              decision: decision.decision,
              reasons: decision.reasons.map((reason) => reason.message),
              agentTier,
              intentId,
              ...(policyDecision.decision === 'ESCALATE'
                ? { authorityLevel: policyDecision.escalation.level }
                : {}),
            },
            new Date(now).toISOString(),
          ),
        ],
        ids: { clock: deps.clock, newIntentId: () => intentId },
      });
      return {
        kind: 'decided',
        decided: {
          workflow,
          stepIndex: input.stepIndex,
          step,
          agent,
          agentTier,
          score,
          decision,
          intent: record,
          admission: pass,
          agentHasMemory: snapshot.agentHasMemory,
        },
      };
    } catch (error) {
      if (error instanceof ChainAppendContentionError) {
        throw new GateError(GATE_ERROR_NAMES.contended, error.message, { cause: error });
      }
      // A failed step condition means the workflow or the step moved on since the read (finished, an
      // escalation opened, a concurrent invocation decided or succeeded): the next read says which.
      if (!lostRaceOn(error, [BUCKET_ITEM, STEP_DECIDED_ITEM])) throw error;
    }
  }
  throw contended(`the token bucket of tenant "${input.tenantId}" or workflow "${input.workflowId}"`);
}

/**
 * The agent the step was handed over to, when the gate is asked again for the agent that handed it over
 * (the state machine retried an invocation after the handover was stored).
 */
function handedOverTo(snapshot: GateSnapshot, input: GateStepInput): string | undefined {
  const step = snapshot.workflow?.steps[input.stepIndex];
  if (step?.handover?.fromAgentId !== input.agentId || step.agentId === input.agentId) return undefined;
  return step.agentId;
}

function requireRunnableStep(
  snapshot: GateSnapshot,
  input: GateStepInput,
): { workflow: WorkflowItem; step: StepState; agent: AgentItem } {
  const { workflow, agent } = snapshot;
  if (!workflow || workflow.tenantId !== input.tenantId) {
    throw stepInvalid(`workflow "${input.workflowId}" does not exist in tenant "${input.tenantId}"`);
  }
  const step = workflow.steps[input.stepIndex];
  if (!step) throw stepInvalid(`workflow "${input.workflowId}" has no step ${input.stepIndex}`);
  if (step.agentId === undefined) {
    throw stepInvalid(
      `step "${step.name}" is not routed yet: no agent of role "${step.role}" has been assigned to it`,
    );
  }
  if (step.agentId !== input.agentId) {
    throw stepInvalid(`step "${step.name}" is assigned to agent "${step.agentId}", not "${input.agentId}"`);
  }
  if (step.status === 'SUCCEEDED') return requireAgent(workflow, step, agent, input);
  if (workflow.status !== 'RUNNING') throw workflowNotRunning(input);
  if (step.status === 'WAITING_APPROVAL') {
    // The gate must not decide while a human does: the approval (or the rejection) is what comes next.
    const escalation = step.escalation ? ` in escalation ${step.escalation.escalationId}` : '';
    throw stepInvalid(`step "${step.name}" is waiting for a reviewer's approval${escalation}`);
  }
  if (!(DECIDABLE_STEP_STATUSES as readonly string[]).includes(step.status)) {
    throw stepInvalid(`step "${step.name}" is ${step.status} and cannot run`);
  }
  // A sequential or saga step builds on every earlier output (a saga's on every earlier effect); it must
  // not run after (or beside) a step that has not succeeded. Parallel sub-tasks are independent.
  if (workflow.type !== 'parallel') {
    const unfinished = workflow.steps
      .slice(0, input.stepIndex)
      .find((earlier) => earlier.status !== 'SUCCEEDED');
    if (unfinished) {
      throw stepInvalid(`step "${step.name}" cannot run before step "${unfinished.name}" has succeeded`);
    }
  }
  return requireAgent(workflow, step, agent, input);
}

function requireAgent(
  workflow: WorkflowItem,
  step: StepState,
  agent: AgentItem | undefined,
  input: GateStepInput,
): { workflow: WorkflowItem; step: StepState; agent: AgentItem } {
  if (!agent) throw stepInvalid(`agent "${input.agentId}" is not registered in tenant "${input.tenantId}"`);
  return { workflow, step, agent };
}

/** The execution.succeeded of a step recorded by an earlier invocation, as that invocation built it. */
function completedEvents(input: GateStepInput, step: StepState): TrustgateEvent[] {
  const completedAt = Date.parse(step.completedAt!);
  return [
    executionSucceededEvent(
      {
        tenantId: input.tenantId,
        agentId: input.agentId,
        intentId: step.intentId!,
        action: step.intent,
        agentTier: step.agentTier!,
        place: { workflowId: input.workflowId, step: step.name, stepIndex: input.stepIndex },
        at: completedAt,
        durationMs: step.durationMs!,
      },
      { tokens: step.tokens!, costUsd: step.costUsd!, proofHash: step.proofHash! },
    ),
  ];
}

function completedOutcome(input: GateStepInput, step: StepState): GatedStepOutcome {
  return {
    workflowId: input.workflowId,
    stepIndex: input.stepIndex,
    step: step.name,
    status: 'SUCCEEDED',
    decision: 'ALLOW',
    agentId: input.agentId,
    agentTier: step.agentTier!,
    intentId: step.intentId!,
    proofHash: step.proofHash!,
    servedBy: step.servedBy?.kind ?? 'agent',
  };
}

/**
 * DENY and ESCALATE end the step here; their decision and reasons are already on record, and an ESCALATE
 * also its authority level, from which the state machine opens the escalation.
 */
function refuseUnlessAllowed(
  decision: Decision,
): asserts decision is Extract<Decision, { decision: 'ALLOW' }> {
  const reasons = decision.reasons.map((reason) => reason.message).join('; ');
  if (decision.decision === 'DENY') throw new GateError(GATE_ERROR_NAMES.stepDenied, reasons);
  if (decision.decision === 'ESCALATE') {
    throw new GateError(
      GATE_ERROR_NAMES.stepEscalated,
      `escalation to authority level ${decision.escalation.level} required: ${reasons}`,
    );
  }
}

/**
 * `input.failAt` (tests and demos) fails the named step once its ALLOW is on record, before the breaker
 * admits a call: no provider call, no breaker change, no proof. Production ignores it; the API refuses it
 * there too.
 */
function refuseInjectedFailure(deps: GateDependencies, decided: DecidedStep): void {
  if (decided.workflow.input.failAt !== decided.step.name || isProductionStage(deps.stage)) return;
  throw new GateError(
    GATE_ERROR_NAMES.injectedFailure,
    `failure injected at step ${decided.step.name} by input.failAt`,
  );
}

/** An admitted call carries the probe round to report its outcome in (null: not a probe). */
type Admission =
  | { admitted: true; lock: AgentLock; probeRound: number | null }
  | { admitted: false; refusal: BreakerRefusal };

/**
 * Stores the breaker state canPass admitted the call with when admission changed it (OPEN → HALF_OPEN, a
 * probe slot taken), so concurrent gates see the probe in flight. A CLOSED breaker admits without a write.
 * A breaker that refused at the decision, or that another gate's probe filled meanwhile, refuses.
 */
async function admitCall(deps: GateDependencies, decided: DecidedStep): Promise<Admission> {
  const { agent, admission } = decided;
  if (!admission.allowed) return { admitted: false, refusal: admission };
  const lock: AgentLock = {
    tenantId: agent.tenantId,
    agentId: agent.agentId,
    version: agent.version,
    breaker: agent.breaker,
  };
  const { probeRound } = admission;
  if (admission.state === agent.breaker) return { admitted: true, lock, probeRound };
  let current = lock;
  let state = admission.state;
  for (let attempt = 1; attempt <= MAX_RACE_ATTEMPTS; attempt++) {
    try {
      await deps.client.send(new UpdateCommand(breakerUpdate(deps, current, state)));
      return {
        admitted: true,
        lock: { ...current, version: current.version + 1, breaker: state },
        probeRound,
      };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    await raceBackoff(attempt);
    current = await readAgentLock(deps, current);
    const pass = canPass(current.breaker, deps.clock(), breakerConfigOf(deps));
    if (!pass.allowed) return { admitted: false, refusal: pass };
    state = pass.state;
  }
  throw contended(`the breaker of agent "${agent.agentId}"`);
}

/**
 * Applies `next` to the agent's breaker under its version lock, re-reading the agent after a lost race;
 * answers with what the attempt that was stored did.
 */
async function updateBreaker(
  deps: GateDependencies,
  lock: AgentLock,
  next: (breaker: BreakerState, now: number) => RecordResult,
): Promise<RecordResult> {
  let current = lock;
  for (let attempt = 1; attempt <= MAX_RACE_ATTEMPTS; attempt++) {
    const recorded = next(current.breaker, deps.clock());
    try {
      await deps.client.send(new UpdateCommand(breakerUpdate(deps, current, recorded.state)));
      return recorded;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    await raceBackoff(attempt);
    current = await readAgentLock(deps, current);
  }
  throw contended(`the breaker of agent "${lock.agentId}"`);
}

async function recordResult(
  deps: GateDependencies,
  decided: DecidedStep,
  admitted: { lock: AgentLock; probeRound: number | null },
  result: StepResult,
  request: CompletionRequest,
  memoryPlan: StepMemoryPlan,
): Promise<RecordResult> {
  const { workflow, agent, stepIndex } = decided;
  const cacheEntry = cacheMayServe(workflow.type)
    ? cachedResultPut(deps.tables.gateState, {
        tenantId: workflow.tenantId,
        agentId: agent.agentId,
        inputHash: completionInputHash(request),
        output: result.output,
        tokens: result.tokens,
        proofHash: result.proofHash,
        intentId: result.intentId,
        workflowId: workflow.workflowId,
        stepIndex,
        completedAtMs: Date.parse(result.completedAt),
      })
    : undefined;
  const proof = proofPutItem(deps.tables.proofs, {
    resultHash: result.proofHash,
    tenantId: workflow.tenantId,
    intentId: result.intentId,
    agentId: agent.agentId,
    workflowId: workflow.workflowId,
    step: stepIndex,
    timestamp: result.completedAt,
    ...(result.memory === undefined || result.memory.recalled.length === 0
      ? {}
      : { memoryIds: result.memory.recalled }),
  });
  // At the long-term bound the result is recorded without its memory, saying why.
  let memoryWrites = memoryPlan;
  let current = admitted.lock;
  for (let attempt = 1; attempt <= MAX_RACE_ATTEMPTS; attempt++) {
    const recorded = recordSuccess(current.breaker, deps.clock(), breakerConfigOf(deps), admitted.probeRound);
    const stepResult = stepSucceededWrite(deps.tables.workflows, workflow.workflowId, stepIndex, {
      ...result,
      ...(result.memory === undefined ? {} : { memory: { ...result.memory, ...memoryWrites.record } }),
    });
    const fixedItems = [
      proof,
      stepResult,
      breakerWrite(deps.tables.agents, current, recorded.state, result.completedAt),
      ...(cacheEntry === undefined ? [] : [cacheEntry]),
    ];
    const transaction: TransactWriteCommandInput = { TransactItems: [...fixedItems, ...memoryWrites.items] };
    try {
      await deps.client.send(new TransactWriteCommand(transaction));
      return recorded;
    } catch (error) {
      if (
        memoryWrites.limitItem !== undefined &&
        isLongTermLimitCancellation(error, fixedItems.length + memoryWrites.limitItem)
      ) {
        memoryWrites = { items: [], record: { notRemembered: 'memory_limit_reached' } };
        continue;
      }
      if (itemCancellation(error, STEP_RESULT_ITEM) === 'condition_failed') {
        throw stepInvalid(
          `workflow "${workflow.workflowId}" stopped running, or step "${decided.step.name}" was decided again, ` +
            'before its result could be recorded',
        );
      }
      if (!lostRaceOn(error, [STEP_RESULT_ITEM, AGENT_BREAKER_ITEM])) throw error;
    }
    await raceBackoff(attempt);
    current = await readAgentLock(deps, current);
  }
  throw contended(`the breaker of agent "${agent.agentId}"`);
}

function breakerUpdate(deps: GateDependencies, lock: AgentLock, breaker: BreakerState): UpdateCommandInput {
  return breakerWrite(deps.tables.agents, lock, breaker, new Date(deps.clock()).toISOString()).Update!;
}

async function readAgentLock(deps: GateDependencies, lock: AgentLock): Promise<AgentLock> {
  const agent = await getAgent(deps.client, deps.tables.agents, lock.tenantId, lock.agentId);
  if (!agent)
    throw stepInvalid(`agent "${lock.agentId}" was removed from tenant "${lock.tenantId}" during the step`);
  return { tenantId: agent.tenantId, agentId: agent.agentId, version: agent.version, breaker: agent.breaker };
}

function providerFailure(error: unknown): GateError {
  if (error instanceof ProviderError && error.retryable) {
    return new GateError(
      GATE_ERROR_NAMES.providerFailed,
      `the ${error.providerKind} provider failed: ${error.message}`,
      {
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GateError(GATE_ERROR_NAMES.providerRejected, `the provider refused the completion: ${message}`, {
    cause: error,
  });
}

function breakerConfigOf(deps: GateDependencies): Readonly<BreakerConfig> {
  return deps.breakerConfig ?? DEFAULT_BREAKER_CONFIG;
}

function workflowNotRunning(input: GateStepInput): GateError {
  return stepInvalid(`workflow "${input.workflowId}" is no longer running`);
}

function contended(what: string): GateError {
  return new GateError(
    GATE_ERROR_NAMES.contended,
    `${what} kept changing under concurrent gates for ${MAX_RACE_ATTEMPTS} attempts`,
  );
}
