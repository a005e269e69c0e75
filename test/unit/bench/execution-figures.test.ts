import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { executionFigures } from '../../../bench/flows.ts';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';
const MEGABYTES = new Map([
  ['Router', 256],
  ['Gate', 512],
  ['Escalate', 128],
]);

/** A hand-made execution history: each event at `at` ms, ids in order. */
function history(...events: [at: number, event: Omit<HistoryEvent, 'id' | 'timestamp'>][]): HistoryEvent[] {
  return events.map(([at, event], index) => ({ ...event, id: index + 1, timestamp: new Date(at) }));
}

const entered = (type: string): Omit<HistoryEvent, 'id' | 'timestamp'> => ({
  type: type as HistoryEvent['type'],
});
const lambdaTask = (
  type: 'TaskScheduled' | 'TaskStarted' | 'TaskSubmitted' | 'TaskSucceeded',
  name: string,
) => {
  const details = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
  if (type === 'TaskScheduled') {
    return {
      type,
      taskScheduledEventDetails: {
        ...details,
        region: 'us-east-1',
        parameters: JSON.stringify({ FunctionName: `${ARN}${name}:$LATEST` }),
      },
    } as const;
  }
  const key = `task${type.slice('Task'.length)}EventDetails` as const;
  return { type, [key]: details } as Omit<HistoryEvent, 'id' | 'timestamp'>;
};

describe('executionFigures (bench/flows.ts)', () => {
  it('counts every state entered as a transition, Map iterations included, and nothing else', () => {
    const figures = executionFigures(
      history(
        [0, entered('ExecutionStarted')],
        [0, entered('PassStateEntered')],
        [0, entered('PassStateExited')],
        [0, entered('MapStateEntered')],
        [0, entered('MapIterationStarted')],
        [0, entered('PassStateEntered')],
        [0, entered('MapIterationStarted')],
        [0, entered('PassStateEntered')],
        [0, entered('ChoiceStateEntered')],
        [0, entered('SucceedStateEntered')],
        [0, entered('ExecutionSucceeded')],
      ),
      MEGABYTES,
    );
    expect(figures).toEqual({ transitions: 6, lambdaInvocations: 0, lambdaGbSeconds: 0 });
  });

  it('counts each scheduled Lambda (retries again) and bills each run from start to end at its memory', () => {
    const figures = executionFigures(
      history(
        [0, entered('TaskStateEntered')],
        // The router, failed once and retried: two invocations of 100 ms and 300 ms at 256 MB.
        [
          0,
          {
            type: 'LambdaFunctionScheduled',
            lambdaFunctionScheduledEventDetails: { resource: `${ARN}Router` },
          },
        ],
        [1_000, { type: 'LambdaFunctionStarted' }],
        [1_100, { type: 'LambdaFunctionFailed' }],
        [
          1_100,
          {
            type: 'LambdaFunctionScheduled',
            lambdaFunctionScheduledEventDetails: { resource: `${ARN}Router` },
          },
        ],
        [2_000, { type: 'LambdaFunctionStarted' }],
        [2_300, { type: 'LambdaFunctionSucceeded' }],
        // Two gates of a Map at once, 200 ms and 400 ms at 512 MB, ending out of order.
        [2_300, entered('TaskStateEntered')],
        [2_300, entered('TaskStateEntered')],
        [2_300, lambdaTask('TaskScheduled', 'Gate')],
        [2_300, lambdaTask('TaskScheduled', 'Gate')],
        [3_000, lambdaTask('TaskStarted', 'Gate')],
        [3_000, lambdaTask('TaskStarted', 'Gate')],
        [3_200, lambdaTask('TaskSucceeded', 'Gate')],
        [3_400, lambdaTask('TaskSucceeded', 'Gate')],
        // A non-Lambda task: neither an invocation nor billed duration.
        [3_400, entered('TaskStateEntered')],
        [
          3_400,
          {
            type: 'TaskScheduled',
            taskScheduledEventDetails: {
              resourceType: 'dynamodb',
              resource: 'updateItem',
              region: 'us-east-1',
              parameters: '{}',
            },
          },
        ],
        [
          3_400,
          {
            type: 'TaskStarted',
            taskStartedEventDetails: { resourceType: 'dynamodb', resource: 'updateItem' },
          },
        ],
        [
          3_500,
          {
            type: 'TaskSucceeded',
            taskSucceededEventDetails: { resourceType: 'dynamodb', resource: 'updateItem' },
          },
        ],
        // A callback task: billed until the function returns (TaskSubmitted, 50 ms at 128 MB), not the wait.
        [3_500, entered('TaskStateEntered')],
        [3_500, lambdaTask('TaskScheduled', 'Escalate')],
        [4_000, lambdaTask('TaskStarted', 'Escalate')],
        [4_050, lambdaTask('TaskSubmitted', 'Escalate')],
        [64_050, lambdaTask('TaskSucceeded', 'Escalate')],
      ),
      MEGABYTES,
    );
    expect(figures.transitions).toBe(5);
    expect(figures.lambdaInvocations).toBe(5);
    const router = (0.1 + 0.3) * (256 / 1024);
    const gates = (0.2 + 0.4) * (512 / 1024);
    const escalate = 0.05 * (128 / 1024);
    expect(figures.lambdaGbSeconds).toBeCloseTo(router + gates + escalate, 10);
  });

  it('refuses a function the synthesized app does not have', () => {
    const events = history([
      0,
      { type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource: `${ARN}Unknown` } },
    ]);
    expect(() => executionFigures(events, MEGABYTES)).toThrow(
      'function Unknown is not in the synthesized app',
    );
  });
});
