// The gate in the flows beyond the sequential pipeline (docs/backend.md "Functions of the flows" → gate):
// parallel sub-tasks, role-routed steps, escalation and approval, injected failures, and parallel gates
// racing on one workflow item and one tenant bucket. The gate handler is invoked as the `Gate` state of
// statemachines/gated-step.asl.json invokes it, against a real DynamoDB Local. Workflow items are written
// directly, in the state the other functions of the flow (start, decompose, route, escalate, the
// escalations API) leave them in, so each test starts the gate exactly where the flow would.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stepDecidedWrite } from '../../../functions/app/gate/gate-writes.ts';
import type { GatedStepOutcome } from '../../../functions/app/gate/run-gated-step.ts';
import type {
  StepApproval,
  StepState,
  WorkflowInput,
  WorkflowItem,
  WorkflowType,
} from '../../../functions/app/workflows/workflow-item.ts';
import { initialBreakerState } from '../../../functions/core/breaker/breaker-state.ts';
import type { AgentItem } from '../../../functions/data/agent-item.ts';
import { chainKey, type IntentItem } from '../../../functions/data/intent-ledger.ts';
import type { ProofItem } from '../../../functions/data/proofs-repository.ts';
import type { CompletionRequest } from '../../../functions/providers/provider.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { DEFAULT_OPTIONS, type Invoke, invocationFailure, storedWorkflow } from './flow-workflow-item.ts';
import { type FleetAgent, REPORT_FLEET, seedAgents } from './workflow-fleet.ts';

let environment: ApiTestEnvironment;
let gate: Invoke<GatedStepOutcome>;
let LocalProvider: typeof import('../../../functions/providers/local-provider.ts').LocalProvider;

/** The demo fleet's agents the templates use (SPEC §2 scores), plus a general agent for routed steps. */
const FLEET: readonly FleetAgent[] = [
  ...REPORT_FLEET,
  { agentId: 'review-agent', role: 'review', actions: ['review_document'], score: 810, costPerCall: 0.04 },
  {
    agentId: 'standard-agent',
    role: 'general',
    actions: ['search_web', 'generate_document'],
    score: 580,
    costPerCall: 0.02,
  },
];

beforeAll(async () => {
  environment = await startApiTestEnvironment('gate-flows');
  // Refused steps are logged as warnings by design; here they are what the tests provoke.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  delete process.env.STAGE;
  ({ handler: gate } = (await import('../../../functions/workflow/gate.handler.ts')) as unknown as {
    handler: Invoke<GatedStepOutcome>;
  });
  ({ LocalProvider } = await import('../../../functions/providers/local-provider.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

type PlannedStep = Pick<StepState, 'name' | 'requiredTier' | 'intent'> & Partial<StepState>;

let workflowCount = 0;

/** Writes a RUNNING workflow item as POST /v1/workflows would, steps PENDING unless a test says otherwise. */
async function putWorkflow(
  tenantId: string,
  type: WorkflowType,
  input: WorkflowInput,
  steps: readonly PlannedStep[],
): Promise<WorkflowItem> {
  const workflowId = `wf-${tenantId}-${++workflowCount}`;
  const now = new Date().toISOString();
  const item: WorkflowItem = {
    workflowId,
    tenantId,
    type,
    input,
    options: {
      ...DEFAULT_OPTIONS,
      ...(type === 'parallel' ? { parallel: { maxConcurrency: 10, onSubtaskFailure: 'fail' } } : {}),
    },
    steps: steps.map((step) => ({
      resource: { id: step.name, type: 'document' },
      status: 'PENDING',
      ...step,
    })),
    status: 'RUNNING',
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:flow:${workflowId}`,
    createdAt: now,
    updatedAt: now,
  };
  await environment.documents.send(new PutCommand({ TableName: environment.tables.workflows, Item: item }));
  return item;
}

function gateEvent(workflow: WorkflowItem, stepIndex: number, agentId = workflow.steps[stepIndex]!.agentId) {
  return { workflowId: workflow.workflowId, tenantId: workflow.tenantId, stepIndex, agentId };
}

/** The error a gate invocation fails with: its name is what Step Functions matches. */
function gateFailure(event: unknown, invoke: Invoke<GatedStepOutcome> = gate): Promise<Error> {
  return invocationFailure(invoke, event);
}

function workflowItem(workflowId: string): Promise<WorkflowItem> {
  return storedWorkflow(environment.documents, environment.tables.workflows, workflowId);
}

async function agentOf(tenantId: string, agentId: string): Promise<AgentItem> {
  const { Item } = await environment.documents.send(
    new GetCommand({
      TableName: environment.tables.agents,
      Key: { tenantId, agentId },
      ConsistentRead: true,
    }),
  );
  return Item as AgentItem;
}

/** The agent's stored intents with their decisions, in chain order. */
async function intentsOf(tenantId: string, agentId: string): Promise<IntentItem[]> {
  const { Items } = await environment.documents.send(
    new QueryCommand({
      TableName: environment.tables.intents,
      KeyConditionExpression: 'chainKey = :chainKey',
      ExpressionAttributeValues: { ':chainKey': chainKey(tenantId, agentId) },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as IntentItem[];
}

async function proofsOf(workflowId: string): Promise<ProofItem[]> {
  const { Items } = await environment.documents.send(
    new ScanCommand({
      TableName: environment.tables.proofs,
      FilterExpression: 'workflowId = :workflowId',
      ExpressionAttributeValues: { ':workflowId': workflowId },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as ProofItem[];
}

/** Records every completion request the local provider receives, and still answers it. */
function captureCompletions(): CompletionRequest[] {
  const completions: CompletionRequest[] = [];
  const complete = LocalProvider.prototype.complete;
  vi.spyOn(LocalProvider.prototype, 'complete').mockImplementation(function (
    this: InstanceType<typeof LocalProvider>,
    request,
    signal,
  ) {
    completions.push(request);
    return complete.call(this, request, signal);
  });
  return completions;
}

/** What the escalate function and the escalations API leave on a step (docs/backend.md "Escalations"). */
async function putStepState(
  workflowId: string,
  stepIndex: number,
  fields: Partial<StepState>,
): Promise<void> {
  const names = Object.keys(fields);
  await environment.documents.send(
    new UpdateCommand({
      TableName: environment.tables.workflows,
      Key: { workflowId },
      UpdateExpression: `SET ${names.map((_, index) => `steps[${stepIndex}].#f${index} = :v${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#f${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(
        names.map((name, index) => [`:v${index}`, fields[name as keyof StepState]]),
      ),
    }),
  );
}

async function approveStep(workflowId: string, stepIndex: number, approval: StepApproval): Promise<void> {
  await putStepState(workflowId, stepIndex, {
    status: 'APPROVED',
    escalation: {
      escalationId: approval.escalationId,
      level: approval.level,
      deadline: new Date(Date.now() + 3_600_000).toISOString(),
      status: 'APPROVED',
    },
    approval,
  });
}

const PARALLEL_STEPS: readonly PlannedStep[] = [
  { name: 'market', agentId: 'research-agent', requiredTier: 'T3', intent: 'search_web' },
  { name: 'figures', agentId: 'analysis-agent', requiredTier: 'T4', intent: 'process_data' },
  { name: 'risks', agentId: 'review-agent', requiredTier: 'T4', intent: 'review_document' },
];

describe('parallel sub-tasks', () => {
  const tenantId = 'parallel';

  beforeAll(async () => {
    await seedAgents(environment.documents, environment.tables.agents, tenantId, FLEET);
  });

  it('runs the sub-tasks in any order, each asked its own sub-task with no previous outputs', async () => {
    const subtasks = ['Size the AI agent market', 'Collect the adoption figures', 'List the main risks'];
    const workflow = await putWorkflow(
      tenantId,
      'parallel',
      { task: 'Assess the market for AI agents', subtasks },
      PARALLEL_STEPS.map((step, index) => ({ ...step, subtask: subtasks[index] })),
    );
    const completions = captureCompletions();

    const outcomes: GatedStepOutcome[] = [];
    for (const stepIndex of [2, 0, 1])
      outcomes.push(await gate(gateEvent(workflow, stepIndex), testLambdaContext));

    expect(outcomes.map(({ step, status, decision }) => [step, status, decision])).toEqual([
      ['risks', 'SUCCEEDED', 'ALLOW'],
      ['market', 'SUCCEEDED', 'ALLOW'],
      ['figures', 'SUCCEEDED', 'ALLOW'],
    ]);
    expect(completions.map((request) => request.messages)).toEqual([
      [{ role: 'user', content: subtasks[2] }],
      [{ role: 'user', content: subtasks[0] }],
      [{ role: 'user', content: subtasks[1] }],
    ]);
    expect(completions[0]!.system).toContain('sub-task 3 of 3 of a parallel workflow, "risks"');
    expect(completions[2]!.system).toContain('sub-task 2 of 3 of a parallel workflow, "figures"');
    const stored = await workflowItem(workflow.workflowId);
    expect(stored.steps.map((step) => step.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(await proofsOf(workflow.workflowId)).toHaveLength(3);
  });

  it('asks a sub-task the whole task when no sub-task was written for it', async () => {
    const task = 'Assess the market for AI agents';
    const workflow = await putWorkflow(tenantId, 'parallel', { task }, PARALLEL_STEPS);
    const completions = captureCompletions();

    await gate(gateEvent(workflow, 1), testLambdaContext);

    expect(completions.map((request) => request.messages)).toEqual([[{ role: 'user', content: task }]]);
  });

  it('refuses a sub-task whose failure is already recorded, declaring no intent', async () => {
    const workflow = await putWorkflow(tenantId, 'parallel', { task: 'Assess the market for AI agents' }, [
      PARALLEL_STEPS[0]!,
      { ...PARALLEL_STEPS[1]!, status: 'FAILED', error: { code: 'step_denied', message: 'denied' } },
    ]);
    const before = await intentsOf(tenantId, 'analysis-agent');

    const error = await gateFailure(gateEvent(workflow, 1));

    expect(error.name).toBe('Trustgate.StepInvalid');
    expect(error.message).toBe('step "figures" is FAILED and cannot run');
    expect(await intentsOf(tenantId, 'analysis-agent')).toHaveLength(before.length);
  });

  it('still keeps a saga in order: a later step cannot run before the earlier ones succeeded', async () => {
    const workflow = await putWorkflow(tenantId, 'saga', { task: 'Process the quarterly batch' }, [
      { name: 'reserve-budget', agentId: 'analysis-agent', requiredTier: 'T3', intent: 'process_data' },
      { name: 'process', agentId: 'analysis-agent', requiredTier: 'T4', intent: 'process_data' },
    ]);

    const error = await gateFailure(gateEvent(workflow, 1));

    expect(error.name).toBe('Trustgate.StepInvalid');
    expect(error.message).toBe('step "process" cannot run before step "reserve-budget" has succeeded');
  });
});

describe('role-routed steps', () => {
  const tenantId = 'routed';

  beforeAll(async () => {
    await seedAgents(environment.documents, environment.tables.agents, tenantId, FLEET);
  });

  it('refuses a step the router has not assigned yet, then runs it on the agent the router wrote', async () => {
    const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Find sources on AI trends' }, [
      { name: 'research', role: 'general', requiredTier: 'T3', intent: 'search_web' },
    ]);

    const unrouted = await gateFailure(gateEvent(workflow, 0, 'standard-agent'));
    expect(unrouted.name).toBe('Trustgate.StepInvalid');
    expect(unrouted.message).toBe(
      'step "research" is not routed yet: no agent of role "general" has been assigned to it',
    );
    expect(await intentsOf(tenantId, 'standard-agent')).toEqual([]);

    await putStepState(workflow.workflowId, 0, { agentId: 'standard-agent' });
    const outcome = await gate(gateEvent(workflow, 0, 'standard-agent'), testLambdaContext);
    expect(outcome).toMatchObject({ step: 'research', status: 'SUCCEEDED', agentTier: 'T3' });
  });

  it('refuses an agent other than the one the router assigned', async () => {
    const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Find sources on AI trends' }, [
      {
        name: 'research',
        role: 'general',
        agentId: 'standard-agent',
        requiredTier: 'T3',
        intent: 'search_web',
      },
    ]);

    const error = await gateFailure(gateEvent(workflow, 0, 'research-agent'));

    expect(error.name).toBe('Trustgate.StepInvalid');
    expect(error.message).toBe('step "research" is assigned to agent "standard-agent", not "research-agent"');
  });
});

describe('escalation and approval', () => {
  const tenantId = 'escalation';

  beforeAll(async () => {
    await seedAgents(environment.documents, environment.tables.agents, tenantId, FLEET);
  });

  /** The escalation template's draft step: the writing agent (T2) asked for T3 work → ESCALATE level 1. */
  const DRAFT: PlannedStep = {
    name: 'draft',
    agentId: 'writing-agent',
    requiredTier: 'T3',
    intent: 'generate_document',
  };

  it('records an ESCALATE with its authority level, then fails with Trustgate.StepEscalated naming level and reasons', async () => {
    const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Draft the memo' }, [DRAFT]);

    const error = await gateFailure(gateEvent(workflow, 0));

    expect(error.name).toBe('Trustgate.StepEscalated');
    expect(error.message).toBe(
      'escalation to authority level 1 required: requires tier T3; agent "writing-agent" is T2',
    );
    const step = (await workflowItem(workflow.workflowId)).steps[0]!;
    expect(step).toMatchObject({
      status: 'DECIDED',
      decision: 'ESCALATE',
      reasons: ['requires tier T3; agent "writing-agent" is T2'],
      authorityLevel: 1,
      agentTier: 'T2',
    });
    const intents = await intentsOf(tenantId, 'writing-agent');
    expect(intents.at(-1)).toMatchObject({
      intentId: step.intentId,
      decision: { decision: 'ESCALATE', escalation: { level: 1 } },
    });
  });

  it('refuses to run a step while a reviewer decides, declaring no intent', async () => {
    const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Draft the memo' }, [DRAFT]);
    await gateFailure(gateEvent(workflow, 0));
    const before = await intentsOf(tenantId, 'writing-agent');
    await putStepState(workflow.workflowId, 0, {
      status: 'WAITING_APPROVAL',
      escalation: {
        escalationId: 'esc-waiting',
        level: 1,
        deadline: new Date(Date.now() + 3_600_000).toISOString(),
        status: 'PENDING',
      },
    });

    const error = await gateFailure(gateEvent(workflow, 0));

    expect(error.name).toBe('Trustgate.StepInvalid');
    expect(error.message).toBe(
      'step "draft" is waiting for a reviewer\'s approval in escalation esc-waiting',
    );
    expect(await intentsOf(tenantId, 'writing-agent')).toHaveLength(before.length);
    expect((await workflowItem(workflow.workflowId)).steps[0]!.status).toBe('WAITING_APPROVAL');
  });

  it("runs an approved step: ALLOW led by approved_by_reviewer, with the limits of the agent's own tier", async () => {
    const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Draft the memo' }, [DRAFT]);
    await gateFailure(gateEvent(workflow, 0));
    const escalated = (await workflowItem(workflow.workflowId)).steps[0]!;
    await approveStep(workflow.workflowId, 0, {
      escalationId: 'esc-approved',
      level: 1,
      reviewer: 'dana',
      reviewerLevel: 1,
      approvedAt: new Date().toISOString(),
    });
    const completions = captureCompletions();

    const outcome = await gate(gateEvent(workflow, 0), testLambdaContext);

    const approvedReason = 'approved by dana (authority level 1) in escalation esc-approved';
    expect(outcome).toMatchObject({ step: 'draft', status: 'SUCCEEDED', decision: 'ALLOW', agentTier: 'T2' });
    const step = (await workflowItem(workflow.workflowId)).steps[0]!;
    expect(step).toMatchObject({
      status: 'SUCCEEDED',
      decision: 'ALLOW',
      reasons: [approvedReason, 'requires tier T3; agent "writing-agent" is T2'],
      authorityLevel: 1,
      intentId: outcome.intentId,
      proofHash: outcome.proofHash,
      approval: { escalationId: 'esc-approved', reviewer: 'dana' },
    });
    // The intent chain tells the story: ESCALATE, then ALLOW on the reviewer's word.
    const intents = await intentsOf(tenantId, 'writing-agent');
    const [asked, allowed] = intents.slice(-2);
    expect(asked).toMatchObject({ intentId: escalated.intentId, decision: { decision: 'ESCALATE' } });
    expect(allowed!.sequence).toBe(asked!.sequence + 1);
    expect(allowed!.previousHash).toBe(asked!.hash);
    expect(allowed).toMatchObject({
      intentId: outcome.intentId,
      decision: {
        decision: 'ALLOW',
        reasons: [
          { code: 'approved_by_reviewer', message: approvedReason },
          { code: 'trust_threshold', message: 'requires tier T3; agent "writing-agent" is T2' },
        ],
        // T2's budget, not T3's: the approval lets the agent act, it does not lend it a tier.
        limits: { maxTokens: 4_000, timeoutMs: 15_000, allowedCapabilities: ['generate_document'] },
      },
    });
    expect(allowed!.decision).not.toHaveProperty('escalation');
    expect(completions.map((request) => request.maxTokens)).toEqual([4_000]);
    expect(await proofsOf(workflow.workflowId)).toEqual([
      expect.objectContaining({ resultHash: outcome.proofHash, intentId: outcome.intentId }),
    ]);
  });

  it('escalates again when the decision now asks for more than the reviewer could approve', async () => {
    // A T2 agent asked for T4 work: two tiers short → authority level 2.
    const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Draft the board memo' }, [
      { ...DRAFT, requiredTier: 'T4' },
    ]);
    await gateFailure(gateEvent(workflow, 0));
    await approveStep(workflow.workflowId, 0, {
      escalationId: 'esc-too-low',
      level: 1,
      reviewer: 'lee',
      reviewerLevel: 1,
      approvedAt: new Date().toISOString(),
    });
    const completions = captureCompletions();

    const error = await gateFailure(gateEvent(workflow, 0));

    expect(error.name).toBe('Trustgate.StepEscalated');
    expect(error.message).toBe(
      'escalation to authority level 2 required: requires tier T4; agent "writing-agent" is T2',
    );
    expect(completions).toEqual([]);
    const step = (await workflowItem(workflow.workflowId)).steps[0]!;
    expect(step).toMatchObject({ status: 'DECIDED', decision: 'ESCALATE', authorityLevel: 2 });
    const intents = await intentsOf(tenantId, 'writing-agent');
    expect(intents.slice(-2).map((intent) => intent.decision.decision)).toEqual(['ESCALATE', 'ESCALATE']);
    expect(intents.at(-1)!.intentId).toBe(step.intentId);
  });

  it('never lets an approval override a DENY', async () => {
    const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Find sources' }, [
      { name: 'search', agentId: 'writing-agent', requiredTier: 'T1', intent: 'search_web' },
    ]);
    await approveStep(workflow.workflowId, 0, {
      escalationId: 'esc-deny',
      level: 1,
      reviewer: 'dana',
      reviewerLevel: 3,
      approvedAt: new Date().toISOString(),
    });

    const error = await gateFailure(gateEvent(workflow, 0));

    expect(error.name).toBe('Trustgate.StepDenied');
    expect(error.message).toBe('agent "writing-agent" does not declare the capability "search_web"');
    const step = (await workflowItem(workflow.workflowId)).steps[0]!;
    expect(step).toMatchObject({ status: 'DECIDED', decision: 'DENY' });
    expect(step).not.toHaveProperty('authorityLevel');
  });
});

describe('input.failAt', () => {
  const tenantId = 'injected';
  const STEPS: readonly PlannedStep[] = [
    { name: 'research', agentId: 'research-agent', requiredTier: 'T3', intent: 'search_web' },
    { name: 'analysis', agentId: 'analysis-agent', requiredTier: 'T4', intent: 'process_data' },
  ];

  beforeAll(async () => {
    await seedAgents(environment.documents, environment.tables.agents, tenantId, FLEET);
  });

  it('fails the named step with Trustgate.InjectedFailure after its ALLOW is on record: no call, no breaker change, no proof', async () => {
    const workflow = await putWorkflow(
      tenantId,
      'sequential',
      { task: 'Write report', failAt: 'analysis' },
      STEPS,
    );
    const research = await gate(gateEvent(workflow, 0), testLambdaContext);
    expect(research.status).toBe('SUCCEEDED');
    const agentBefore = await agentOf(tenantId, 'analysis-agent');
    const completions = captureCompletions();

    const error = await gateFailure(gateEvent(workflow, 1));

    expect(error.name).toBe('Trustgate.InjectedFailure');
    expect(error.message).toBe('failure injected at step analysis by input.failAt');
    expect(completions).toEqual([]);
    const step = (await workflowItem(workflow.workflowId)).steps[1]!;
    expect(step).toMatchObject({ status: 'DECIDED', decision: 'ALLOW' });
    expect(step).not.toHaveProperty('proofHash');
    const [intent] = await intentsOf(tenantId, 'analysis-agent');
    expect(intent).toMatchObject({ intentId: step.intentId, decision: { decision: 'ALLOW' } });
    const agentAfter = await agentOf(tenantId, 'analysis-agent');
    expect(agentAfter.version).toBe(agentBefore.version);
    expect(agentAfter.breaker).toEqual(initialBreakerState());
    expect((await proofsOf(workflow.workflowId)).map((proof) => proof.step)).toEqual([0]);
  });

  it('is ignored by the gate in production', async () => {
    const workflow = await putWorkflow(
      tenantId,
      'sequential',
      { task: 'Write report', failAt: 'research' },
      STEPS,
    );
    // The gate reads STAGE when its module loads, as a deployed function does: load a production one.
    vi.resetModules();
    process.env.STAGE = 'prod';
    let productionGate: Invoke<GatedStepOutcome>;
    try {
      ({ handler: productionGate } = (await import(
        '../../../functions/workflow/gate.handler.ts'
      )) as unknown as {
        handler: Invoke<GatedStepOutcome>;
      });
    } finally {
      delete process.env.STAGE;
    }

    const outcome = await productionGate(gateEvent(workflow, 0), testLambdaContext);

    expect(outcome).toMatchObject({ step: 'research', status: 'SUCCEEDED', decision: 'ALLOW' });
    expect((await workflowItem(workflow.workflowId)).steps[0]!.proofHash).toBe(outcome.proofHash);
    // The same input outside production does fail: the stage is what made the difference.
    const elsewhere = await putWorkflow(
      tenantId,
      'sequential',
      { task: 'Write report', failAt: 'research' },
      STEPS,
    );
    expect((await gateFailure(gateEvent(elsewhere, 0))).name).toBe('Trustgate.InjectedFailure');
  });
});

describe('parallel gates on one workflow item and one tenant bucket', () => {
  const tenantId = 'fanout';

  beforeAll(async () => {
    await seedAgents(environment.documents, environment.tables.agents, tenantId, FLEET);
  });

  it('lets five sub-tasks of one workflow run at once, each with its own intent and proof', async () => {
    // Two agents serve two sub-tasks each, so the chains and breakers are contended as well as the item.
    const steps: PlannedStep[] = [
      { name: 'market', agentId: 'research-agent', requiredTier: 'T3', intent: 'search_web' },
      { name: 'competitors', agentId: 'research-agent', requiredTier: 'T3', intent: 'search_web' },
      { name: 'figures', agentId: 'analysis-agent', requiredTier: 'T4', intent: 'process_data' },
      { name: 'forecast', agentId: 'analysis-agent', requiredTier: 'T4', intent: 'process_data' },
      { name: 'risks', agentId: 'review-agent', requiredTier: 'T4', intent: 'review_document' },
    ];
    const workflow = await putWorkflow(
      tenantId,
      'parallel',
      { task: 'Assess the market for AI agents' },
      steps.map((step) => ({ ...step, subtask: `Your part: ${step.name}` })),
    );

    const outcomes = await Promise.all(
      steps.map((_, stepIndex) => gate(gateEvent(workflow, stepIndex), testLambdaContext)),
    );

    expect(outcomes.map((outcome) => [outcome.step, outcome.status])).toEqual(
      steps.map((step) => [step.name, 'SUCCEEDED']),
    );
    expect(new Set(outcomes.map((outcome) => outcome.intentId)).size).toBe(5);
    const stored = await workflowItem(workflow.workflowId);
    stored.steps.forEach((step, index) => {
      expect(step).toMatchObject({
        status: 'SUCCEEDED',
        decision: 'ALLOW',
        intentId: outcomes[index]!.intentId,
        proofHash: outcomes[index]!.proofHash,
      });
    });
    const proofs = await proofsOf(workflow.workflowId);
    expect(proofs.map((proof) => proof.step).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const proof of proofs) expect(proof.intentId).toBe(outcomes[proof.step]!.intentId);
    // Each agent's chain took its intents without a gap, and each breaker counted each success once.
    for (const [agentId, count] of [
      ['research-agent', 2],
      ['analysis-agent', 2],
      ['review-agent', 1],
    ] as const) {
      const intents = await intentsOf(tenantId, agentId);
      expect(intents.map((intent) => intent.sequence)).toEqual(
        Array.from({ length: count }, (_, i) => i + 1),
      );
      const agent = await agentOf(tenantId, agentId);
      expect(agent.breaker.recent.reduce((sum, window) => sum + window.successes, 0)).toBe(count);
    }
    const { Item: bucket } = await environment.documents.send(
      new GetCommand({ TableName: environment.tables.gateState, Key: { key: `bucket#${tenantId}` } }),
    );
    expect(bucket!.version).toBe(5);
  });

  it('sees ten sub-tasks through at the maximum concurrency without giving up as contended', async () => {
    const steps: PlannedStep[] = Array.from({ length: 10 }, (_, index) => ({
      name: `part-${index + 1}`,
      agentId: FLEET[index % 4]!.agentId,
      requiredTier: 'T2',
      intent: FLEET[index % 4]!.actions[0]!,
    }));
    const workflow = await putWorkflow(tenantId, 'parallel', { task: 'Survey the field' }, steps);

    const outcomes = await Promise.all(
      steps.map((_, stepIndex) => gate(gateEvent(workflow, stepIndex), testLambdaContext)),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual(steps.map(() => 'SUCCEEDED'));
    expect(await proofsOf(workflow.workflowId)).toHaveLength(10);
  });
});

describe('the DECIDED write', () => {
  const tenantId = 'decided-write';
  const STEP: PlannedStep = {
    name: 'draft',
    agentId: 'writing-agent',
    requiredTier: 'T3',
    intent: 'generate_document',
  };

  async function decide(workflowId: string, authorityLevel?: number): Promise<void> {
    const update = stepDecidedWrite(
      environment.tables.workflows,
      workflowId,
      0,
      {
        decision: authorityLevel === undefined ? 'ALLOW' : 'ESCALATE',
        reasons: ['because'],
        agentTier: 'T2',
        intentId: `intent-${authorityLevel ?? 'allow'}`,
        ...(authorityLevel === undefined ? {} : { authorityLevel }),
      },
      new Date().toISOString(),
    ).Update!;
    await environment.documents.send(new UpdateCommand(update));
  }

  it('sets the authority level of an ESCALATE and removes it with a decision that did not escalate', async () => {
    const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Draft' }, [STEP]);

    await decide(workflow.workflowId, 2);
    expect((await workflowItem(workflow.workflowId)).steps[0]).toMatchObject({
      status: 'DECIDED',
      decision: 'ESCALATE',
      authorityLevel: 2,
    });
    await decide(workflow.workflowId);
    const step = (await workflowItem(workflow.workflowId)).steps[0]!;
    expect(step).toMatchObject({ status: 'DECIDED', decision: 'ALLOW', intentId: 'intent-allow' });
    expect(step).not.toHaveProperty('authorityLevel');
  });

  it.each(['WAITING_APPROVAL', 'SUCCEEDED', 'FAILED', 'QUEUED'] as const)(
    'refuses to overwrite a step that moved on to %s since the gate read it',
    async (status) => {
      const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Draft' }, [{ ...STEP, status }]);

      await expect(decide(workflow.workflowId)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      expect((await workflowItem(workflow.workflowId)).steps[0]!.status).toBe(status);
    },
  );

  it.each(['PENDING', 'DECIDED', 'APPROVED'] as const)('decides a step that is %s', async (status) => {
    const workflow = await putWorkflow(tenantId, 'sequential', { task: 'Draft' }, [{ ...STEP, status }]);

    await decide(workflow.workflowId);

    expect((await workflowItem(workflow.workflowId)).steps[0]!.status).toBe('DECIDED');
  });
});
