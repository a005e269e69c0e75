// The three flows as infra/state-machine-definition.ts composes them (flow + gated step), run by the
// sandbox's Step Functions service with in-process stand-ins for the flows' functions: the paths,
// payloads and error routes of docs/backend.md "Flows", and the Step Functions features they rely on
// (waitForTaskToken with TimeoutSecondsPath, SendTaskSuccess/SendTaskFailure, Wait SecondsPath, Pass
// InputPath/ResultPath, Choice IsPresent, Map MaxConcurrencyPath and ItemSelector with the Map context
// and an intrinsic, Fail ErrorPath/CausePath), as the sandbox runs them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GATE_ERROR_NAMES, GateError } from '../../../functions/app/gate/gate-errors.ts';
import { type FlowName, stateMachineDefinition } from '../../../infra/state-machine-definition.ts';
import type { StepFunctionsService } from '../../../sandbox/stepfunctions/service.ts';
import {
  createService,
  createStateMachine,
  type Handler,
  inProcessLambda,
  lambdaArn,
} from '../sandbox/stepfunctions/in-process-lambda.ts';

/** Function names of the stand-ins, by the placeholder the definitions use for them. */
const FUNCTIONS = {
  GateFunctionArn: 'gate',
  FinishFunctionArn: 'finish',
  RouteFunctionArn: 'route',
  EscalateFunctionArn: 'escalate',
  RecordStepFailureFunctionArn: 'record-step-failure',
  DecomposeFunctionArn: 'decompose',
  PlanCompensationFunctionArn: 'plan-compensation',
  CompensateFunctionArn: 'compensate',
} as const;
type FunctionName = (typeof FUNCTIONS)[keyof typeof FUNCTIONS];

function deployedDefinition(flow: FlowName): unknown {
  return JSON.parse(
    stateMachineDefinition(flow).replace(/\$\{(\w+)\}/g, (_, placeholder: keyof typeof FUNCTIONS) => {
      const name = FUNCTIONS[placeholder];
      if (!name) throw new Error(`unexpected placeholder ${placeholder}`);
      return lambdaArn(name);
    }),
  );
}

interface GateEvent {
  workflowId: string;
  tenantId: string;
  stepIndex: number;
  agentId: string;
}
interface EscalateEvent {
  stepIndex: number;
  mode: 'open' | 'raise';
  slaSeconds: number;
  maxLevel: number;
  taskToken: string;
}

const ESCALATION = { slaSeconds: 3600, maxLevel: 3 };

function executionInput(
  steps: { index: number; agentId?: string }[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    workflowId: 'wf-1',
    tenantId: 'acme',
    failurePolicy: 'fail',
    maxConcurrency: 1,
    escalation: ESCALATION,
    steps,
    ...extra,
  };
}

const NAMED_STEPS = [
  { index: 0, agentId: 'research-agent' },
  { index: 1, agentId: 'analysis-agent' },
  { index: 2, agentId: 'writing-agent' },
];

const gateOutcome = (event: unknown) => ({ ...(event as GateEvent), status: 'SUCCEEDED' });
const finishOutcome = (event: unknown) => ({
  workflowId: (event as { workflowId: string }).workflowId,
  status: (event as { status: string }).status,
});
/** Stand-ins that succeed; each test replaces the ones it exercises. */
const DEFAULT_HANDLERS: Record<FunctionName, Handler> = {
  gate: gateOutcome,
  finish: finishOutcome,
  route: () => {
    throw new Error('route called for a step that names its agent');
  },
  escalate: (event) => ({ escalationId: 'esc-1', level: 1, deadline: 'later', ...(event as object) }),
  'record-step-failure': (event) => ({ stepIndex: (event as GateEvent).stepIndex, code: 'recorded' }),
  decompose: () => ({ subtasks: 3 }),
  'plan-compensation': () => ({ failedStep: null, steps: [] }),
  compensate: (event) => ({ ...(event as object), alreadyCompensated: false }),
};

let service: StepFunctionsService | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await service?.close();
  service = undefined;
});

async function start(
  flow: FlowName,
  input: Record<string, unknown>,
  handlers: Partial<Record<FunctionName, Handler>> = {},
) {
  const lambda = inProcessLambda({ ...DEFAULT_HANDLERS, ...handlers });
  service = createService(lambda);
  const stateMachineArn = await createStateMachine(service, flow, deployedDefinition(flow));
  const { executionArn } = (await service.handle('StartExecution', {
    stateMachineArn,
    input: JSON.stringify(input),
  })) as { executionArn: string };
  const calls = (name: FunctionName) =>
    lambda.calls.filter((call) => call.functionName === lambdaArn(name)).map((call) => call.event);
  const running = service;
  return { executionArn, calls, finished: () => running.waitForExecution(executionArn) };
}

async function run(
  flow: FlowName,
  input: Record<string, unknown>,
  handlers: Partial<Record<FunctionName, Handler>> = {},
) {
  const started = await start(flow, input, handlers);
  return { ...started, execution: await started.finished() };
}

/** Lets fake time run until the execution closes: retries' backoff and SLAs without waiting for them. */
async function fastForward(finished: Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  let closed = false;
  void finished.then(() => {
    closed = true;
  });
  while (!closed) await vi.advanceTimersByTimeAsync(1000);
  return finished;
}

/** Collects the task tokens the escalate stand-in receives, for the test to answer as a reviewer would. */
function reviewerInbox() {
  const waiting: ((event: EscalateEvent) => void)[] = [];
  const received: EscalateEvent[] = [];
  return {
    handler: (event: unknown) => {
      const escalation = event as EscalateEvent;
      received.push(escalation);
      waiting.shift()?.(escalation);
      return { escalationId: `esc-${received.length}`, level: received.length, deadline: 'later' };
    },
    next: () => new Promise<EscalateEvent>((resolve) => waiting.push(resolve)),
    received,
  };
}

const gateErrorAt =
  (
    failingIndex: number,
    name: (typeof GATE_ERROR_NAMES)[keyof typeof GATE_ERROR_NAMES],
    message = 'refused',
  ) =>
  (event: unknown) => {
    if ((event as GateEvent).stepIndex === failingIndex) throw new GateError(name, message);
    return gateOutcome(event);
  };

const stepIndexes = (events: unknown[]) => events.map((event) => (event as GateEvent).stepIndex);

describe('every flow', () => {
  it.each(['sequential-pipeline', 'parallel-fanout', 'saga'] as const)(
    '%s runs each step through the gated step and ends with the finish function’s output',
    async (flow) => {
      const { execution, calls } = await run(flow, executionInput(NAMED_STEPS));

      expect(execution.status).toBe('SUCCEEDED');
      expect(calls('gate')).toEqual(
        NAMED_STEPS.map((step) => ({
          workflowId: 'wf-1',
          tenantId: 'acme',
          stepIndex: step.index,
          agentId: step.agentId,
        })),
      );
      expect(calls('finish')).toEqual([{ workflowId: 'wf-1', tenantId: 'acme', status: 'SUCCEEDED' }]);
      expect(JSON.parse(execution.output as string)).toEqual({ workflowId: 'wf-1', status: 'SUCCEEDED' });
      expect(calls('route')).toEqual([]);
    },
  );
});

describe('the gated step', () => {
  it('routes a step that names no agent, waits while it is queued, and gates the routed agent', async () => {
    const { execution, calls } = await run(
      'sequential-pipeline',
      executionInput([{ index: 0, agentId: 'research-agent' }, { index: 1 }]),
      {
        route: (event) => {
          const { attempt } = event as { attempt: number };
          return attempt < 3
            ? { queued: true, retryInSeconds: 1, nextAttempt: attempt + 1, attempt }
            : { queued: false, agentId: 'premium-agent', attempt };
        },
      },
    );

    expect(execution.status).toBe('SUCCEEDED');
    expect(calls('route')).toEqual(
      [1, 2, 3].map((attempt) => ({
        workflowId: 'wf-1',
        tenantId: 'acme',
        stepIndex: 1,
        attempt,
      })),
    );
    expect(calls('gate')).toMatchObject([
      { stepIndex: 0, agentId: 'research-agent' },
      { stepIndex: 1, agentId: 'premium-agent' },
    ]);
  });

  it('fails a step nobody qualifies for, recording the router’s error', async () => {
    const { execution, calls } = await run('sequential-pipeline', executionInput([{ index: 0 }]), {
      route: () => {
        throw new GateError(GATE_ERROR_NAMES.noQualifiedAgent, 'no general agent at T3');
      },
    });

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Trustgate.NoQualifiedAgent' });
    expect(calls('gate')).toEqual([]);
    expect(calls('record-step-failure')).toMatchObject([
      { workflowId: 'wf-1', tenantId: 'acme', stepIndex: 0, error: { Error: 'Trustgate.NoQualifiedAgent' } },
    ]);
    expect(calls('finish')).toMatchObject([
      { status: 'FAILED', error: { Error: 'Trustgate.NoQualifiedAgent' } },
    ]);
  });

  it('opens an escalation on ESCALATE, waits for the reviewer’s approval, then gates the step again', async () => {
    const inbox = reviewerInbox();
    let decisions = 0;
    const escalationArrives = inbox.next();
    const { executionArn, calls, finished } = await start(
      'sequential-pipeline',
      executionInput(NAMED_STEPS.slice(0, 2)),
      {
        escalate: inbox.handler,
        gate: (event) => {
          if ((event as GateEvent).stepIndex === 1 && decisions++ === 0)
            throw new GateError(GATE_ERROR_NAMES.stepEscalated, 'T2 asked for T3');
          return gateOutcome(event);
        },
      },
    );
    const escalation = await escalationArrives;

    expect(escalation).toEqual({
      workflowId: 'wf-1',
      tenantId: 'acme',
      stepIndex: 1,
      mode: 'open',
      slaSeconds: 3600,
      maxLevel: 3,
      taskToken: expect.any(String),
      enteredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await service!.handle('DescribeExecution', { executionArn })).toMatchObject({ status: 'RUNNING' });
    await service!.handle('SendTaskSuccess', {
      taskToken: escalation.taskToken,
      output: JSON.stringify({
        escalationId: 'esc-1',
        level: 1,
        approved: true,
        reviewer: 'ops',
        reviewerLevel: 2,
      }),
    });
    const execution = await finished();

    expect(execution.status).toBe('SUCCEEDED');
    expect(stepIndexes(calls('gate'))).toEqual([0, 1, 1]);
    expect(calls('record-step-failure')).toEqual([]);
  });

  it('fails the step when the reviewer rejects, with the rejection the escalations API sent', async () => {
    const inbox = reviewerInbox();
    const escalationArrives = inbox.next();
    const { calls, finished } = await start('sequential-pipeline', executionInput(NAMED_STEPS.slice(0, 1)), {
      escalate: inbox.handler,
      gate: gateErrorAt(0, GATE_ERROR_NAMES.stepEscalated),
    });
    const { taskToken } = await escalationArrives;
    const cause = 'escalation esc-1 rejected at level 1 by ops: no';
    await service!.handle('SendTaskFailure', { taskToken, error: 'Trustgate.EscalationRejected', cause });
    const execution = await finished();

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Trustgate.EscalationRejected', cause });
    expect(calls('record-step-failure')).toEqual([
      {
        workflowId: 'wf-1',
        tenantId: 'acme',
        stepIndex: 0,
        error: { Error: 'Trustgate.EscalationRejected', Cause: cause },
      },
    ]);
    expect(calls('finish')).toMatchObject([
      { status: 'FAILED', error: { Error: 'Trustgate.EscalationRejected', Cause: cause } },
    ]);
  });

  it('raises the escalation a level each time the SLA passes, and fails the step past the maximum level', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let opened = 0;
    const started = await start('sequential-pipeline', executionInput(NAMED_STEPS.slice(0, 1)), {
      gate: gateErrorAt(0, GATE_ERROR_NAMES.stepEscalated),
      escalate: () => {
        opened += 1;
        if (opened > 3)
          throw new GateError(GATE_ERROR_NAMES.escalationTimedOut, 'no answer at level 3 within 3600 s');
        return { escalationId: `esc-${opened}`, level: opened, deadline: 'later' };
      },
    });
    const execution = await fastForward(started.finished());
    const { calls } = started;

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Trustgate.EscalationTimedOut' });
    expect(calls('record-step-failure')).toMatchObject([
      { stepIndex: 0, error: { Error: 'Trustgate.EscalationTimedOut' } },
    ]);
    expect(calls('escalate')).toMatchObject([
      { mode: 'open', slaSeconds: 3600 },
      { mode: 'raise', slaSeconds: 3600 },
      { mode: 'raise', slaSeconds: 3600 },
      { mode: 'raise', slaSeconds: 3600 },
    ]);
  });

  it('fails the step with its own error even when recording the failure fails', async () => {
    const { execution, calls } = await run('sequential-pipeline', executionInput(NAMED_STEPS.slice(0, 1)), {
      gate: gateErrorAt(
        0,
        GATE_ERROR_NAMES.stepDenied,
        'agent "research-agent" does not declare "search_web"',
      ),
      'record-step-failure': () => {
        throw new Error('the step update failed');
      },
    });

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Trustgate.StepDenied' });
    expect(JSON.parse(execution.cause as string).errorMessage).toBe(
      'agent "research-agent" does not declare "search_web"',
    );
    expect(calls('finish')).toMatchObject([{ status: 'FAILED', error: { Error: 'Trustgate.StepDenied' } }]);
  });

  it('retries a rate-limited gate until the bucket admits it', async () => {
    let refusals = 0;
    const { execution, calls } = await run('sequential-pipeline', executionInput(NAMED_STEPS), {
      gate: (event) => {
        if (refusals < 2) {
          refusals += 1;
          throw new GateError(GATE_ERROR_NAMES.rateLimited, 'over the limit');
        }
        return gateOutcome(event);
      },
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(stepIndexes(calls('gate'))).toEqual([0, 0, 0, 1, 2]);
  });

  it.each([
    GATE_ERROR_NAMES.circuitOpen,
    GATE_ERROR_NAMES.providerRejected,
    GATE_ERROR_NAMES.injectedFailure,
  ])('does not retry %s', async (name) => {
    const { execution, calls } = await run('sequential-pipeline', executionInput(NAMED_STEPS.slice(0, 1)), {
      gate: gateErrorAt(0, name),
    });

    expect(execution).toMatchObject({ status: 'FAILED', error: name });
    expect(calls('gate')).toHaveLength(1);
  });
});

describe('the sequential pipeline', () => {
  it('records the failed step, then FAILED with the error the gate named', async () => {
    const { execution, calls } = await run('sequential-pipeline', executionInput(NAMED_STEPS), {
      gate: gateErrorAt(
        1,
        GATE_ERROR_NAMES.stepDenied,
        'agent "analysis-agent" does not declare "process_data"',
      ),
    });

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Trustgate.StepDenied' });
    expect(calls('record-step-failure')).toMatchObject([
      { stepIndex: 1, error: { Error: 'Trustgate.StepDenied' } },
    ]);
    expect(stepIndexes(calls('gate'))).toEqual([0, 1]);
    const finishCalls = calls('finish') as { error: { Cause: string } }[];
    expect(finishCalls).toMatchObject([{ workflowId: 'wf-1', tenantId: 'acme', status: 'FAILED' }]);
    expect(JSON.parse(finishCalls[0]!.error.Cause).errorMessage).toBe(
      'agent "analysis-agent" does not declare "process_data"',
    );
  });

  it('records FAILED when finishing the succeeded workflow fails, rather than leave it RUNNING', async () => {
    const { execution, calls } = await run('sequential-pipeline', executionInput(NAMED_STEPS), {
      finish: (event) => {
        if ((event as { status: string }).status === 'SUCCEEDED')
          throw new Error('the seal transaction failed');
        return finishOutcome(event);
      },
    });

    expect(execution.status).toBe('FAILED');
    expect(calls('finish')).toMatchObject([
      { status: 'SUCCEEDED' },
      { status: 'FAILED', error: { Error: 'Error' } },
    ]);
  });
});

describe('the parallel fan-out', () => {
  const FOUR_STEPS = [0, 1, 2, 3].map((index) => ({ index, agentId: `agent-${index}` }));

  /** A gate that takes a while, counting how many run at once. */
  function concurrentGate(failingIndex?: number) {
    let running = 0;
    let peak = 0;
    return {
      peak: () => peak,
      handler: async (event: unknown) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running -= 1;
        if ((event as GateEvent).stepIndex === failingIndex)
          throw new GateError(GATE_ERROR_NAMES.injectedFailure, 'failAt');
        return gateOutcome(event);
      },
    };
  }

  it('decomposes, runs the sub-tasks at most maxConcurrency at once, and aggregates', async () => {
    const gate = concurrentGate();
    const { execution, calls } = await run(
      'parallel-fanout',
      executionInput(FOUR_STEPS, { maxConcurrency: 2 }),
      { gate: gate.handler },
    );

    expect(execution.status).toBe('SUCCEEDED');
    expect(calls('decompose')).toEqual([{ workflowId: 'wf-1', tenantId: 'acme' }]);
    expect(stepIndexes(calls('gate')).sort()).toEqual([0, 1, 2, 3]);
    expect(gate.peak()).toBe(2);
    expect(calls('finish')).toEqual([{ workflowId: 'wf-1', tenantId: 'acme', status: 'SUCCEEDED' }]);
  });

  it('runs every sub-task at once up to maxConcurrency 10', async () => {
    const gate = concurrentGate();
    const { execution } = await run('parallel-fanout', executionInput(FOUR_STEPS, { maxConcurrency: 10 }), {
      gate: gate.handler,
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(gate.peak()).toBe(4);
  });

  it('with "aggregate", leaves a gap for a failed sub-task and aggregates the rest', async () => {
    const gate = concurrentGate(2);
    const { execution, calls } = await run(
      'parallel-fanout',
      executionInput(FOUR_STEPS, { maxConcurrency: 4, failurePolicy: 'aggregate' }),
      { gate: gate.handler },
    );

    expect(execution.status).toBe('SUCCEEDED');
    expect(calls('record-step-failure')).toMatchObject([
      { stepIndex: 2, error: { Error: 'Trustgate.InjectedFailure' } },
    ]);
    expect(calls('finish')).toEqual([{ workflowId: 'wf-1', tenantId: 'acme', status: 'SUCCEEDED' }]);
  });

  it('with "fail", records FAILED at the first failed sub-task', async () => {
    const gate = concurrentGate(2);
    const { execution, calls } = await run(
      'parallel-fanout',
      executionInput(FOUR_STEPS, { maxConcurrency: 4 }),
      { gate: gate.handler },
    );

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Trustgate.InjectedFailure' });
    expect(calls('finish')).toMatchObject([
      { status: 'FAILED', error: { Error: 'Trustgate.InjectedFailure' } },
    ]);
  });

  it('ends FAILED when the aggregation found no succeeded sub-task', async () => {
    const { execution } = await run('parallel-fanout', executionInput(FOUR_STEPS, { maxConcurrency: 4 }), {
      finish: () => ({
        workflowId: 'wf-1',
        status: 'FAILED',
        error: { code: 'all_subtasks_failed', message: 'no sub-task succeeded' },
      }),
    });

    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'Trustgate.AllSubtasksFailed',
      cause: 'no sub-task succeeded',
    });
  });

  it('records FAILED without running any step when decomposing fails', async () => {
    const { execution, calls } = await run(
      'parallel-fanout',
      executionInput(FOUR_STEPS, { maxConcurrency: 4 }),
      {
        decompose: () => {
          throw new GateError(GATE_ERROR_NAMES.stepInvalid, 'sub-task 1 is over 8K tokens');
        },
      },
    );

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Trustgate.StepInvalid' });
    expect(calls('gate')).toEqual([]);
    expect(calls('finish')).toMatchObject([{ status: 'FAILED', error: { Error: 'Trustgate.StepInvalid' } }]);
  });
});

describe('the saga', () => {
  const plan = { failedStep: 'commit', steps: [{ index: 1 }, { index: 0 }] };

  it('compensates the succeeded steps one at a time, last first, and records COMPENSATED', async () => {
    const { execution, calls } = await run('saga', executionInput(NAMED_STEPS), {
      gate: gateErrorAt(2, GATE_ERROR_NAMES.injectedFailure, 'failAt commit'),
      'plan-compensation': () => plan,
    });

    expect(calls('plan-compensation')).toEqual([{ workflowId: 'wf-1', tenantId: 'acme' }]);
    expect(calls('compensate')).toEqual([
      { workflowId: 'wf-1', tenantId: 'acme', stepIndex: 1, order: 1 },
      { workflowId: 'wf-1', tenantId: 'acme', stepIndex: 0, order: 2 },
    ]);
    expect(calls('finish')).toMatchObject([
      {
        workflowId: 'wf-1',
        tenantId: 'acme',
        status: 'COMPENSATED',
        error: { Error: 'Trustgate.InjectedFailure' },
      },
    ]);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Trustgate.SagaCompensated');
    expect(JSON.parse(execution.cause as string).errorMessage).toBe('failAt commit');
  });

  it('records COMPENSATED with nothing to undo when the first step fails', async () => {
    const { execution, calls } = await run('saga', executionInput(NAMED_STEPS), {
      gate: gateErrorAt(0, GATE_ERROR_NAMES.stepDenied),
    });

    expect(calls('compensate')).toEqual([]);
    expect(calls('finish')).toMatchObject([
      { status: 'COMPENSATED', error: { Error: 'Trustgate.StepDenied' } },
    ]);
    expect(execution.error).toBe('Trustgate.SagaCompensated');
  });

  it('retries a failing compensation, then records FAILED compensation_failed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const started = await start('saga', executionInput(NAMED_STEPS), {
      gate: gateErrorAt(2, GATE_ERROR_NAMES.injectedFailure),
      'plan-compensation': () => plan,
      compensate: () => {
        throw new GateError(GATE_ERROR_NAMES.compensationFailed, 'the ledger refused');
      },
    });
    const execution = await fastForward(started.finished());

    // One attempt and four retries of the first compensation; the next one never runs.
    expect(started.calls('compensate')).toHaveLength(5);
    expect(new Set(stepIndexes(started.calls('compensate')))).toEqual(new Set([1]));
    expect(started.calls('finish')).toMatchObject([
      { status: 'FAILED', error: { Error: 'Trustgate.CompensationFailed' } },
    ]);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Trustgate.CompensationFailed' });
  });
});
