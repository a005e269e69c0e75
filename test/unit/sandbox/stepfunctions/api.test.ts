import { afterEach, describe, expect, it } from 'vitest';
import type { StepFunctionsService } from '../../../../sandbox/stepfunctions/service.ts';
import {
  createService,
  createStateMachine,
  inProcessLambda,
  lambdaArn,
  REGION,
  ROLE_ARN,
  runExecution,
} from './in-process-lambda.ts';

let service: StepFunctionsService;
afterEach(async () => {
  await service.close();
});

const PASS_MACHINE = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

function create(name: string, definition: unknown, type = 'STANDARD') {
  return service.handle('CreateStateMachine', {
    name,
    definition: JSON.stringify(definition),
    roleArn: ROLE_ARN,
    type,
  });
}

describe('CreateStateMachine refusals', () => {
  it('refuses JSONata at the top level', async () => {
    service = createService(inProcessLambda({}));
    await expect(create('jsonata', { ...PASS_MACHINE, QueryLanguage: 'JSONata' })).rejects.toMatchObject({
      code: 'InvalidDefinition',
      message: expect.stringContaining('The state machine sets QueryLanguage to JSONata'),
    });
  });

  it.each([
    ['QueryLanguage', { Type: 'Pass', QueryLanguage: 'JSONata', End: true }, 'QueryLanguage to JSONata'],
    ['Output', { Type: 'Pass', Output: '{% $states.input %}', End: true }, 'uses Output'],
    ['Assign', { Type: 'Pass', Assign: { total: 1 }, End: true }, 'uses Assign'],
  ])(
    'refuses %s in a state nested in a Parallel branch, naming the state',
    async (_field, state, message) => {
      service = createService(inProcessLambda({}));
      const definition = {
        StartAt: 'Fork',
        States: {
          Fork: { Type: 'Parallel', Branches: [{ StartAt: 'Deep', States: { Deep: state } }], End: true },
        },
      };
      await expect(create('nested', definition)).rejects.toMatchObject({
        code: 'InvalidDefinition',
        message: expect.stringMatching(new RegExp(`State 'Deep'.*${message}`)),
      });
    },
  );

  it('refuses Arguments in a Map item processor and Assign in a Catch, naming the state', async () => {
    service = createService(inProcessLambda({}));
    const mapWithArguments = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Call',
            States: {
              Call: { Type: 'Task', Resource: lambdaArn('f'), Arguments: { a: 1 }, End: true },
            },
          },
          End: true,
        },
      },
    };
    const catchWithAssign = {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: lambdaArn('f'),
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { failed: true }, Next: 'Done' }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };

    await expect(create('map-arguments', mapWithArguments)).rejects.toMatchObject({
      message: expect.stringContaining("State 'Call' uses Arguments"),
    });
    await expect(create('catch-assign', catchWithAssign)).rejects.toMatchObject({
      message: expect.stringContaining("State 'Call' uses Assign"),
    });
  });

  it('refuses invalid JSON, invalid ASL and resources the sandbox does not emulate', async () => {
    service = createService(inProcessLambda({}));
    const awsSdkTask = {
      StartAt: 'Describe',
      States: {
        Describe: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
          Parameters: {},
          End: true,
        },
      },
    };

    await expect(
      service.handle('CreateStateMachine', { name: 'bad-json', definition: '{', roleArn: ROLE_ARN }),
    ).rejects.toMatchObject({ code: 'InvalidDefinition' });
    await expect(
      create('bad-asl', { StartAt: 'Missing', States: PASS_MACHINE.States }),
    ).rejects.toMatchObject({
      code: 'InvalidDefinition',
    });
    await expect(create('aws-sdk', awsSdkTask)).rejects.toMatchObject({
      code: 'InvalidDefinition',
      message: expect.stringContaining("State 'Describe'"),
    });
  });

  it('refuses .waitForTaskToken in an Express state machine and HeartbeatSeconds not below TimeoutSeconds', async () => {
    service = createService(inProcessLambda({}));
    const task = (extra: Record<string, unknown>) => ({
      StartAt: 'Wait',
      States: {
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: 'http://queue', MessageBody: { 'token.$': '$$.Task.Token' } },
          End: true,
          ...extra,
        },
      },
    });

    await expect(create('express-token', task({}), 'EXPRESS')).rejects.toMatchObject({
      code: 'InvalidDefinition',
    });
    await expect(create('heartbeat', task({ TimeoutSeconds: 5, HeartbeatSeconds: 5 }))).rejects.toMatchObject(
      {
        code: 'InvalidDefinition',
        message: expect.stringContaining('HeartbeatSeconds must be smaller than TimeoutSeconds'),
      },
    );
  });

  it('returns an identical state machine again but refuses a different one under the same name', async () => {
    service = createService(inProcessLambda({}));
    const first = (await create('same', PASS_MACHINE)) as { stateMachineArn: string };

    expect(first.stateMachineArn).toBe(`arn:aws:states:${REGION}:000000000000:stateMachine:same`);
    expect(await create('same', PASS_MACHINE)).toEqual(first);
    await expect(create('same', { ...PASS_MACHINE, Comment: 'changed' })).rejects.toMatchObject({
      code: 'StateMachineAlreadyExists',
    });
    await expect(create('bad name', PASS_MACHINE)).rejects.toMatchObject({ code: 'InvalidName' });
  });
});

describe('state machine and execution operations', () => {
  it('describes, updates, lists and deletes state machines', async () => {
    service = createService(inProcessLambda({}));
    const arn = await createStateMachine(service, 'crud', PASS_MACHINE);
    const updated = { StartAt: 'Other', States: { Other: { Type: 'Pass', Result: 'v2', End: true } } };

    await service.handle('UpdateStateMachine', { stateMachineArn: arn, definition: JSON.stringify(updated) });

    expect(await service.handle('DescribeStateMachine', { stateMachineArn: arn })).toMatchObject({
      stateMachineArn: arn,
      name: 'crud',
      status: 'ACTIVE',
      type: 'STANDARD',
      roleArn: ROLE_ARN,
      definition: JSON.stringify(updated),
      creationDate: expect.any(Number),
    });
    expect(await runExecution(service, arn, {})).toMatchObject({ output: '"v2"' });
    await service.handle('DeleteStateMachine', { stateMachineArn: arn });
    expect(await service.handle('ListStateMachines', {})).toEqual({ stateMachines: [] });
    await expect(service.handle('DescribeStateMachine', { stateMachineArn: arn })).rejects.toMatchObject({
      code: 'StateMachineDoesNotExist',
    });
  });

  it('reports unknown and malformed ARNs with the AWS error codes', async () => {
    service = createService(inProcessLambda({}));
    const missingMachine = `arn:aws:states:${REGION}:000000000000:stateMachine:missing`;
    const missingExecution = `arn:aws:states:${REGION}:000000000000:execution:missing:run`;

    await expect(service.handle('StartExecution', { stateMachineArn: missingMachine })).rejects.toMatchObject(
      {
        code: 'StateMachineDoesNotExist',
      },
    );
    await expect(
      service.handle('DescribeExecution', { executionArn: missingExecution }),
    ).rejects.toMatchObject({
      code: 'ExecutionDoesNotExist',
    });
    await expect(service.handle('StopExecution', { executionArn: 'not-an-arn' })).rejects.toMatchObject({
      code: 'InvalidArn',
    });
    await expect(service.handle('StartExecution', {})).rejects.toMatchObject({ code: 'ValidationException' });
    await expect(service.handle('CreateActivity', {})).rejects.toMatchObject({
      code: 'UnknownOperationException',
    });
  });

  it('refuses a second execution with the same name unless it repeats a running one', async () => {
    service = createService(inProcessLambda({ wait: () => new Promise(() => {}) }));
    const arn = await createStateMachine(service, 'names', {
      StartAt: 'Wait',
      States: { Wait: { Type: 'Task', Resource: lambdaArn('wait'), End: true } },
    });
    const start = (input: string) =>
      service.handle('StartExecution', { stateMachineArn: arn, name: 'order-1', input });

    const first = (await start('{"n":1}')) as { executionArn: string };

    expect(first.executionArn).toBe(`arn:aws:states:${REGION}:000000000000:execution:names:order-1`);
    expect(await start('{"n":1}')).toEqual(first);
    await expect(start('{"n":2}')).rejects.toMatchObject({ code: 'ExecutionAlreadyExists' });
    await expect(
      service.handle('StartExecution', { stateMachineArn: arn, input: 'nope' }),
    ).rejects.toMatchObject({
      code: 'InvalidExecutionInput',
    });
  });

  it('runs Express state machines synchronously with StartSyncExecution only', async () => {
    service = createService(inProcessLambda({ echo: (event) => event }));
    const express = await createStateMachine(
      service,
      'express',
      { StartAt: 'Echo', States: { Echo: { Type: 'Task', Resource: lambdaArn('echo'), End: true } } },
      'EXPRESS',
    );
    const standard = await createStateMachine(service, 'standard', PASS_MACHINE);

    const result = await service.handle('StartSyncExecution', { stateMachineArn: express, input: '{"x":1}' });

    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"x":1}',
      executionArn: expect.stringMatching(
        new RegExp(`^arn:aws:states:${REGION}:000000000000:express:express:`),
      ),
    });
    await expect(service.handle('ListExecutions', { stateMachineArn: express })).rejects.toMatchObject({
      code: 'StateMachineTypeNotSupported',
    });
    await expect(service.handle('StartSyncExecution', { stateMachineArn: standard })).rejects.toMatchObject({
      code: 'StateMachineTypeNotSupported',
    });
  });

  it('lists executions newest first, filtered by status', async () => {
    service = createService(inProcessLambda({}));
    const arn = await createStateMachine(service, 'listing', {
      StartAt: 'Check',
      States: {
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Ok' }],
          Default: 'No',
        },
        Ok: { Type: 'Succeed' },
        No: { Type: 'Fail', Error: 'NotOk' },
      },
    });
    const succeeded = await runExecution(service, arn, { ok: true });
    const failed = await runExecution(service, arn, { ok: false });

    const all = (await service.handle('ListExecutions', { stateMachineArn: arn })) as {
      executions: { executionArn: string; status: string }[];
    };
    const onlyFailed = (await service.handle('ListExecutions', {
      stateMachineArn: arn,
      statusFilter: 'FAILED',
    })) as {
      executions: { executionArn: string }[];
    };

    expect(all.executions.map((execution) => execution.executionArn)).toEqual([
      failed.executionArn,
      succeeded.executionArn,
    ]);
    expect(onlyFailed.executions.map((execution) => execution.executionArn)).toEqual([failed.executionArn]);
  });
});

describe('GetExecutionHistory', () => {
  it('records execution, state, task and Map events with ids chained by previousEventId', async () => {
    service = createService(inProcessLambda({ check: (event) => event }));
    const arn = await createStateMachine(service, 'history', {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Next: 'Check' },
        Check: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'check', 'Payload.$': '$' },
          OutputPath: '$.Payload',
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'Item',
            States: { Item: { Type: 'Task', Resource: lambdaArn('check'), End: true } },
          },
          End: true,
        },
      },
    });
    const { executionArn } = await runExecution(service, arn, { items: ['a'] });

    const { events } = (await service.handle('GetExecutionHistory', {
      executionArn: executionArn as string,
    })) as {
      events: { type: string; id: number; previousEventId: number; timestamp: number }[];
    };

    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual(
      events.map((_, i) => [i + 1, i]),
    );
    expect(events[0]?.timestamp).toEqual(expect.any(Number));
  });

  it('pages with maxResults and nextToken, in reverse order on request', async () => {
    service = createService(inProcessLambda({}));
    const arn = await createStateMachine(service, 'paging', PASS_MACHINE);
    const { executionArn } = await runExecution(service, arn, {});

    const firstPage = (await service.handle('GetExecutionHistory', {
      executionArn,
      maxResults: 2,
      reverseOrder: true,
    })) as { events: { id: number }[]; nextToken: string };
    const secondPage = (await service.handle('GetExecutionHistory', {
      executionArn,
      maxResults: 2,
      reverseOrder: true,
      nextToken: firstPage.nextToken,
    })) as { events: { id: number }[]; nextToken?: string };

    expect(firstPage.events.map((event) => event.id)).toEqual([4, 3]);
    expect(secondPage.events.map((event) => event.id)).toEqual([2, 1]);
    expect(secondPage.nextToken).toBeUndefined();
    await expect(
      service.handle('GetExecutionHistory', { executionArn, nextToken: 'garbage' }),
    ).rejects.toMatchObject({ code: 'InvalidToken' });
  });
});
