// The router (workflow/route) invoked as the gated step's Route state invokes it, against DynamoDB Local:
// workflows and agents written directly, the tenant's fleet read by the handler.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE_ERROR_NAMES } from '../../../functions/app/gate/gate-errors.ts';
import { type RouteStepOutcome, routeStep } from '../../../functions/app/workflows/route-step.ts';
import type { WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import { type BreakerState, initialBreakerState } from '../../../functions/core/breaker/breaker-state.ts';
import type { AgentItem } from '../../../functions/data/agent-item.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import {
  DEFAULT_OPTIONS,
  flowWorkflowItem,
  type Invoke,
  invocationFailure,
  putWorkflow,
  roleStep,
  storedWorkflow,
} from './flow-workflow-item.ts';
import { agentItem, type FleetAgent } from './workflow-fleet.ts';

let environment: ApiTestEnvironment;
let route: Invoke<RouteStepOutcome>;

beforeAll(async () => {
  environment = await startApiTestEnvironment('route');
  // Refusals are logged as warnings by design; here they are what the tests provoke.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  ({ handler: route } = (await import('../../../functions/workflow/route.handler.ts')) as unknown as {
    handler: Invoke<RouteStepOutcome>;
  });
});

afterAll(async () => {
  await environment?.stop();
});

let tenantCounter = 0;
/** Each test routes in a tenant of its own, so fleets never mix between tests. */
function newTenant(): string {
  tenantCounter += 1;
  return `route-${tenantCounter}`;
}

function general(agentId: string, score: number, costPerCall: number, breaker?: BreakerState): FleetAgent {
  return { agentId, role: 'general', actions: ['search_web'], score, costPerCall, breaker };
}

/** standard-agent: the cheapest T3+; premium-agent: the highest score; budget-agent: cheaper but T2. */
const GENERAL_FLEET: readonly FleetAgent[] = [
  general('budget-agent', 420, 0.001),
  general('standard-agent', 600, 0.01),
  general('premium-agent', 850, 0.05),
  // Best and cheapest of all, but not of the role.
  { agentId: 'research-agent', role: 'research', actions: ['search_web'], score: 950, costPerCall: 0.0001 },
];

async function putAgents(tenantId: string, agents: readonly FleetAgent[]): Promise<void> {
  const now = Date.now();
  for (const agent of agents) {
    await environment.documents.send(
      new PutCommand({ TableName: environment.tables.agents, Item: agentItem(tenantId, agent, now) }),
    );
  }
}

async function putRoutedWorkflow(
  tenantId: string,
  overrides: Partial<WorkflowItem> = {},
): Promise<WorkflowItem> {
  return putWorkflow(
    environment.documents,
    environment.tables.workflows,
    flowWorkflowItem(tenantId, overrides),
  );
}

function stored(workflowId: string): Promise<WorkflowItem> {
  return storedWorkflow(environment.documents, environment.tables.workflows, workflowId);
}

function routeEvent(workflow: WorkflowItem, attempt = 1, stepIndex = 0) {
  return { workflowId: workflow.workflowId, tenantId: workflow.tenantId, stepIndex, attempt };
}

function routeFailure(event: unknown): Promise<Error> {
  return invocationFailure(route, event);
}

function openBreaker(openUntilMs: number): BreakerState {
  return { ...initialBreakerState(), status: 'OPEN', consecutiveTrips: 1, openUntilMs, probeRound: 0 };
}

describe('routing a step to the best qualified agent', () => {
  it('picks the cheapest agent of the role at the required tier or above with preference cost', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, GENERAL_FLEET);
    const workflow = await putRoutedWorkflow(tenantId);

    const outcome = await route(routeEvent(workflow), testLambdaContext);

    expect(outcome).toEqual({ queued: false, agentId: 'standard-agent', attempt: 1 });
    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step).toMatchObject({
      agentId: 'standard-agent',
      status: 'PENDING',
      routing: { preference: 'cost', attempts: 1, alternatives: ['premium-agent'] },
    });
    expect(step!.routing!.reason).toMatch(
      /^lowest cost per call among 2 eligible agent\(s\) with role 'general' at T3/,
    );
    expect(step!.routing!.nextAttemptAt).toBeUndefined();
  });

  it('picks the highest trust score with preference quality', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, GENERAL_FLEET);
    const workflow = await putRoutedWorkflow(tenantId, {
      options: { ...DEFAULT_OPTIONS, preference: 'quality' },
    });

    const outcome = await route(routeEvent(workflow), testLambdaContext);

    expect(outcome).toEqual({ queued: false, agentId: 'premium-agent', attempt: 1 });
    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step!.routing).toMatchObject({ preference: 'quality', alternatives: ['standard-agent'] });
    expect(step!.routing!.reason).toMatch(/^highest trust score/);
  });

  it('routes the step the state machine names and leaves the others alone', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, GENERAL_FLEET);
    const workflow = await putRoutedWorkflow(tenantId, {
      steps: [roleStep(), roleStep({ name: 'summary', requiredTier: 'T4' })],
    });

    const outcome = await route(routeEvent(workflow, 1, 1), testLambdaContext);

    expect(outcome).toEqual({ queued: false, agentId: 'premium-agent', attempt: 1 });
    const [first, second] = (await stored(workflow.workflowId)).steps;
    expect(first).toEqual(workflow.steps[0]);
    expect(second!.agentId).toBe('premium-agent');
  });

  it('skips an agent whose breaker is OPEN', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, [
      general('standard-agent', 600, 0.01, openBreaker(Date.now() + 60_000)),
      general('premium-agent', 850, 0.05),
    ]);
    const workflow = await putRoutedWorkflow(tenantId);

    const outcome = await route(routeEvent(workflow), testLambdaContext);

    expect(outcome).toMatchObject({ queued: false, agentId: 'premium-agent' });
  });

  it('counts an OPEN breaker whose reset timeout elapsed as HALF_OPEN, without taking its probe slot', async () => {
    const tenantId = newTenant();
    const breaker = openBreaker(Date.now() - 1000);
    await putAgents(tenantId, [general('recovering-agent', 600, 0.01, breaker)]);
    const workflow = await putRoutedWorkflow(tenantId);

    const outcome = await route(routeEvent(workflow), testLambdaContext);

    expect(outcome).toMatchObject({ queued: false, agentId: 'recovering-agent' });
    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step!.routing!.reason).toContain('HALF_OPEN');
    // The gate admits the probe when the step runs; routing must leave the breaker as it was.
    const agent = await storedAgent(tenantId, 'recovering-agent');
    expect(agent.breaker).toEqual(breaker);
  });

  it('ranks a HALF_OPEN agent after a CLOSED one, and counts one with every probe slot taken as OPEN', async () => {
    const tenantId = newTenant();
    const now = Date.now();
    const probing: BreakerState = {
      ...initialBreakerState(),
      status: 'HALF_OPEN',
      consecutiveTrips: 1,
      probeRound: 1,
      probesInFlight: 1,
      lastProbeAtMs: now,
    };
    await putAgents(tenantId, [
      general('busy-probe-agent', 900, 0.001, probing),
      general('recovering-agent', 880, 0.002, openBreaker(now - 1000)),
      general('premium-agent', 700, 0.05),
    ]);
    const workflow = await putRoutedWorkflow(tenantId);

    await route(routeEvent(workflow), testLambdaContext);

    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step).toMatchObject({ agentId: 'premium-agent', routing: { alternatives: ['recovering-agent'] } });
  });

  it("never considers another tenant's agents", async () => {
    const tenantId = newTenant();
    const otherTenant = newTenant();
    await putAgents(otherTenant, GENERAL_FLEET);
    await putAgents(tenantId, [general('budget-agent', 420, 0.001)]);
    const workflow = await putRoutedWorkflow(tenantId);

    const outcome = await route(routeEvent(workflow), testLambdaContext);

    expect(outcome).toMatchObject({ queued: true });
    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step!.agentId).toBeUndefined();
    // Only the tenant's own agent was considered.
    expect(step!.routing!.reason).toContain('(1 considered: 1 tier_below_required)');
  });

  it('reads every page of a large fleet', async () => {
    const tenantId = newTenant();
    // Enough large agent items that the Query needs more than one 1 MB page, the only qualified agent
    // sorting last.
    const now = Date.now();
    for (let i = 0; i < 120; i++) {
      const item = agentItem(tenantId, general(`a-${String(i).padStart(3, '0')}`, 420, 0.001), now);
      await environment.documents.send(
        new PutCommand({
          TableName: environment.tables.agents,
          Item: { ...item, padding: 'x'.repeat(10_000) },
        }),
      );
    }
    await putAgents(tenantId, [general('zz-qualified-agent', 600, 0.01)]);
    const workflow = await putRoutedWorkflow(tenantId);
    const firstPage = await environment.documents.send(
      new QueryCommand({
        TableName: environment.tables.agents,
        KeyConditionExpression: 'tenantId = :tenantId',
        ExpressionAttributeValues: { ':tenantId': tenantId },
        ProjectionExpression: 'agentId',
      }),
    );
    expect(firstPage.LastEvaluatedKey).toBeDefined();

    const outcome = await route(routeEvent(workflow), testLambdaContext);

    expect(outcome).toMatchObject({ queued: false, agentId: 'zz-qualified-agent' });
  });
});

describe('queueing a step while nobody qualifies', () => {
  it('queues the step with the backoff of the workflow options and the next attempt', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, [general('budget-agent', 420, 0.001)]);
    const workflow = await putRoutedWorkflow(tenantId);
    const before = Date.now();

    const outcome = await route(routeEvent(workflow), testLambdaContext);

    expect(outcome).toEqual({ queued: true, retryInSeconds: 5, nextAttempt: 2, attempt: 1 });
    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step).toMatchObject({ status: 'QUEUED', routing: { preference: 'cost', attempts: 1 } });
    expect(step!.agentId).toBeUndefined();
    expect(step!.routing!.reason).toMatch(/^no agent with role 'general' at T3 or above/);
    const nextAttemptAt = Date.parse(step!.routing!.nextAttemptAt!);
    expect(nextAttemptAt).toBeGreaterThanOrEqual(before + 5000);
    expect(nextAttemptAt).toBeLessThanOrEqual(Date.now() + 5000);
  });

  it('waits longer at each attempt, up to maxDelaySeconds', async () => {
    const tenantId = newTenant();
    const workflow = await putRoutedWorkflow(tenantId, {
      options: {
        ...DEFAULT_OPTIONS,
        queue: { maxAttempts: 10, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 30 },
      },
    });

    const third = await route(routeEvent(workflow, 3), testLambdaContext);
    const fifth = await route(routeEvent(workflow, 5), testLambdaContext);

    expect(third).toEqual({ queued: true, retryInSeconds: 20, nextAttempt: 4, attempt: 3 });
    expect(fifth).toEqual({ queued: true, retryInSeconds: 30, nextAttempt: 6, attempt: 5 });
    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step!.routing!.attempts).toBe(5);
    expect(step!.routing!.reason).toContain('(no candidates)');
  });

  it('picks an agent registered between attempts at the next attempt', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, [general('budget-agent', 420, 0.001)]);
    const workflow = await putRoutedWorkflow(tenantId);

    const first = await route(routeEvent(workflow, 1), testLambdaContext);
    await putAgents(tenantId, [general('new-agent', 620, 0.02)]);
    const second = await route(routeEvent(workflow, 2), testLambdaContext);

    expect(first).toMatchObject({ queued: true, nextAttempt: 2 });
    expect(second).toEqual({ queued: false, agentId: 'new-agent', attempt: 2 });
    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step).toMatchObject({ agentId: 'new-agent', status: 'PENDING', routing: { attempts: 2 } });
    expect(step!.routing!.nextAttemptAt).toBeUndefined();
  });

  it('fails with NoQualifiedAgent and the reason on the last attempt, recording the routing', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, [general('budget-agent', 420, 0.001)]);
    const workflow = await putRoutedWorkflow(tenantId, {
      steps: [
        roleStep({ status: 'QUEUED', routing: { preference: 'cost', attempts: 4, reason: 'earlier' } }),
      ],
    });

    const error = await routeFailure(routeEvent(workflow, 5));

    expect(error.name).toBe(GATE_ERROR_NAMES.noQualifiedAgent);
    expect(error.message).toBe(
      "no agent with role 'general' at T3 or above and a breaker that is not OPEN " +
        '(1 considered: 1 tier_below_required) after 5 attempts',
    );
    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step!.agentId).toBeUndefined();
    expect(step!.routing).toEqual({
      preference: 'cost',
      attempts: 5,
      reason:
        "no agent with role 'general' at T3 or above and a breaker that is not OPEN (1 considered: 1 tier_below_required)",
    });
  });

  it('fails at once when maxAttempts is 1', async () => {
    const tenantId = newTenant();
    const workflow = await putRoutedWorkflow(tenantId, {
      options: { ...DEFAULT_OPTIONS, queue: { ...DEFAULT_OPTIONS.queue, maxAttempts: 1 } },
    });

    const error = await routeFailure(routeEvent(workflow, 1));

    expect(error.name).toBe(GATE_ERROR_NAMES.noQualifiedAgent);
    expect(error.message).toMatch(/\(no candidates\) after 1 attempt$/);
  });
});

describe('retries and races', () => {
  it('answers a retried invocation with the agent already routed, without writing', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, GENERAL_FLEET);
    const workflow = await putRoutedWorkflow(tenantId);
    const first = await route(routeEvent(workflow), testLambdaContext);
    const routed = await stored(workflow.workflowId);
    // A cheaper qualified agent arrives: the step keeps the agent it was given.
    await putAgents(tenantId, [general('cheaper-agent', 650, 0.005)]);

    const again = await route(routeEvent(workflow), testLambdaContext);

    expect(again).toEqual(first);
    expect(await stored(workflow.workflowId)).toEqual(routed);
  });

  it('answers with the agent another invocation wrote between the read and the write', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, GENERAL_FLEET);
    const workflow = await putRoutedWorkflow(tenantId);
    // The real table, with a concurrent router's write slipped in just before ours.
    const racing = racingClient(environment.documents, async () => {
      await environment.documents.send(
        new UpdateCommand({
          TableName: environment.tables.workflows,
          Key: { workflowId: workflow.workflowId },
          UpdateExpression: 'SET steps[0].agentId = :agentId',
          ExpressionAttributeValues: { ':agentId': 'premium-agent' },
        }),
      );
    });

    const outcome = await routeStep(
      {
        client: racing,
        tables: { workflows: environment.tables.workflows, agents: environment.tables.agents },
        clock: Date.now,
      },
      routeEvent(workflow),
    );

    expect(outcome).toEqual({ queued: false, agentId: 'premium-agent', attempt: 1 });
    const [step] = (await stored(workflow.workflowId)).steps;
    expect(step!.agentId).toBe('premium-agent');
    expect(step!.routing).toBeUndefined();
  });
});

describe('steps that cannot be routed', () => {
  it('refuses an input without the attempt, naming the field', async () => {
    const error = await routeFailure({ workflowId: 'w', tenantId: 't', stepIndex: 0 });

    expect(error.name).toBe(GATE_ERROR_NAMES.stepInvalid);
    expect(error.message).toContain('attempt');
  });

  it("refuses an unknown workflow and another tenant's", async () => {
    const workflow = await putRoutedWorkflow(newTenant());

    const unknown = await routeFailure({ ...routeEvent(workflow), workflowId: 'no-such-workflow' });
    const foreign = await routeFailure({ ...routeEvent(workflow), tenantId: 'someone-else' });

    expect(unknown.name).toBe(GATE_ERROR_NAMES.stepInvalid);
    expect(foreign.name).toBe(GATE_ERROR_NAMES.stepInvalid);
    expect(foreign.message).toContain('does not exist in tenant "someone-else"');
  });

  it('refuses a workflow that is not RUNNING, a step index out of range and a step without a role', async () => {
    const tenantId = newTenant();
    const failed = await putRoutedWorkflow(tenantId, { status: 'FAILED' });
    const named = await putRoutedWorkflow(tenantId, {
      steps: [roleStep({ role: undefined, agentId: 'standard-agent' })],
    });

    const notRunning = await routeFailure(routeEvent(failed));
    const outOfRange = await routeFailure(routeEvent(named, 1, 3));
    const noRole = await routeFailure(routeEvent(named));

    expect([notRunning.name, outOfRange.name, noRole.name]).toEqual([
      GATE_ERROR_NAMES.stepInvalid,
      GATE_ERROR_NAMES.stepInvalid,
      GATE_ERROR_NAMES.stepInvalid,
    ]);
    expect(notRunning.message).toContain('is FAILED, not RUNNING');
    expect(outOfRange.message).toContain('has no step 3');
    expect(noRole.message).toContain('names no role');
  });

  it('refuses a step that already ran without an agent routed to it', async () => {
    const tenantId = newTenant();
    await putAgents(tenantId, GENERAL_FLEET);
    const workflow = await putRoutedWorkflow(tenantId, { steps: [roleStep({ status: 'FAILED' })] });

    const error = await routeFailure(routeEvent(workflow));

    expect(error.name).toBe(GATE_ERROR_NAMES.stepInvalid);
    expect(error.message).toContain('only PENDING or QUEUED is routed');
  });
});

async function storedAgent(tenantId: string, agentId: string): Promise<AgentItem> {
  const { Item } = await environment.documents.send(
    new GetCommand({
      TableName: environment.tables.agents,
      Key: { tenantId, agentId },
      ConsistentRead: true,
    }),
  );
  return Item as AgentItem;
}

/** The real client, running `interleave` once just before the first UpdateCommand it sends. */
function racingClient(
  client: DynamoDBDocumentClient,
  interleave: () => Promise<void>,
): DynamoDBDocumentClient {
  let interleaved = false;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        if (!interleaved && command instanceof UpdateCommand) {
          interleaved = true;
          await interleave();
        }
        return target.send(command as never);
      };
    },
  });
}
