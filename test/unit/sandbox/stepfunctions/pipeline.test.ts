import { afterEach, describe, expect, it } from 'vitest';
import type { StepFunctionsService } from '../../../../sandbox/stepfunctions/service.ts';
import {
  createService,
  createStateMachine,
  inProcessLambda,
  lambdaArn,
  REGION,
  runExecution,
} from './in-process-lambda.ts';

let service: StepFunctionsService;
afterEach(async () => {
  await service.close();
});

class ValidationError extends Error {
  override name = 'ValidationError';
}

describe('Lambda tasks', () => {
  it('runs a pipeline of Lambda tasks, each state input being the previous output', async () => {
    const lambda = inProcessLambda({
      double: (event) => ({ value: (event as { value: number }).value * 2 }),
      increment: (event) => ({ value: (event as { value: number }).value + 1 }),
    });
    service = createService(lambda);
    const arn = await createStateMachine(service, 'pipeline', {
      StartAt: 'Double',
      States: {
        Double: { Type: 'Task', Resource: lambdaArn('double'), Next: 'Increment' },
        Increment: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'increment', 'Payload.$': '$' },
          OutputPath: '$.Payload',
          Next: 'DoubleAgain',
        },
        DoubleAgain: { Type: 'Task', Resource: lambdaArn('double'), End: true },
      },
    });

    const execution = await runExecution(service, arn, { value: 5 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output as string)).toEqual({ value: 22 });
    expect(lambda.calls.map((call) => call.event)).toEqual([{ value: 5 }, { value: 10 }, { value: 11 }]);
  });

  it('wraps a lambda:invoke result in the Invoke response Step Functions returns', async () => {
    service = createService(
      inProcessLambda({ greet: (event) => ({ hello: (event as { name: string }).name }) }),
    );
    const arn = await createStateMachine(service, 'wrapper', {
      StartAt: 'Greet',
      States: {
        Greet: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: lambdaArn('greet'), Payload: { 'name.$': '$.who' } },
          End: true,
        },
      },
    });

    const execution = await runExecution(service, arn, { who: 'ada' });

    const output = JSON.parse(execution.output as string);
    expect(Object.keys(output).sort()).toEqual([
      'ExecutedVersion',
      'Payload',
      'SdkHttpMetadata',
      'SdkResponseMetadata',
      'StatusCode',
    ]);
    expect(output).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { hello: 'ada' },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200 },
    });
    expect(output.SdkResponseMetadata.RequestId).toEqual(expect.any(String));
  });

  it('applies ResultSelector, ResultPath and OutputPath to a task result', async () => {
    service = createService(inProcessLambda({ score: () => ({ score: 7, noise: true }) }));
    const arn = await createStateMachine(service, 'paths', {
      StartAt: 'Score',
      States: {
        Score: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'score', 'Payload.$': '$' },
          ResultSelector: { 'score.$': '$.Payload.score' },
          ResultPath: '$.result',
          OutputPath: '$.result',
          End: true,
        },
      },
    });

    const execution = await runExecution(service, arn, { agent: 'a-1' });

    expect(JSON.parse(execution.output as string)).toEqual({ score: 7 });
  });

  it("fails the task with the function's errorType and the error payload as cause", async () => {
    service = createService(
      inProcessLambda({
        validate: () => {
          throw new ValidationError('amount must be positive');
        },
      }),
    );
    const arn = await createStateMachine(service, 'function-error', {
      StartAt: 'Validate',
      States: {
        Validate: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'validate', 'Payload.$': '$' },
          End: true,
        },
      },
    });

    const execution = await runExecution(service, arn, {});

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('ValidationError');
    expect(JSON.parse(execution.cause as string)).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'amount must be positive',
    });
  });

  it('reports a function error without errorType as Lambda.Unknown', async () => {
    const lambda = inProcessLambda({});
    lambda.invoke = async () => ({
      statusCode: 200,
      payload: JSON.stringify({ errorMessage: 'Task timed out after 3.00 seconds' }),
      functionError: 'Unhandled',
    });
    service = createService(lambda);
    const arn = await createStateMachine(service, 'unknown-error', {
      StartAt: 'Slow',
      States: { Slow: { Type: 'Task', Resource: lambdaArn('slow'), End: true } },
    });

    const execution = await runExecution(service, arn, {});

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.Unknown' });
  });

  it('names Invoke API errors Lambda.<Exception>', async () => {
    service = createService(inProcessLambda({}));
    const arn = await createStateMachine(service, 'missing-function', {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'does-not-exist', Payload: {} },
          End: true,
        },
      },
    });

    const execution = await runExecution(service, arn, {});

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
  });
});

describe('flow states', () => {
  it('runs Map with ItemsPath, ItemSelector and MaxConcurrency, in item order', async () => {
    let running = 0;
    let maxRunning = 0;
    service = createService(
      inProcessLambda({
        square: async (event) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
          const { item, index } = event as { item: number; index: number };
          return { index, squared: item * item };
        },
      }),
    );
    const arn = await createStateMachine(service, 'map', {
      StartAt: 'Squares',
      States: {
        Squares: {
          Type: 'Map',
          ItemsPath: '$.numbers',
          MaxConcurrency: 2,
          ItemSelector: { 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Square',
            States: { Square: { Type: 'Task', Resource: lambdaArn('square'), End: true } },
          },
          End: true,
        },
      },
    });

    const execution = await runExecution(service, arn, { numbers: [1, 2, 3, 4] });

    expect(JSON.parse(execution.output as string)).toEqual([
      { index: 0, squared: 1 },
      { index: 1, squared: 4 },
      { index: 2, squared: 9 },
      { index: 3, squared: 16 },
    ]);
    expect(maxRunning).toBe(2);
  });

  it('runs Parallel branches and outputs their results in branch order', async () => {
    service = createService(inProcessLambda({ upper: (event) => String(event).toUpperCase() }));
    const arn = await createStateMachine(service, 'parallel', {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Upper',
              States: { Upper: { Type: 'Task', Resource: lambdaArn('upper'), InputPath: '$.a', End: true } },
            },
            { StartAt: 'Constant', States: { Constant: { Type: 'Pass', Result: 0, End: true } } },
          ],
          End: true,
        },
      },
    });

    const execution = await runExecution(service, arn, { a: 'x' });

    expect(JSON.parse(execution.output as string)).toEqual(['X', 0]);
  });

  it('retries a failing task, then catches the error it keeps raising', async () => {
    let attempts = 0;
    service = createService(
      inProcessLambda({
        flaky: () => {
          attempts++;
          throw new ValidationError(`attempt ${attempts}`);
        },
      }),
    );
    const arn = await createStateMachine(service, 'retry-catch', {
      StartAt: 'Flaky',
      States: {
        Flaky: {
          Type: 'Task',
          Resource: lambdaArn('flaky'),
          Retry: [{ ErrorEquals: ['ValidationError'], IntervalSeconds: 0, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failure', Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', End: true },
      },
    });

    const execution = await runExecution(service, arn, { id: 1 });

    expect(attempts).toBe(3);
    const output = JSON.parse(execution.output as string);
    expect(output.id).toBe(1);
    expect(output.failure.Error).toBe('ValidationError');
    expect(JSON.parse(output.failure.Cause)).toMatchObject({ errorMessage: 'attempt 3' });
  });

  it('routes with Choice, waits, and ends in Succeed or Fail', async () => {
    service = createService(inProcessLambda({}));
    const arn = await createStateMachine(service, 'choice', {
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.score', NumericGreaterThanEquals: 50, Next: 'Pause' },
            { Not: { Variable: '$.score', IsPresent: true }, Next: 'Reject' },
          ],
          Default: 'Reject',
        },
        Pause: { Type: 'Wait', Seconds: 0, Next: 'Accept' },
        Accept: { Type: 'Succeed' },
        Reject: { Type: 'Fail', Error: 'Trust.TooLow', Cause: 'score below 50' },
      },
    });
    const bareFail = await createStateMachine(service, 'bare-fail', {
      StartAt: 'Stop',
      States: { Stop: { Type: 'Fail' } },
    });

    const accepted = await runExecution(service, arn, { score: 80 });
    const rejected = await runExecution(service, arn, { score: 10 });
    const failedWithoutError = await runExecution(service, bareFail, {});

    expect(accepted).toMatchObject({ status: 'SUCCEEDED', output: '{"score":80}' });
    expect(rejected).toMatchObject({ status: 'FAILED', error: 'Trust.TooLow', cause: 'score below 50' });
    expect(failedWithoutError.status).toBe('FAILED');
    expect(failedWithoutError).not.toHaveProperty('error');
    expect(failedWithoutError).not.toHaveProperty('cause');
  });
});

describe('context object', () => {
  it('resolves $$.Execution, $$.StateMachine and $$.State, inside Map iterations too', async () => {
    service = createService(inProcessLambda({}));
    const arn = await createStateMachine(service, 'context', {
      StartAt: 'Describe',
      States: {
        Describe: {
          Type: 'Pass',
          Parameters: {
            'id.$': '$$.Execution.Id',
            'name.$': '$$.Execution.Name',
            'input.$': '$$.Execution.Input',
            'startTime.$': '$$.Execution.StartTime',
            'stateMachine.$': '$$.StateMachine.Id',
            'state.$': '$$.State.Name',
            'enteredTime.$': '$$.State.EnteredTime',
            'greeting.$': "States.Format('{} ran $$.Execution.Name', $$.Execution.Name)",
          },
          ResultPath: '$.context',
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'Inner',
            States: {
              Inner: {
                Type: 'Pass',
                Parameters: { 'input.$': '$$.Execution.Input', 'state.$': '$$.State.Name' },
                End: true,
              },
            },
          },
          ResultPath: '$.inner',
          End: true,
        },
      },
    });
    const { executionArn } = (await service.handle('StartExecution', {
      stateMachineArn: arn,
      name: 'run-1',
      input: JSON.stringify({ items: [1] }),
    })) as { executionArn: string };

    const execution = await service.waitForExecution(executionArn);

    const output = JSON.parse(execution.output as string);
    expect(output.context).toEqual({
      id: `arn:aws:states:${REGION}:000000000000:execution:context:run-1`,
      name: 'run-1',
      input: { items: [1] },
      startTime: new Date((execution.startDate as number) * 1000).toISOString(),
      stateMachine: arn,
      state: 'Describe',
      enteredTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      greeting: 'run-1 ran $$.Execution.Name',
    });
    expect(output.inner).toEqual([{ input: { items: [1] }, state: 'Inner' }]);
  });
});
