import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { DYNAMIC_DEADLINE_KEYS } from './engine-definition.ts';
import type { ExecutionHistory } from './history.ts';
import { payload } from './history.ts';
import type { TaskCaller, TaskIntegrations } from './integrations/task-integrations.ts';
import { historyResourceName } from './integrations/task-resource.ts';
import type { JsonValue } from './json.ts';
import { isJsonObject } from './json.ts';
import { DeadlineExpired, TaskDeadline } from './task-deadline.ts';
import { ExecutionClosedError, StatesRuntimeFailure, statesTimeoutError } from './task-errors.ts';
import type { TaskStateSpec } from './task-state-spec.ts';
import type { TaskTokenRegistry } from './task-tokens.ts';

/** What a task attempt needs from its execution. */
export interface TaskRunContext {
  caller: TaskCaller;
  region: string;
  /** Aborted when the execution closes (stopped, timed out, finished). */
  executionClosed: AbortSignal;
  history: ExecutionHistory;
  tokens: TaskTokenRegistry;
  integrations: TaskIntegrations;
  /** What `$$.Task.Token` resolves to in the engine; replaced by the minted token. */
  tokenPlaceholder: string;
}

/**
 * Runs one attempt of a Task state on its effective input (after InputPath and Parameters),
 * the engine handling ResultSelector/ResultPath/OutputPath, Retry and Catch around it. Enforces
 * TimeoutSeconds and HeartbeatSeconds, mints the task token of `.waitForTaskToken` tasks and
 * waits for its answer, and records the task events of the history.
 */
export async function runTaskAttempt(
  context: TaskRunContext,
  spec: TaskStateSpec,
  engineInput: JsonValue,
): Promise<JsonValue> {
  // Let the engine's event log deliver the state's entry before the task's own events are recorded.
  await nextMacrotask();
  if (context.executionClosed.aborted) throw new ExecutionClosedError();
  const { resource } = spec;
  const {
    input,
    timeoutSeconds,
    heartbeatSeconds: declaredHeartbeatSeconds,
  } = unwrapDeadlines(spec, engineInput);
  // Only a task waiting for a token can be sent heartbeats.
  const heartbeatSeconds = resource.waitForTaskToken ? declaredHeartbeatSeconds : undefined;
  const deadline = new TaskDeadline(context.executionClosed, timeoutSeconds, heartbeatSeconds);
  const tokenWait = resource.waitForTaskToken ? context.tokens.mint(() => deadline.heartbeat()) : undefined;
  const parameters = tokenWait ? replaceInStrings(input, context.tokenPlaceholder, tokenWait.token) : input;
  const events = taskEvents(context, spec);
  try {
    events.scheduled(parameters, timeoutSeconds, heartbeatSeconds);
    events.started();
    const response = await deadline.race(context.integrations.call(resource, parameters, context.caller));
    if (!tokenWait) {
      events.succeeded(response);
      return response;
    }
    events.submitted(response);
    const output = await deadline.race(tokenWait.outcome);
    events.succeeded(output);
    return output;
  } catch (error) {
    if (error instanceof ExecutionClosedError) throw error;
    if (error instanceof DeadlineExpired) {
      const timeout = await statesTimeoutError();
      events.timedOut(timeout.name, error.message === 'heartbeat' ? 'Heartbeat timeout' : 'Task timeout');
      throw timeout;
    }
    const failure = error instanceof Error ? error : new Error(String(error));
    events.failed(failure.name, failure.message);
    throw failure;
  } finally {
    deadline.dispose();
    if (tokenWait) context.tokens.close(tokenWait.token);
  }
}

/** The effective parameters and the deadlines, read from the engine's wrapped Parameters when they are dynamic. */
function unwrapDeadlines(
  spec: TaskStateSpec,
  engineInput: JsonValue,
): { input: JsonValue; timeoutSeconds?: number; heartbeatSeconds?: number } {
  if (spec.timeoutSecondsPath === undefined && spec.heartbeatSecondsPath === undefined) {
    return {
      input: engineInput,
      timeoutSeconds: spec.timeoutSeconds,
      heartbeatSeconds: spec.heartbeatSeconds,
    };
  }
  const wrapped = isJsonObject(engineInput) ? engineInput : {};
  return {
    input: wrapped[DYNAMIC_DEADLINE_KEYS.parameters] ?? null,
    timeoutSeconds:
      spec.timeoutSecondsPath === undefined
        ? spec.timeoutSeconds
        : positiveInteger(wrapped[DYNAMIC_DEADLINE_KEYS.timeoutSeconds], 'TimeoutSecondsPath'),
    heartbeatSeconds:
      spec.heartbeatSecondsPath === undefined
        ? spec.heartbeatSeconds
        : positiveInteger(wrapped[DYNAMIC_DEADLINE_KEYS.heartbeatSeconds], 'HeartbeatSecondsPath'),
  };
}

function positiveInteger(value: JsonValue | undefined, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new StatesRuntimeFailure(
      `The value of the field '${field}' must be a positive integer, not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function replaceInStrings(value: JsonValue, placeholder: string, replacement: string): JsonValue {
  if (typeof value === 'string') return value.replaceAll(placeholder, replacement);
  if (Array.isArray(value)) return value.map((item) => replaceInStrings(item, placeholder, replacement));
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, replaceInStrings(field, placeholder, replacement)]),
  );
}

/**
 * The history events of a task: `Task*` events for service integrations, `LambdaFunction*`
 * events for the original Lambda ARN resource, as AWS records them.
 */
function taskEvents(context: TaskRunContext, spec: TaskStateSpec) {
  const { history } = context;
  const { resource } = spec;
  if (resource.lambdaFunctionArn !== undefined) {
    return {
      scheduled: (input: JsonValue, timeoutSeconds?: number) =>
        history.add('LambdaFunctionScheduled', {
          resource: resource.lambdaFunctionArn,
          ...payload('input', input),
          ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
        }),
      started: () => history.add('LambdaFunctionStarted'),
      submitted: (_output: JsonValue) => {},
      succeeded: (output: JsonValue) => history.add('LambdaFunctionSucceeded', payload('output', output)),
      failed: (error: string, cause: string) => history.add('LambdaFunctionFailed', { error, cause }),
      timedOut: (error: string, cause: string) => history.add('LambdaFunctionTimedOut', { error, cause }),
    };
  }
  const identity = { resourceType: resource.service, resource: historyResourceName(resource) };
  return {
    scheduled: (parameters: JsonValue, timeoutSeconds?: number, heartbeatSeconds?: number) =>
      history.add('TaskScheduled', {
        ...identity,
        region: context.region,
        parameters: JSON.stringify(parameters),
        ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
        ...(heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: heartbeatSeconds }),
      }),
    started: () => history.add('TaskStarted', identity),
    submitted: (output: JsonValue) =>
      history.add('TaskSubmitted', { ...identity, ...payload('output', output) }),
    succeeded: (output: JsonValue) =>
      history.add('TaskSucceeded', { ...identity, ...payload('output', output) }),
    failed: (error: string, cause: string) => history.add('TaskFailed', { ...identity, error, cause }),
    timedOut: (error: string, cause: string) => history.add('TaskTimedOut', { ...identity, error, cause }),
  };
}
