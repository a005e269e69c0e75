import { StateMachine } from 'aws-local-stepfunctions';

type Run = StateMachine['run'];
type RunResult = ReturnType<Run>;

/** Set on an iteration state machine (one per Map state entry) once one of its iterations failed. */
const ITERATION_FAILED = Symbol('sandbox.mapIterationFailed');
let installed = false;

/**
 * Makes the engine's Map state start no further iteration once one has failed, as AWS does.
 *
 * The engine (aws-local-stepfunctions) runs a Map's iterations through a p-limit queue of
 * MaxConcurrency, all on one iteration state machine it builds each time the Map state is entered;
 * when an iteration fails it aborts the running ones but leaves the queue to drain, so items that
 * had not started yet still run, side effects included. Iterations and Parallel branches are the
 * only runs the engine starts itself, and they carry its internal `_rootAbortSignal` option: a
 * failed one marks its state machine, and a later run of that same state machine (the next queued
 * item) settles at once without running a state. Runs started by the sandbox (executions) are never
 * marked, and a Map entered again (Retry) builds a new iteration state machine.
 */
export function stopMapIterationsAfterFailure(): void {
  if (installed) return;
  installed = true;
  const run: Run = StateMachine.prototype.run;
  StateMachine.prototype.run = function runUnlessAnIterationFailed(
    this: StateMachine & { [ITERATION_FAILED]?: true },
    input,
    options,
  ): RunResult {
    const nested =
      (options as { _rootAbortSignal?: AbortSignal } | undefined)?._rootAbortSignal !== undefined;
    if (!nested) return run.call(this, input, options);
    if (this[ITERATION_FAILED]) return skippedIteration();
    const execution = run.call(this, input, options);
    // Attached first, so the mark is set before the Map's queue can start the next item.
    execution.result.catch(() => {
      this[ITERATION_FAILED] = true;
    });
    return execution;
  };
}

/** The Map has already failed: its result is discarded, so the item resolves to nothing. */
function skippedIteration(): RunResult {
  return {
    abort: () => {},
    result: Promise.resolve(null),
    eventLogs: (async function* noEvents() {})(),
  };
}
