// The gate and finish handlers, invoked as the state machine invokes them, against a real DynamoDB Local.
// Workflows are started with the workflows service (its StartExecution replaced by a recorder that keeps
// the execution input), and each Map item of that input is handed to the gate in turn.

import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatedStepOutcome } from '../../../functions/app/gate/run-gated-step.ts';
import type { FinishOutcome } from '../../../functions/app/workflows/finish-workflow.ts';
import type { ExecutionInput } from '../../../functions/app/workflows/start-workflow.ts';
import type { StartWorkflowBody } from '../../../functions/app/workflows/start-workflow-request.ts';
import type { WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import type { WorkflowView } from '../../../functions/app/workflows/workflow-view.ts';
import type { BreakerState } from '../../../functions/core/breaker/breaker-state.ts';
import type { BusEvent } from '../../../functions/core/events/event-envelope.ts';
import { verifyMerklePath } from '../../../functions/core/proofs/merkle-tree.ts';
import type { AgentItem } from '../../../functions/data/agent-item.ts';
import { readChain } from '../../../functions/data/intent-ledger.ts';
import type { ProofItem } from '../../../functions/data/proofs-repository.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import type { CompletionRequest } from '../../../functions/providers/provider.ts';
import {
  httpApiEvent,
  responseError,
  responseJson,
  testCaller,
  testLambdaContext,
} from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { STATE_MACHINE_ENVIRONMENT, type WorkflowStarter, workflowStarter } from './started-workflow.ts';
import { type FleetAgent, REPORT_FLEET, seedAgents } from './workflow-fleet.ts';

type Invoke<TResult> = (event: unknown, context: typeof testLambdaContext) => Promise<TResult>;

let environment: ApiTestEnvironment;
let gate: Invoke<GatedStepOutcome>;
let finish: Invoke<FinishOutcome>;
let workflowsApi: (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;
let startedWorkflow: WorkflowStarter;
let LocalProvider: typeof import('../../../functions/providers/local-provider.ts').LocalProvider;

beforeAll(async () => {
  environment = await startApiTestEnvironment('workflows');
  startedWorkflow = workflowStarter(environment);
  // Refused steps are logged as warnings by design; here they are what the tests provoke.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  for (const [variable, arn] of Object.entries(STATE_MACHINE_ENVIRONMENT)) process.env[variable] = arn;
  // Nothing listens on the discard port: StartExecution fails there, as it would with the service down.
  process.env.AWS_ENDPOINT_URL_SFN = 'http://127.0.0.1:9';
  ({ handler: gate } = (await import('../../../functions/workflow/gate.handler.ts')) as unknown as {
    handler: Invoke<GatedStepOutcome>;
  });
  ({ handler: finish } = (await import('../../../functions/workflow/finish.handler.ts')) as unknown as {
    handler: Invoke<FinishOutcome>;
  });
  ({ handler: workflowsApi } = await import('../../../functions/api/workflows.handler.ts'));
  ({ LocalProvider } = await import('../../../functions/providers/local-provider.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function gateEvent(execution: ExecutionInput, stepIndex: number) {
  return {
    workflowId: execution.workflowId,
    tenantId: execution.tenantId,
    stepIndex,
    agentId: execution.steps[stepIndex]!.agentId,
  };
}

/** The error a gate invocation fails with: its name is what Step Functions matches. */
async function gateFailure(event: unknown): Promise<Error> {
  try {
    await gate(event, testLambdaContext);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the gate did not fail');
}

/** The Catch output Step Functions hands RecordFailure for a failed Lambda task. */
function caughtError(error: Error) {
  return {
    Error: error.name,
    Cause: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: [] }),
  };
}

async function workflowItem(workflowId: string): Promise<WorkflowItem> {
  const { Item } = await environment.documents.send(
    new GetCommand({ TableName: environment.tables.workflows, Key: { workflowId } }),
  );
  return Item as WorkflowItem;
}

async function proofItem(resultHash: string): Promise<ProofItem> {
  const { Item } = await environment.documents.send(
    new GetCommand({ TableName: environment.tables.proofs, Key: { resultHash } }),
  );
  return Item as ProofItem;
}

/** The tenant's events captured on the bus so far, by type. */
async function tenantEvents(tenantId: string, expected: number): Promise<BusEvent[]> {
  const events = await environment.bus.waitForEvents(
    (all) => all.filter((event) => event.detail.tenantId === tenantId).length >= expected,
  );
  return events.filter((event) => event.detail.tenantId === tenantId);
}

const typesOf = (events: BusEvent[]) => events.map((event) => event['detail-type']);

async function agentOf(tenantId: string, agentId: string): Promise<AgentItem> {
  const { Item } = await environment.documents.send(
    new GetCommand({ TableName: environment.tables.agents, Key: { tenantId, agentId } }),
  );
  return Item as AgentItem;
}

const REPORT = { template: 'report', input: { task: 'Write report on AI trends' } } as const;

describe('the report pipeline through the gate', () => {
  const tenantId = 'pipeline';
  let execution: ExecutionInput;
  const completions: CompletionRequest[] = [];
  const outcomes: GatedStepOutcome[] = [];

  beforeAll(async () => {
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    execution = await startedWorkflow(tenantId, REPORT);
    const complete = LocalProvider.prototype.complete;
    const spy = vi.spyOn(LocalProvider.prototype, 'complete').mockImplementation(function (
      this: InstanceType<typeof LocalProvider>,
      request,
      signal,
    ) {
      completions.push(request);
      return complete.call(this, request, signal);
    });
    for (const [stepIndex] of execution.steps.entries()) {
      outcomes.push(await gate(gateEvent(execution, stepIndex), testLambdaContext));
    }
    spy.mockRestore();
  });

  it('passes the three steps in order, each allowed at its agent tier', () => {
    expect(
      outcomes.map(({ step, status, decision, agentTier }) => ({ step, status, decision, agentTier })),
    ).toEqual([
      { step: 'research', status: 'SUCCEEDED', decision: 'ALLOW', agentTier: 'T3' },
      { step: 'analysis', status: 'SUCCEEDED', decision: 'ALLOW', agentTier: 'T4' },
      { step: 'writing', status: 'SUCCEEDED', decision: 'ALLOW', agentTier: 'T2' },
    ]);
  });

  it("feeds each step the outputs of the steps before it: the writing step's context holds the analysis", async () => {
    const workflow = await workflowItem(execution.workflowId);
    const [research, analysis] = workflow.steps;

    expect(completions.map((request) => request.action)).toEqual([
      'search_web',
      'process_data',
      'generate_document',
    ]);
    expect(completions[0]!.messages).toEqual([{ role: 'user', content: REPORT.input.task }]);
    expect(completions[1]!.messages.map((message) => message.content)).toContain(research!.output);
    const writingContext = completions[2]!.messages.map((message) => message.content);
    expect(writingContext).toContain(research!.output);
    expect(writingContext).toContain(analysis!.output);
    expect(writingContext.at(-1)).toBe(REPORT.input.task);
  });

  it('records each step result with tokens, cost, duration, intent and proof', async () => {
    const workflow = await workflowItem(execution.workflowId);

    expect(workflow.status).toBe('RUNNING');
    workflow.steps.forEach((step, index) => {
      expect(step).toMatchObject({
        status: 'SUCCEEDED',
        decision: 'ALLOW',
        agentTier: outcomes[index]!.agentTier,
        intentId: outcomes[index]!.intentId,
        proofHash: outcomes[index]!.proofHash,
        costUsd: REPORT_FLEET[index]!.costPerCall,
      });
      expect(step.output!.length).toBeGreaterThan(0);
      expect(step.tokens!.input).toBeGreaterThan(0);
      expect(step.tokens!.output).toBeGreaterThan(0);
      expect(step.durationMs).toBeGreaterThanOrEqual(0);
    });
  });

  it("appends one intent to each agent's chain, decided ALLOW, and writes three proofs", async () => {
    for (const [index, agent] of REPORT_FLEET.entries()) {
      const chain = await readChain(
        environment.documents,
        environment.tables.intents,
        tenantId,
        agent.agentId,
      );
      expect(chain.map((record) => record.intentId)).toEqual([outcomes[index]!.intentId]);
      const proof = await proofItem(outcomes[index]!.proofHash);
      expect(proof).toMatchObject({
        tenantId,
        intentId: outcomes[index]!.intentId,
        agentId: agent.agentId,
        workflowId: execution.workflowId,
        step: index,
      });
    }
  });

  it('announces each step in one PutEvents: intent.declared, intent.decided ALLOW and execution.succeeded, keyed by its intent', async () => {
    const events = await tenantEvents(tenantId, 1 + 3 * 3);
    expect(typesOf(events).filter((type) => type === 'workflow.started')).toHaveLength(1);
    for (const [stepIndex, outcome] of outcomes.entries()) {
      const ofStep = events.filter(
        (event) => (event.detail.data as { intentId?: string }).intentId === outcome.intentId,
      );
      expect(typesOf(ofStep).sort()).toEqual(['execution.succeeded', 'intent.decided', 'intent.declared']);
      const decided = ofStep.find((event) => event['detail-type'] === 'intent.decided')!;
      expect(decided.source).toBe('trustgate.intents');
      expect(decided.detail.data).toMatchObject({
        decision: 'ALLOW',
        agentTier: outcome.agentTier,
        workflowId: execution.workflowId,
        stepIndex,
        step: outcome.step,
      });
      const succeeded = ofStep.find((event) => event['detail-type'] === 'execution.succeeded')!;
      expect(succeeded.detail.data).toMatchObject({
        proofHash: outcome.proofHash,
        agentTier: outcome.agentTier,
      });
    }
  });

  it('answers a retried invocation of a finished step from the record, without a second intent or call', async () => {
    await environment.bus.clear();
    const replayed = await gate(gateEvent(execution, 2), testLambdaContext);
    // It announces the step's success again, with the same event id: consumers count it once.
    const [again] = await tenantEvents(tenantId, 1);
    expect(again!['detail-type']).toBe('execution.succeeded');
    expect((again!.detail.data as { intentId: string }).intentId).toBe(outcomes[2]!.intentId);

    expect(replayed).toEqual(outcomes[2]);
    const chain = await readChain(
      environment.documents,
      environment.tables.intents,
      tenantId,
      'writing-agent',
    );
    expect(chain).toHaveLength(1);
  });

  it('finishes SUCCEEDED with the report as result and every proof sealed under one Merkle root', async () => {
    const finished = await finish(
      { workflowId: execution.workflowId, tenantId, status: 'SUCCEEDED' },
      testLambdaContext,
    );
    const workflow = await workflowItem(execution.workflowId);

    expect(finished).toMatchObject({ workflowId: execution.workflowId, status: 'SUCCEEDED' });
    expect(workflow.status).toBe('SUCCEEDED');
    const ended = (await tenantEvents(tenantId, 3)).filter((event) => event.source === 'trustgate.workflows');
    expect(ended.map((event) => event.detail.data)).toContainEqual(
      expect.objectContaining({ workflowId: execution.workflowId, status: 'SUCCEEDED', type: 'sequential' }),
    );
    const batched = (await tenantEvents(tenantId, 3)).find(
      (event) => event['detail-type'] === 'proof.batched',
    );
    expect(batched?.detail.data).toEqual({
      workflowId: execution.workflowId,
      batchId: execution.workflowId,
      merkleRoot: finished.merkleRoot,
      leaves: 3,
    });
    expect(workflow.result).toBe(workflow.steps[2]!.output);
    for (const [leafIndex, outcome] of outcomes.entries()) {
      const proof = await proofItem(outcome.proofHash);
      expect(proof).toMatchObject({
        batchId: execution.workflowId,
        leafIndex,
        merkleRoot: finished.merkleRoot,
      });
      expect(verifyMerklePath(outcome.proofHash, proof.merklePath!, finished.merkleRoot!)).toBe(true);
    }
  });

  it('finishes once: a retried finish changes nothing', async () => {
    const before = await workflowItem(execution.workflowId);
    const again = await finish(
      { workflowId: execution.workflowId, tenantId, status: 'SUCCEEDED' },
      testLambdaContext,
    );

    expect(again).toEqual({ workflowId: execution.workflowId, status: 'SUCCEEDED' });
    expect(await workflowItem(execution.workflowId)).toEqual(before);
  });

  it('shows the finished workflow on GET /v1/workflows/{id}, to its tenant only', async () => {
    const read = await workflowsApi(
      httpApiEvent('GET /v1/workflows/{id}', {
        pathParameters: { id: execution.workflowId },
        caller: testCaller(tenantId),
      }),
      testLambdaContext,
    );
    expect(read.statusCode).toBe(200);
    const view = responseJson<WorkflowView>(read);
    expect(view.status).toBe('SUCCEEDED');
    expect(view.result).toBe(view.steps[2]!.output);
    expect(view.steps.map((step) => [step.name, step.agentTier, step.decision, step.status])).toEqual([
      ['research', 'T3', 'ALLOW', 'SUCCEEDED'],
      ['analysis', 'T4', 'ALLOW', 'SUCCEEDED'],
      ['writing', 'T2', 'ALLOW', 'SUCCEEDED'],
    ]);

    const elsewhere = await workflowsApi(
      httpApiEvent('GET /v1/workflows/{id}', {
        pathParameters: { id: execution.workflowId },
        caller: testCaller('someone-else'),
      }),
      testLambdaContext,
    );
    expect(elsewhere.statusCode).toBe(404);
    expect(responseError(elsewhere).code).toBe('workflow_not_found');
  });
});

describe('refused steps', () => {
  it('fails a step whose agent lacks the capability with Trustgate.StepDenied and the reason', async () => {
    const tenantId = 'denied';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    const execution = await startedWorkflow(tenantId, {
      type: 'sequential',
      input: { task: 'Find sources on AI trends' },
      steps: [{ name: 'search', agentId: 'writing-agent', requiredTier: 'T1', intent: 'search_web' }],
    });

    const error = await gateFailure(gateEvent(execution, 0));
    expect(error.name).toBe('Trustgate.StepDenied');
    expect(error.message).toBe('agent "writing-agent" does not declare the capability "search_web"');
    const decided = (await workflowItem(execution.workflowId)).steps[0]!;
    expect(decided).toMatchObject({
      status: 'DECIDED',
      decision: 'DENY',
      reasons: [error.message],
      agentTier: 'T2',
    });
    const [intent] = await readChain(
      environment.documents,
      environment.tables.intents,
      tenantId,
      'writing-agent',
    );
    expect(intent!.intentId).toBe(decided.intentId);
    const events = await tenantEvents(tenantId, 3);
    expect(typesOf(events)).toEqual(['workflow.started', 'intent.declared', 'intent.decided']);
    expect(events[2]!.detail.data).toMatchObject({ decision: 'DENY', reasons: ['capability_not_declared'] });

    const finished = await finish(
      { workflowId: execution.workflowId, tenantId, status: 'FAILED', error: caughtError(error) },
      testLambdaContext,
    );
    const workflow = await workflowItem(execution.workflowId);
    expect(finished.status).toBe('FAILED');
    expect(workflow.status).toBe('FAILED');
    expect(workflow.error).toEqual({ code: 'step_denied', message: error.message, step: 'search' });
    expect(workflow.steps[0]!.status).toBe('FAILED');
    expect(workflow.result).toBeUndefined();
  });

  it('fails a step whose agent is below the required tier with Trustgate.StepEscalated, naming the level', async () => {
    const tenantId = 'escalated';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    const execution = await startedWorkflow(tenantId, {
      type: 'sequential',
      input: { task: 'Write the board memo' },
      steps: [{ name: 'memo', agentId: 'writing-agent', requiredTier: 'T4', intent: 'generate_document' }],
    });

    const error = await gateFailure(gateEvent(execution, 0));
    expect(error.name).toBe('Trustgate.StepEscalated');
    expect(error.message).toMatch(
      /^escalation to authority level 2 required: requires tier T4; agent "writing-agent" is T2/,
    );
    // The state machine opens an escalation from the level on record; the step does not fail closed.
    expect(error.message).not.toMatch(/fails closed/);
    expect((await workflowItem(execution.workflowId)).steps[0]).toMatchObject({
      status: 'DECIDED',
      decision: 'ESCALATE',
      authorityLevel: 2,
    });
  });

  it('refuses to run a step before the steps ahead of it have succeeded', async () => {
    const tenantId = 'ordering';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    const execution = await startedWorkflow(tenantId, REPORT);

    const error = await gateFailure(gateEvent(execution, 1));
    expect(error.name).toBe('Trustgate.StepInvalid');
    expect(error.message).toBe('step "analysis" cannot run before step "research" has succeeded');
    expect(
      await readChain(environment.documents, environment.tables.intents, tenantId, 'analysis-agent'),
    ).toEqual([]);
  });

  it('refuses a step while the tenant is over its rate limit, consuming nothing', async () => {
    const tenantId = 'throttled';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    const execution = await startedWorkflow(tenantId, REPORT);
    // An empty bucket that stays empty however slow the machine: at 10 tokens a second it would be empty
    // with `fullAtMs` 5 s ahead, and a token would come back 100 ms later; 60 s ahead leaves it empty for 55 s.
    await environment.documents.send(
      new PutCommand({
        TableName: environment.tables.gateState,
        Item: { key: `bucket#${tenantId}`, tenantId, bucket: { fullAtMs: Date.now() + 60_000 }, version: 7 },
      }),
    );

    const error = await gateFailure(gateEvent(execution, 0));
    expect(error.name).toBe('Trustgate.RateLimited');
    expect(error.message).toMatch(/^tenant "throttled" is over its rate limit; retry in \d+ ms$/);
    expect((await workflowItem(execution.workflowId)).steps[0]!.status).toBe('PENDING');
    expect(
      await readChain(environment.documents, environment.tables.intents, tenantId, 'research-agent'),
    ).toEqual([]);
  });

  it('records a provider failure in the agent breaker and fails with Trustgate.ProviderFailed', async () => {
    const tenantId = 'unreachable';
    const fleet: FleetAgent[] = REPORT_FLEET.map((agent) =>
      agent.agentId === 'research-agent'
        ? { ...agent, provider: { kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-test' } }
        : agent,
    );
    await seedAgents(environment.documents, environment.tables.agents, tenantId, fleet);
    const execution = await startedWorkflow(tenantId, REPORT);

    const error = await gateFailure(gateEvent(execution, 0));
    expect(error.name).toBe('Trustgate.ProviderFailed');
    expect(error.message).toMatch(/^the openai provider failed: /);
    const agent = await agentOf(tenantId, 'research-agent');
    expect(agent.version).toBe(2);
    expect(agent.breaker.recent.map((bucket) => bucket.failures)).toEqual([1]);
    expect(agent.breaker.lastFailureAtMs).not.toBeNull();
    expect((await workflowItem(execution.workflowId)).steps[0]).toMatchObject({
      status: 'DECIDED',
      decision: 'ALLOW',
    });
    const failed = (await tenantEvents(tenantId, 4)).find(
      (event) => event['detail-type'] === 'execution.failed',
    );
    expect(failed?.detail.data).toMatchObject({
      agentId: 'research-agent',
      errorCode: 'provider_failed',
      agentTier: 'T3',
      stepIndex: 0,
    });
  });
});

/** A breaker that refuses calls for the next minute, as two failures in a row leave it. */
function openBreaker(): BreakerState {
  return {
    status: 'OPEN',
    recent: [],
    consecutiveTrips: 1,
    openUntilMs: Date.now() + 60_000,
    probeRound: 0,
    probesInFlight: 0,
    probeSuccesses: 0,
    lastProbeAtMs: 0,
    lastFailureAtMs: Date.now(),
  };
}

async function openBreakerOf(tenantId: string, agentId: string): Promise<void> {
  await environment.documents.send(
    new UpdateCommand({
      TableName: environment.tables.agents,
      Key: { tenantId, agentId },
      UpdateExpression: 'SET breaker = :open, version = version + :one',
      ExpressionAttributeValues: { ':open': openBreaker(), ':one': 1 },
    }),
  );
}

const withOpenBreaker = (agentId: string, fleet: readonly FleetAgent[] = REPORT_FLEET): FleetAgent[] =>
  fleet.map((agent) => (agent.agentId === agentId ? { ...agent, breaker: openBreaker() } : agent));

/** Fails the test if the gate calls a provider while the spy is on. */
function forbidProviderCalls() {
  return vi.spyOn(LocalProvider.prototype, 'complete').mockImplementation(() => {
    throw new Error('no provider may be called while the breaker is open');
  });
}

async function chainOf(tenantId: string, agentId: string) {
  return readChain(environment.documents, environment.tables.intents, tenantId, agentId);
}

async function cacheEntriesOf(tenantId: string): Promise<unknown[]> {
  const { Items } = await environment.documents.send(
    new ScanCommand({
      TableName: environment.tables.gateState,
      FilterExpression: 'begins_with(#key, :prefix)',
      ExpressionAttributeNames: { '#key': 'key' },
      ExpressionAttributeValues: { ':prefix': `result#${tenantId}#` },
    }),
  );
  return Items ?? [];
}

describe('a step whose agent breaker is open', () => {
  it("is served the agent's last good result for the same input, marked cached with its age", async () => {
    const tenantId = 'open-cached';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    const first = await startedWorkflow(tenantId, REPORT);
    const produced = await gate(gateEvent(first, 0), testLambdaContext);
    expect(produced.servedBy).toBe('agent');
    const original = (await workflowItem(first.workflowId)).steps[0]!;
    await openBreakerOf(tenantId, 'research-agent');

    const second = await startedWorkflow(tenantId, REPORT);
    const provider = forbidProviderCalls();
    const outcome = await gate(gateEvent(second, 0), testLambdaContext);
    provider.mockRestore();

    expect(provider).not.toHaveBeenCalled();
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', agentId: 'research-agent', servedBy: 'cache' });
    const served = (await workflowItem(second.workflowId)).steps[0]!;
    expect(served).toMatchObject({
      status: 'SUCCEEDED',
      output: original.output,
      tokens: { input: 0, output: 0 },
      costUsd: 0,
      intentId: outcome.intentId,
      proofHash: outcome.proofHash,
      servedBy: { kind: 'cache', cachedAt: original.completedAt, sourceProofHash: original.proofHash },
    });
    const age = (served.servedBy as { ageMs: number }).ageMs;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThanOrEqual(Date.parse(served.completedAt!) - Date.parse(original.completedAt!));
    // The decision is on record like any other: a cache never bypasses the policy.
    expect((await chainOf(tenantId, 'research-agent')).map((intent) => intent.intentId)).toEqual([
      produced.intentId,
      outcome.intentId,
    ]);
    expect(await proofItem(outcome.proofHash)).toMatchObject({ intentId: outcome.intentId, step: 0 });
    const view = responseJson<WorkflowView>(
      await workflowsApi(
        httpApiEvent('GET /v1/workflows/{id}', {
          pathParameters: { id: second.workflowId },
          caller: testCaller(tenantId),
        }),
        testLambdaContext,
      ),
    );
    expect(view.steps[0]!.servedBy).toEqual(served.servedBy);
    expect(view.degradedSteps).toEqual([]);
  });

  it('is not served a cached result for another input: a different task misses the cache', async () => {
    const tenantId = 'open-other-input';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    await gate(gateEvent(await startedWorkflow(tenantId, REPORT), 0), testLambdaContext);
    await openBreakerOf(tenantId, 'research-agent');

    const other = await startedWorkflow(tenantId, { template: 'report', input: { task: 'Write on rust' } });
    const outcome = await gate(gateEvent(other, 0), testLambdaContext);

    expect(outcome.servedBy).toBe('degraded');
  });

  it('is handed over to a qualified agent of the same role, which runs it through its own gate', async () => {
    const tenantId = 'open-fallback';
    const backup: FleetAgent = {
      agentId: 'research-backup',
      role: 'research',
      actions: ['search_web'],
      score: 600,
      costPerCall: 0.05,
    };
    await seedAgents(environment.documents, environment.tables.agents, tenantId, [
      ...withOpenBreaker('research-agent'),
      backup,
    ]);
    const execution = await startedWorkflow(tenantId, REPORT);

    const outcome = await gate(gateEvent(execution, 0), testLambdaContext);

    expect(outcome).toMatchObject({ status: 'SUCCEEDED', agentId: 'research-backup', servedBy: 'agent' });
    const [handedOver] = await chainOf(tenantId, 'research-agent');
    const [ran] = await chainOf(tenantId, 'research-backup');
    expect(ran!.intentId).toBe(outcome.intentId);
    // Both decisions are announced: the first agent's ALLOW it could not execute, then the fallback's.
    const decided = (await tenantEvents(tenantId, 6))
      .filter((event) => event['detail-type'] === 'intent.decided')
      .map((event) => {
        const data = event.detail.data as { agentId: string; intentId: string; decision: string };
        return [data.agentId, data.intentId, data.decision];
      });
    expect(decided).toEqual([
      ['research-agent', handedOver!.intentId, 'ALLOW'],
      ['research-backup', outcome.intentId, 'ALLOW'],
    ]);
    const step = (await workflowItem(execution.workflowId)).steps[0]!;
    expect(step).toMatchObject({
      status: 'SUCCEEDED',
      agentId: 'research-backup',
      intentId: outcome.intentId,
      costUsd: backup.costPerCall,
      handover: { fromAgentId: 'research-agent', fromIntentId: handedOver!.intentId, reason: 'circuit_open' },
    });
    expect(step.tokens!.output).toBeGreaterThan(0);
    expect(step).not.toHaveProperty('servedBy');

    // The state machine still holds the first agent: a retried invocation follows the handover.
    const retried = await gate(gateEvent(execution, 0), testLambdaContext);
    expect(retried).toEqual(outcome);
    expect(await chainOf(tenantId, 'research-agent')).toHaveLength(1);
    expect(await chainOf(tenantId, 'research-backup')).toHaveLength(1);
  });

  it('gets an explicit degraded answer when there is no cached result and no fallback', async () => {
    const tenantId = 'open-degraded';
    await seedAgents(
      environment.documents,
      environment.tables.agents,
      tenantId,
      withOpenBreaker('research-agent'),
    );
    const execution = await startedWorkflow(tenantId, REPORT);

    const provider = forbidProviderCalls();
    const outcome = await gate(gateEvent(execution, 0), testLambdaContext);
    provider.mockRestore();

    expect(outcome).toMatchObject({ status: 'SUCCEEDED', agentId: 'research-agent', servedBy: 'degraded' });
    const step = (await workflowItem(execution.workflowId)).steps[0]!;
    expect(step.servedBy).toMatchObject({ kind: 'degraded', reason: 'circuit_open' });
    expect(step.output).toMatch(
      /^\[degraded\] No agent produced this output\. The circuit breaker of agent "research-agent" is open, .*no fallback of role "research" took the step \(no agent with role 'research' at T3 or above/,
    );
    expect(step.tokens).toEqual({ input: 0, output: 0 });
    expect(await proofItem(outcome.proofHash)).toMatchObject({ intentId: outcome.intentId });
    // No execution happened: the agent's trust hears of no success and of no further failure.
    const events = typesOf(await tenantEvents(tenantId, 3));
    expect(events).toEqual(['workflow.started', 'intent.declared', 'intent.decided']);
    const view = responseJson<WorkflowView>(
      await workflowsApi(
        httpApiEvent('GET /v1/workflows/{id}', {
          pathParameters: { id: execution.workflowId },
          caller: testCaller(tenantId),
        }),
        testLambdaContext,
      ),
    );
    expect(view.degradedSteps).toEqual(['research']);
  });

  it('in a saga is refused without a fallback, and a saga step never fills the cache', async () => {
    const tenantId = 'open-saga';
    const saga: StartWorkflowBody = {
      type: 'saga',
      input: { task: 'Book it' },
      steps: [{ name: 'reserve', agentId: 'analysis-agent', requiredTier: 'T3', intent: 'process_data' }],
    };
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    await gate(gateEvent(await startedWorkflow(tenantId, saga), 0), testLambdaContext);
    expect(await cacheEntriesOf(tenantId)).toEqual([]);
    await openBreakerOf(tenantId, 'analysis-agent');
    const execution = await startedWorkflow(tenantId, saga);

    const error = await gateFailure(gateEvent(execution, 0));

    expect(error.name).toBe('Trustgate.CircuitOpen');
    expect(error.message).toMatch(
      /^the circuit breaker of agent "analysis-agent" is open \(circuit_open\); .*no fallback of role "analysis" took the step/,
    );
    const step = (await workflowItem(execution.workflowId)).steps[0]!;
    expect(step.status).toBe('DECIDED');
    expect(step).not.toHaveProperty('proofHash');
  });

  it('fills the cache from a sequential step, keyed by tenant, agent and input hash', async () => {
    const tenantId = 'open-fill';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    const execution = await startedWorkflow(tenantId, REPORT);
    const outcome = await gate(gateEvent(execution, 0), testLambdaContext);

    const entries = (await cacheEntriesOf(tenantId)) as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      tenantId,
      agentId: 'research-agent',
      proofHash: outcome.proofHash,
      intentId: outcome.intentId,
      key: expect.stringMatching(new RegExp(`^result#${tenantId}#research-agent#[0-9a-f]{64}$`)),
    });
    const expiresAt = entries[0]!.expiresAt as number;
    const cachedAt = Date.parse(entries[0]!.cachedAt as string);
    expect(expiresAt).toBe(Math.ceil((cachedAt + 24 * 60 * 60 * 1000) / 1000));
  });
});

describe('concurrent and recovering gates', () => {
  it('lets concurrent steps of one tenant and one agent each take the bucket and move the breaker once', async () => {
    const tenantId = 'concurrent';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    const executions = await Promise.all(Array.from({ length: 4 }, () => startedWorkflow(tenantId, REPORT)));

    const outcomes = await Promise.all(
      executions.map((execution) => gate(gateEvent(execution, 0), testLambdaContext)),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    const chain = await readChain(
      environment.documents,
      environment.tables.intents,
      tenantId,
      'research-agent',
    );
    expect(chain.map((record) => record.sequence)).toEqual([1, 2, 3, 4]);
    expect(new Set(chain.map((record) => record.intentId))).toEqual(
      new Set(outcomes.map((outcome) => outcome.intentId)),
    );
    const { Item: bucket } = await environment.documents.send(
      new GetCommand({ TableName: environment.tables.gateState, Key: { key: `bucket#${tenantId}` } }),
    );
    expect(bucket!.version).toBe(4);
    const agent = await agentOf(tenantId, 'research-agent');
    expect(agent.version).toBe(5);
    expect(agent.breaker.recent.reduce((sum, window) => sum + window.successes, 0)).toBe(4);
  });

  it('admits one probe through a breaker whose reset timeout has passed, and closes it on success', async () => {
    const tenantId = 'recovering';
    const elapsed: BreakerState = {
      status: 'OPEN',
      recent: [],
      consecutiveTrips: 1,
      openUntilMs: Date.now() - 1_000,
      probeRound: 3,
      probesInFlight: 0,
      probeSuccesses: 0,
      lastProbeAtMs: 0,
      lastFailureAtMs: Date.now() - 31_000,
    };
    const fleet: FleetAgent[] = REPORT_FLEET.map((agent) =>
      agent.agentId === 'research-agent' ? { ...agent, breaker: elapsed } : agent,
    );
    await seedAgents(environment.documents, environment.tables.agents, tenantId, fleet);
    const execution = await startedWorkflow(tenantId, REPORT);

    const outcome = await gate(gateEvent(execution, 0), testLambdaContext);

    expect(outcome.status).toBe('SUCCEEDED');
    const agent = await agentOf(tenantId, 'research-agent');
    // One write admitted the probe (HALF_OPEN, round 4), one recorded its success (CLOSED).
    expect(agent.version).toBe(3);
    expect(agent.breaker).toMatchObject({
      status: 'CLOSED',
      probeRound: 4,
      probesInFlight: 0,
      consecutiveTrips: 0,
    });
  });
});

describe('POST /v1/workflows', () => {
  it('answers 400 naming the fields of a malformed body', async () => {
    const response = await workflowsApi(
      httpApiEvent('POST /v1/workflows', { body: { template: 'report', input: { task: '' } } }),
      testLambdaContext,
    );

    expect(response.statusCode).toBe(400);
    expect(responseError(response).details).toEqual([{ field: 'input.task', message: 'must not be empty' }]);
  });

  it('marks the workflow FAILED and answers 503 when its execution cannot be started', async () => {
    const tenantId = 'no-sfn';
    const response = await workflowsApi(
      httpApiEvent('POST /v1/workflows', { body: REPORT, caller: testCaller(tenantId) }),
      testLambdaContext,
    );

    expect(response.statusCode).toBe(503);
    expect(responseError(response).code).toBe('workflow_start_failed');
    const { Items } = await environment.documents.send(
      new ScanCommand({
        TableName: environment.tables.workflows,
        FilterExpression: 'tenantId = :tenantId',
        ExpressionAttributeValues: { ':tenantId': tenantId },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items![0]).toMatchObject({ status: 'FAILED', error: { code: 'start_failed' } });
  });
});
