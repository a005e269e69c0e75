import { randomUUID } from 'node:crypto';
import { ExecutionError, type RunOptions } from 'aws-local-stepfunctions';
import { CONTEXT_KEYS } from './engine-definition.ts';
import type { EngineEvent } from './history.ts';
import { ExecutionHistory, payload } from './history.ts';
import type { TaskIntegrations } from './integrations/task-integrations.ts';
import type { JsonValue } from './json.ts';
import type { LongTimer } from './long-timer.ts';
import { startLongTimer } from './long-timer.ts';
import type { StateMachineRecord } from './state-machine-record.ts';
import type { TaskRunContext } from './task-runner.ts';
import { runTaskAttempt } from './task-runner.ts';
import type { TaskTokenRegistry } from './task-tokens.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

// The longest an execution may run in AWS, whatever its definition says.
const MAX_DURATION_SECONDS = { STANDARD: 365 * 24 * 3600, EXPRESS: 5 * 60 } as const;

const TERMINAL_EVENT_TYPE: Record<Exclude<ExecutionStatus, 'RUNNING'>, string> = {
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  TIMED_OUT: 'ExecutionTimedOut',
  ABORTED: 'ExecutionAborted',
};

interface Outcome {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output?: string;
  error?: string;
  cause?: string;
}

export interface ExecutionServices {
  region: string;
  tokens: TaskTokenRegistry;
  integrations: TaskIntegrations;
}

/** One execution of a state machine, run by the engine from the moment it is constructed. */
export class Execution {
  status: ExecutionStatus = 'RUNNING';
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly startDate = new Date();
  readonly history = new ExecutionHistory();
  /** Settles once the execution closed and its history is complete. */
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  private readonly closing = new AbortController();
  private readonly abortEngine: () => void;
  private readonly engineEventsRecorded: Promise<void>;
  private readonly deadline: LongTimer;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly stateMachine: StateMachineRecord,
    readonly input: string,
    services: ExecutionServices,
  ) {
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    const parsedInput = JSON.parse(input) as JsonValue;
    this.history.add('ExecutionStarted', { ...payload('input', parsedInput), roleArn: stateMachine.roleArn });

    const tokenPlaceholder = `sandbox-task-token-${randomUUID()}`;
    const taskContext: TaskRunContext = {
      caller: { executionArn: arn, stateMachineArn: stateMachine.arn },
      region: services.region,
      executionClosed: this.closing.signal,
      history: this.history,
      tokens: services.tokens,
      integrations: services.integrations,
      tokenPlaceholder,
    };
    const taskHandlers = Object.fromEntries(
      [...stateMachine.taskStates].map(([stateName, spec]) => [
        stateName,
        (stateInput: unknown) => runTaskAttempt(taskContext, spec, stateInput as JsonValue),
      ]),
    );
    const run = stateMachine.engine.run(parsedInput as never, {
      noThrowOnAbort: true,
      context: {
        [CONTEXT_KEYS.execution]: {
          Id: arn,
          Input: parsedInput,
          Name: name,
          RoleArn: stateMachine.roleArn,
          StartTime: this.startDate.toISOString(),
          RedriveCount: 0,
        },
        StateMachine: { Id: stateMachine.arn, Name: stateMachine.name },
        [CONTEXT_KEYS.states]: stateMachine.engineDefinition.stateContexts,
        [CONTEXT_KEYS.task]: { Token: tokenPlaceholder },
      },
      overrides: {
        taskResourceLocalHandlers: taskHandlers as NonNullable<
          RunOptions['overrides']
        >['taskResourceLocalHandlers'],
      },
    });
    this.abortEngine = run.abort;
    this.engineEventsRecorded = this.recordEngineEvents(run.eventLogs as AsyncGenerator<EngineEvent>);
    const limit = Math.min(
      stateMachine.timeoutSeconds ?? Number.POSITIVE_INFINITY,
      MAX_DURATION_SECONDS[stateMachine.type],
    );
    this.deadline = startLongTimer(limit * 1000, () =>
      this.close({
        status: 'TIMED_OUT',
        error: 'States.Timeout',
        cause: 'The execution exceeded its TimeoutSeconds',
      }),
    );
    run.result.then(
      (output) => this.close({ status: 'SUCCEEDED', output: JSON.stringify(output) }),
      (error: unknown) => this.close({ status: 'FAILED', ...describeFailure(error) }),
    );
  }

  /** StopExecution: no effect once the execution is closed. */
  stop(error?: string, cause?: string): void {
    this.close({ status: 'ABORTED', error, cause });
  }

  private close(outcome: Outcome): void {
    if (this.status !== 'RUNNING') return;
    Object.assign(this, outcome);
    this.stopDate = new Date();
    this.deadline.cancel();
    // Ends the tasks still running (token waits, service calls) so nothing outlives the execution.
    this.closing.abort();
    if (outcome.status === 'ABORTED' || outcome.status === 'TIMED_OUT') this.abortEngine();
    void this.engineEventsRecorded.then(() => {
      this.history.add(TERMINAL_EVENT_TYPE[outcome.status], terminalEventDetails(outcome));
      this.markClosed();
    });
  }

  private async recordEngineEvents(events: AsyncGenerator<EngineEvent>): Promise<void> {
    for await (const event of events) this.history.recordEngineEvent(event);
  }
}

/** The error and cause of a failed execution; an empty one (a bare Fail state, SendTaskFailure without it) is absent. */
function describeFailure(error: unknown): { error?: string; cause?: string } {
  const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
  const described =
    failure instanceof Error
      ? { error: failure.name, cause: failure.message }
      : { error: 'States.Runtime', cause: String(failure) };
  return {
    ...(described.error === '' ? {} : { error: described.error }),
    ...(described.cause === '' ? {} : { cause: described.cause }),
  };
}

function terminalEventDetails(outcome: Outcome): Record<string, unknown> {
  if (outcome.status === 'SUCCEEDED') return { output: outcome.output, outputDetails: { truncated: false } };
  return {
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    ...(outcome.cause === undefined ? {} : { cause: outcome.cause }),
  };
}
