// The router of a role-routed step (docs/backend.md "Functions of the flows", route; SPEC §4.3), invoked by
// the gated step's `Route` state with the attempt number the state machine counts.
//
//   already routed      the step has its agentId (a retried invocation after the write): answer it again
//   someone qualifies   one conditional Update: steps[i].agentId, routing, status PENDING
//   nobody qualifies    status QUEUED, routing with nextAttemptAt; the state machine waits retryInSeconds
//                       (queue-backoff.ts) and comes back with attempt + 1
//   … on the last one   the routing is recorded and Trustgate.NoQualifiedAgent fails the step
//
// Every write is conditioned on the workflow being RUNNING and the step being PENDING or QUEUED and not yet
// routed, so a stale or repeated invocation can never re-route a step or queue one that has its agent. When
// the condition fails, the step is read again: routed meanwhile → that agent is the answer.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type BreakerConfig, DEFAULT_BREAKER_CONFIG } from '../../core/breaker/breaker-config.ts';
import { selectAgent } from '../../core/routing/select-agent.ts';
import { parseTierCode } from '../../core/trust/tiers.ts';
import { GATE_ERROR_NAMES, GateError, stepInvalid } from '../gate/gate-errors.ts';
import { FLOW_WORKFLOW_FIELDS } from './flow-input.ts';
import { flowStep, readFlowWorkflow, requireRunning } from './flow-workflow.ts';
import { isLastRoutingAttempt, retryInSeconds } from './queue-backoff.ts';
import { readTenantAgents, routingCandidate } from './routing-candidates.ts';
import type { StepRouting, StepStatus } from './workflow-item.ts';

export const RouteStepInputSchema = z.strictObject({
  ...FLOW_WORKFLOW_FIELDS,
  stepIndex: z.int().min(0),
  /** 1 for the first try; the state machine adds one after each wait. */
  attempt: z.int().min(1),
});

export type RouteStepInput = z.output<typeof RouteStepInputSchema>;

export type RouteStepOutcome =
  | { queued: false; agentId: string; attempt: number }
  | { queued: true; retryInSeconds: number; nextAttempt: number; attempt: number };

export interface RouteDependencies {
  client: DynamoDBDocumentClient;
  tables: { workflows: string; agents: string };
  /** Epoch milliseconds. */
  clock: () => number;
  breakerConfig?: Readonly<BreakerConfig>;
}

const ROUTABLE_STATUSES: readonly StepStatus[] = ['PENDING', 'QUEUED'];

export async function routeStep(deps: RouteDependencies, input: RouteStepInput): Promise<RouteStepOutcome> {
  const workflow = await readFlowWorkflow(deps, input);
  requireRunning(workflow);
  const step = flowStep(workflow, input.stepIndex);
  if (step.role === undefined) {
    throw stepInvalid(`step "${step.name}" of workflow "${workflow.workflowId}" names no role to route by`);
  }
  if (step.agentId !== undefined) return routedTo(step.agentId, input.attempt);
  if (!ROUTABLE_STATUSES.includes(step.status)) {
    throw stepInvalid(
      `step "${step.name}" is ${step.status} without an agent; only PENDING or QUEUED is routed`,
    );
  }
  const requiredTier = parseTierCode(step.requiredTier);
  if (requiredTier === undefined) {
    throw stepInvalid(`step "${step.name}" has no valid requiredTier (${String(step.requiredTier)})`);
  }

  const nowMs = deps.clock();
  const breakerConfig = deps.breakerConfig ?? DEFAULT_BREAKER_CONFIG;
  const agents = await readTenantAgents(deps.client, deps.tables.agents, input.tenantId);
  const { preference } = workflow.options;
  const decision = selectAgent(
    agents.map((agent) => routingCandidate(agent, nowMs, breakerConfig)),
    { role: step.role, requiredTier, preference },
  );

  if (decision.outcome === 'selected') {
    const agentId = decision.agent.agentId;
    const routing: StepRouting = {
      preference,
      attempts: input.attempt,
      reason: decision.reason,
      alternatives: decision.alternatives.map((alternative) => alternative.agentId),
    };
    const written = await writeUnroutedStep(deps, input, nowMs, { routing, status: 'PENDING', agentId });
    return written ? routedTo(agentId, input.attempt) : routedMeanwhile(deps, input);
  }

  const { queue } = workflow.options;
  if (isLastRoutingAttempt(queue, input.attempt)) {
    const routing: StepRouting = { preference, attempts: input.attempt, reason: decision.reason };
    if (!(await writeUnroutedStep(deps, input, nowMs, { routing }))) return routedMeanwhile(deps, input);
    const attempts = `${input.attempt} attempt${input.attempt === 1 ? '' : 's'}`;
    throw new GateError(GATE_ERROR_NAMES.noQualifiedAgent, `${decision.reason} after ${attempts}`);
  }

  const waitSeconds = retryInSeconds(queue, input.attempt);
  const routing: StepRouting = {
    preference,
    attempts: input.attempt,
    reason: decision.reason,
    nextAttemptAt: new Date(nowMs + waitSeconds * 1000).toISOString(),
  };
  if (!(await writeUnroutedStep(deps, input, nowMs, { routing, status: 'QUEUED' }))) {
    return routedMeanwhile(deps, input);
  }
  return {
    queued: true,
    retryInSeconds: waitSeconds,
    nextAttempt: input.attempt + 1,
    attempt: input.attempt,
  };
}

function routedTo(agentId: string, attempt: number): RouteStepOutcome {
  return { queued: false, agentId, attempt };
}

interface UnroutedStepWrite {
  routing: StepRouting;
  /** Absent: the status stays as it is (the last attempt, which fails the step instead). */
  status?: StepStatus;
  agentId?: string;
}

/** One conditional Update of a step that has no agent yet; false when the condition no longer held. */
async function writeUnroutedStep(
  deps: RouteDependencies,
  input: RouteStepInput,
  nowMs: number,
  write: UnroutedStepWrite,
): Promise<boolean> {
  const step = `steps[${input.stepIndex}]`;
  const assignments = [`${step}.routing = :routing`, 'updatedAt = :updatedAt'];
  const values: Record<string, unknown> = {
    ':routing': write.routing,
    ':updatedAt': new Date(nowMs).toISOString(),
    ':running': 'RUNNING',
    ':pending': 'PENDING',
    ':queued': 'QUEUED',
  };
  if (write.status !== undefined) {
    assignments.push(`${step}.#status = :stepStatus`);
    values[':stepStatus'] = write.status;
  }
  if (write.agentId !== undefined) {
    assignments.push(`${step}.agentId = :agentId`);
    values[':agentId'] = write.agentId;
  }
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tables.workflows,
        Key: { workflowId: input.workflowId },
        UpdateExpression: `SET ${assignments.join(', ')}`,
        ConditionExpression:
          `tenantId = :tenantId AND #status = :running AND ${step}.#status IN (:pending, :queued) ` +
          `AND attribute_not_exists(${step}.agentId)`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':tenantId': input.tenantId },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** After a lost condition: the step's agent if another invocation routed it, else why it cannot be routed. */
async function routedMeanwhile(deps: RouteDependencies, input: RouteStepInput): Promise<RouteStepOutcome> {
  const workflow = await readFlowWorkflow(deps, input);
  const step = flowStep(workflow, input.stepIndex);
  if (step.agentId !== undefined) return routedTo(step.agentId, input.attempt);
  requireRunning(workflow);
  throw stepInvalid(
    `step "${step.name}" is ${step.status} without an agent; only PENDING or QUEUED is routed`,
  );
}
