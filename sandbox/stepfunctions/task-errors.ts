import { StateMachine } from 'aws-local-stepfunctions';

/**
 * A task failure as Step Functions names it: `name` is the error matched by Retry/Catch
 * (`Lambda.Unknown`, `DynamoDB.ConditionalCheckFailedException`...), `message` the cause.
 * The engine reads exactly these two fields into the Catch output `{Error, Cause}`.
 */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/**
 * Ends a task whose execution was stopped, timed out or finished. The engine consults
 * `isRetryable` / `isCatchable` (its RuntimeError protocol), so no Retry or Catch revives it.
 */
export class ExecutionClosedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('The execution is closed');
    this.name = 'States.Runtime';
  }
}

/** An error the engine treats as a runtime error: neither retried nor caught (`States.Runtime`). */
export class StatesRuntimeFailure extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}

let statesTimeoutErrorClass: Promise<new () => Error> | undefined;

/**
 * The engine's own `States.Timeout` error class. It is not exported, yet only its instances are
 * excluded from `States.TaskFailed` in Retry/Catch (as AWS excludes timeouts), so a timeout
 * raised by the sandbox (heartbeat, token wait) must be one. It is obtained once by running a
 * one-state machine whose task times out after 1 ms.
 */
export function statesTimeoutError(): Promise<Error> {
  statesTimeoutErrorClass ??= probeStatesTimeoutErrorClass();
  return statesTimeoutErrorClass.then((ErrorClass) => new ErrorClass());
}

async function probeStatesTimeoutErrorClass(): Promise<new () => Error> {
  const probe = new StateMachine(
    {
      StartAt: 'Probe',
      States: {
        Probe: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:000000000000:function:probe',
          TimeoutSeconds: 0.001,
          End: true,
        },
      },
    },
    { validationOptions: { noValidate: true } },
  );
  const neverSettles = () => new Promise<never>(() => {});
  try {
    await probe.run({}, { overrides: { taskResourceLocalHandlers: { Probe: neverSettles } } }).result;
  } catch (error) {
    const timeout = (error as Error).cause;
    if (timeout instanceof Error && timeout.name === 'States.Timeout') {
      return timeout.constructor as new () => Error;
    }
  }
  throw new Error(
    'aws-local-stepfunctions no longer raises States.Timeout for a task past its TimeoutSeconds',
  );
}
