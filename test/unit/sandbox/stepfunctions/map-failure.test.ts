// A Map whose iteration fails starts no further iteration, as in AWS (sandbox/stepfunctions/map-iteration-stop.ts).
import { afterEach, describe, expect, it } from 'vitest';
import type { StepFunctionsService } from '../../../../sandbox/stepfunctions/service.ts';
import { createService, createStateMachine, inProcessLambda, runExecution } from './in-process-lambda.ts';

let service: StepFunctionsService;
afterEach(async () => {
  await service.close();
});

/**
 * A Map over `$.items` invoking `work` per item; its failure is caught and recorded by `record`, which
 * keeps the execution open meanwhile, as a flow's RecordFailure does.
 */
function mapDefinition(map: Record<string, unknown> = {}) {
  return {
    StartAt: 'EachItem',
    States: {
      EachItem: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 1,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Work',
          States: {
            Work: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: 'work', 'Payload.$': '$' },
              OutputPath: '$.Payload',
              End: true,
            },
          },
        },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }],
        End: true,
        ...map,
      },
      Caught: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'record', 'Payload.$': '$.error' },
        ResultPath: null,
        End: true,
      },
    },
  };
}

/** Fails the item equal to `failing` on each of its first `times` attempts. */
function worker(failing: number, times = Number.POSITIVE_INFINITY) {
  let failures = 0;
  return inProcessLambda({
    record: () => new Promise((resolve) => setTimeout(resolve, 50)),
    work: async (item) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (item === failing && failures < times) {
        failures += 1;
        throw Object.assign(new Error(`item ${failing} failed`), { name: 'Work.Failed' });
      }
      return item;
    },
  });
}

const invokedItems = (lambda: ReturnType<typeof worker>) =>
  lambda.calls.filter((call) => call.functionName === 'work').map((call) => call.event);

describe('a failed Map iteration', () => {
  it('stops the Map: the items still queued never start', async () => {
    const lambda = worker(2);
    service = createService(lambda);
    const arn = await createStateMachine(service, 'map-stop', mapDefinition());

    const execution = await runExecution(service, arn, { items: [1, 2, 3, 4] });

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output as string).error.Error).toBe('Work.Failed');
    expect(lambda.calls.filter((call) => call.functionName === 'record')).toHaveLength(1);
    // Let anything the engine might still start run before counting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(invokedItems(lambda)).toEqual([1, 2]);
  });

  it('stops a concurrent Map too: only the iterations already running had started', async () => {
    const lambda = worker(1);
    service = createService(lambda);
    const arn = await createStateMachine(
      service,
      'map-stop-concurrent',
      mapDefinition({ MaxConcurrency: 2 }),
    );

    const execution = await runExecution(service, arn, { items: [1, 2, 3, 4, 5, 6] });

    expect(execution.status).toBe('SUCCEEDED');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(invokedItems(lambda)).toEqual([1, 2]);
  });

  it('does not affect the next execution of the same state machine', async () => {
    const lambda = worker(2, 1);
    service = createService(lambda);
    const arn = await createStateMachine(service, 'map-again', mapDefinition());

    await runExecution(service, arn, { items: [1, 2, 3] });
    const second = await runExecution(service, arn, { items: [1, 2, 3] });

    expect(second.status).toBe('SUCCEEDED');
    expect(JSON.parse(second.output as string)).toEqual([1, 2, 3]);
    expect(invokedItems(lambda)).toEqual([1, 2, 1, 2, 3]);
  });

  it('does not affect the Map retried after it: every item runs again', async () => {
    const lambda = worker(2, 1);
    service = createService(lambda);
    const arn = await createStateMachine(
      service,
      'map-retried',
      mapDefinition({ Retry: [{ ErrorEquals: ['Work.Failed'], IntervalSeconds: 1, MaxAttempts: 1 }] }),
    );

    const execution = await runExecution(service, arn, { items: [1, 2, 3] });

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output as string)).toEqual([1, 2, 3]);
    expect(invokedItems(lambda)).toEqual([1, 2, 1, 2, 3]);
  });
});
