import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StepFunctionsService } from '../../../../sandbox/stepfunctions/service.ts';
import { createService, createStateMachine, inProcessLambda } from './in-process-lambda.ts';

let service: StepFunctionsService;
afterEach(async () => {
  await service.close();
});

/**
 * An approval workflow: a Lambda receives the task token (as a notifier would) and the
 * execution waits until someone answers it.
 */
function approvalWorkflow(task: Record<string, unknown> = {}) {
  return {
    StartAt: 'RequestApproval',
    States: {
      RequestApproval: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token', 'request.$': '$' } },
        ResultPath: '$.decision',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Rejected' }],
        Next: 'Approved',
        ...task,
      },
      Approved: { Type: 'Pass', End: true },
      Rejected: { Type: 'Pass', End: true },
    },
  };
}

/** A notifier function that hands each token it receives to the test. */
function tokenNotifier() {
  const received: string[] = [];
  let onToken: (token: string) => void = () => {};
  const lambda = inProcessLambda({
    notify: (event) => {
      const { token } = event as { token: string };
      received.push(token);
      onToken(token);
      return { notified: true };
    },
  });
  const nextToken = () =>
    new Promise<string>((resolve) => {
      onToken = resolve;
    });
  return { lambda, received, nextToken };
}

async function start(stateMachineArn: string, input: unknown = { amount: 10 }): Promise<string> {
  const { executionArn } = (await service.handle('StartExecution', {
    stateMachineArn,
    input: JSON.stringify(input),
  })) as { executionArn: string };
  return executionArn;
}

describe('.waitForTaskToken', () => {
  it('waits for SendTaskSuccess and continues with its output', async () => {
    const notifier = tokenNotifier();
    service = createService(notifier.lambda);
    const arn = await createStateMachine(service, 'approve', approvalWorkflow());
    const tokenArrives = notifier.nextToken();
    const executionArn = await start(arn);
    const token = await tokenArrives;

    expect(await service.handle('DescribeExecution', { executionArn })).toMatchObject({ status: 'RUNNING' });
    await service.handle('SendTaskSuccess', {
      taskToken: token,
      output: JSON.stringify({ approvedBy: 'ops' }),
    });
    const execution = await service.waitForExecution(executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output as string)).toEqual({ amount: 10, decision: { approvedBy: 'ops' } });
    expect(notifier.lambda.calls[0]?.event).toEqual({ token, request: { amount: 10 } });
  });

  it('raises the SendTaskFailure error, which Catch handles', async () => {
    const notifier = tokenNotifier();
    service = createService(notifier.lambda);
    const arn = await createStateMachine(service, 'reject', approvalWorkflow());
    const tokenArrives = notifier.nextToken();
    const executionArn = await start(arn);

    await service.handle('SendTaskFailure', {
      taskToken: await tokenArrives,
      error: 'Approval.Denied',
      cause: 'over budget',
    });
    const execution = await service.waitForExecution(executionArn);

    expect(JSON.parse(execution.output as string)).toEqual({
      amount: 10,
      failure: { Error: 'Approval.Denied', Cause: 'over budget' },
    });
  });

  it('times out with States.Timeout after TimeoutSeconds, which Catch handles', async () => {
    const notifier = tokenNotifier();
    service = createService(notifier.lambda);
    const arn = await createStateMachine(service, 'timeout', approvalWorkflow({ TimeoutSeconds: 1 }));
    const executionArn = await start(arn);

    const execution = await service.waitForExecution(executionArn);

    expect(JSON.parse(execution.output as string).failure.Error).toBe('States.Timeout');
    const history = (await service.handle('GetExecutionHistory', { executionArn })) as {
      events: { type: string }[];
    };
    expect(history.events.map((event) => event.type)).toContain('TaskTimedOut');
    await expect(
      service.handle('SendTaskSuccess', { taskToken: notifier.received[0], output: '{}' }),
    ).rejects.toMatchObject({ code: 'TaskTimedOut' });
  });

  it('reads the timeout from TimeoutSecondsPath', async () => {
    const notifier = tokenNotifier();
    service = createService(notifier.lambda);
    const definition = approvalWorkflow({ TimeoutSecondsPath: '$.timeoutSeconds' });
    const arn = await createStateMachine(service, 'timeout-path', definition);

    const execution = await service.waitForExecution(await start(arn, { timeoutSeconds: 1 }));

    expect(JSON.parse(execution.output as string).failure.Error).toBe('States.Timeout');
  });

  it('accepts an answer sent while the notifying call is still running', async () => {
    service = createService(
      inProcessLambda({
        notify: async (event) => {
          await service.handle('SendTaskFailure', {
            taskToken: (event as { token: string }).token,
            error: 'Early',
          });
          return {};
        },
      }),
    );
    const arn = await createStateMachine(service, 'early-answer', approvalWorkflow());

    const execution = await service.waitForExecution(await start(arn));

    expect(JSON.parse(execution.output as string).failure).toEqual({ Error: 'Early', Cause: '' });
  });

  it('times out after HeartbeatSeconds without a heartbeat, not while heartbeats arrive', async () => {
    const notifier = tokenNotifier();
    service = createService(notifier.lambda);
    const arn = await createStateMachine(service, 'heartbeat', approvalWorkflow({ HeartbeatSeconds: 1 }));
    const tokenArrives = notifier.nextToken();
    const executionArn = await start(arn);
    const token = await tokenArrives;

    // Three heartbeats 600 ms apart keep the task alive well past its 1 s heartbeat interval.
    for (let beat = 0; beat < 3; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 600));
      await service.handle('SendTaskHeartbeat', { taskToken: token });
    }
    expect(await service.handle('DescribeExecution', { executionArn })).toMatchObject({ status: 'RUNNING' });
    const execution = await service.waitForExecution(executionArn);

    expect(JSON.parse(execution.output as string).failure.Error).toBe('States.Timeout');
  });

  it('does not catch a timeout with States.TaskFailed, as AWS does not', async () => {
    const notifier = tokenNotifier();
    service = createService(notifier.lambda);
    const definition = approvalWorkflow({
      TimeoutSeconds: 1,
      Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Rejected' }],
    });
    const arn = await createStateMachine(service, 'timeout-uncaught', definition);

    const execution = await service.waitForExecution(await start(arn));

    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('has no default task timeout: a token wait outlives the engine 60 s default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const notifier = tokenNotifier();
      service = createService(notifier.lambda);
      const arn = await createStateMachine(service, 'no-default-timeout', approvalWorkflow());
      const tokenArrives = notifier.nextToken();
      const executionArn = await start(arn);
      const token = await tokenArrives;

      await vi.advanceTimersByTimeAsync(10 * 60 * 1000);
      expect(await service.handle('DescribeExecution', { executionArn })).toMatchObject({
        status: 'RUNNING',
      });
      await service.handle('SendTaskSuccess', { taskToken: token, output: '"late approval"' });

      expect(await service.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
      const history = (await service.handle('GetExecutionHistory', { executionArn })) as {
        events: { type: string; taskScheduledEventDetails?: Record<string, unknown> }[];
      };
      const scheduled = history.events.find(
        (event) => event.type === 'TaskScheduled',
      )?.taskScheduledEventDetails;
      expect(scheduled).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken' });
      expect(scheduled).not.toHaveProperty('timeoutInSeconds');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses malformed, unknown and already answered tokens', async () => {
    const notifier = tokenNotifier();
    service = createService(notifier.lambda);
    const arn = await createStateMachine(service, 'tokens', approvalWorkflow());
    const tokenArrives = notifier.nextToken();
    const executionArn = await start(arn);
    const token = await tokenArrives;

    await expect(
      service.handle('SendTaskSuccess', { taskToken: 'not-a-token', output: '{}' }),
    ).rejects.toMatchObject({
      code: 'InvalidToken',
    });
    await expect(
      service.handle('SendTaskSuccess', { taskToken: `AQC${'A'.repeat(128)}`, output: '{}' }),
    ).rejects.toMatchObject({ code: 'TaskDoesNotExist' });
    await expect(
      service.handle('SendTaskSuccess', { taskToken: token, output: 'not json' }),
    ).rejects.toMatchObject({
      code: 'InvalidOutput',
    });
    await service.handle('SendTaskSuccess', { taskToken: token, output: '{}' });
    await expect(service.handle('SendTaskSuccess', { taskToken: token, output: '{}' })).rejects.toMatchObject(
      {
        code: 'TaskTimedOut',
      },
    );
    expect(await service.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
  });
});

describe('StopExecution and execution timeouts', () => {
  it('aborts a waiting execution with the given error and cause, and retires its token', async () => {
    const notifier = tokenNotifier();
    service = createService(notifier.lambda);
    const arn = await createStateMachine(service, 'stop', approvalWorkflow());
    const tokenArrives = notifier.nextToken();
    const executionArn = await start(arn);
    const token = await tokenArrives;

    const { stopDate } = (await service.handle('StopExecution', {
      executionArn,
      error: 'Operator.Cancelled',
      cause: 'duplicate request',
    })) as { stopDate: number };

    expect(await service.handle('DescribeExecution', { executionArn })).toMatchObject({
      status: 'ABORTED',
      error: 'Operator.Cancelled',
      cause: 'duplicate request',
      stopDate,
    });
    await expect(service.handle('SendTaskSuccess', { taskToken: token, output: '{}' })).rejects.toMatchObject(
      {
        code: 'TaskTimedOut',
      },
    );
    const history = (await service.handle('GetExecutionHistory', { executionArn, reverseOrder: true })) as {
      events: { type: string; executionAbortedEventDetails?: unknown }[];
    };
    expect(history.events[0]).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Operator.Cancelled', cause: 'duplicate request' },
    });
  });

  it('times the execution out after the definition TimeoutSeconds', async () => {
    const notifier = tokenNotifier();
    service = createService(notifier.lambda);
    const arn = await createStateMachine(service, 'execution-timeout', {
      ...approvalWorkflow(),
      TimeoutSeconds: 1,
    });

    const execution = await service.waitForExecution(await start(arn));

    expect(execution).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });
});
