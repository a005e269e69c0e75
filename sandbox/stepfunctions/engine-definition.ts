import type { JsonObject, JsonValue } from './json.ts';
import { isJsonObject } from './json.ts';
import type { AslStates } from './state-walk.ts';
import { forEachState } from './state-walk.ts';

/**
 * Context-object keys the sandbox fills itself. The engine rebuilds `$$.Execution` for every
 * Parallel branch and Map iteration (with the branch's input as `Input`) and knows nothing of
 * `$$.State` or `$$.Task`, so references to them are redirected to these keys, which the engine
 * copies into every nested run unchanged.
 */
export const CONTEXT_KEYS = {
  execution: 'SandboxExecution',
  states: 'SandboxStates',
  task: 'SandboxTask',
} as const;

// The engine races every task against TimeoutSeconds, 60 s when unset; AWS Standard tasks have
// no default timeout. The longest delay a Node timer holds (~24.8 days) stands in for "none": the
// sandbox enforces the declared TimeoutSeconds / HeartbeatSeconds itself.
const ENGINE_TASK_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * A Task with TimeoutSecondsPath or HeartbeatSecondsPath has its Parameters wrapped so that the
 * engine resolves those paths against the state input, as AWS does, next to the effective
 * parameters; the sandbox's task handler unwraps them.
 */
export const DYNAMIC_DEADLINE_KEYS = {
  parameters: 'SandboxParameters',
  timeoutSeconds: 'SandboxTimeoutSeconds',
  heartbeatSeconds: 'SandboxHeartbeatSeconds',
} as const;

const QUOTED_STRING = /'(?:\\.|[^'\\])*'/g;
const CONTEXT_REFERENCE = /\$\$\.(Execution|State|Task)(?![A-Za-z0-9_])/g;
const PAYLOAD_TEMPLATE_FIELDS = ['Parameters', 'ItemSelector', 'ResultSelector'];

export interface EngineDefinition {
  definition: AslStates;
  /** `$$.State` of each state, under the key its rewritten references use. */
  stateContexts: Record<string, { Name: string; readonly EnteredTime: string }>;
}

/** The definition handed to the engine: context references redirected, deadlines left to the sandbox. */
export function prepareEngineDefinition(checked: AslStates): EngineDefinition {
  const definition = structuredClone(checked);
  // The execution deadline is enforced by the sandbox, beyond what one Node timer can hold.
  delete definition.TimeoutSeconds;
  const stateContexts: EngineDefinition['stateContexts'] = {};
  let stateIndex = 0;
  forEachState(definition, (name, state) => {
    const stateKey = `s${stateIndex++}`;
    stateContexts[stateKey] = {
      Name: name,
      // Read when the state resolves its paths, i.e. as it is entered.
      get EnteredTime() {
        return new Date().toISOString();
      },
    };
    const rewrite = (expression: string) => rewriteContextReferences(expression, stateKey);
    for (const [field, value] of Object.entries(state)) {
      if (field.endsWith('Path') && field !== 'ResultPath' && typeof value === 'string')
        state[field] = rewrite(value);
    }
    for (const field of PAYLOAD_TEMPLATE_FIELDS) {
      if (state[field] !== undefined) state[field] = rewritePayloadTemplate(state[field], rewrite);
    }
    if (Array.isArray(state.Choices))
      state.Choices = state.Choices.map((rule) => rewriteChoiceRule(rule, rewrite));
    if (state.Type === 'Task') moveDeadlinesOutOfEngine(state);
    // Without Error/Cause the engine invents "FailStateError" and a message; AWS reports none.
    // Empty strings travel through the engine and are dropped when the execution fails.
    if (state.Type === 'Fail') {
      if (state.Error === undefined && state.ErrorPath === undefined) state.Error = '';
      if (state.Cause === undefined && state.CausePath === undefined) state.Cause = '';
    }
    // The engine tests `if (Result)`, so a falsy Result (0, false, "", null) would pass the input
    // through; a Parameters template of the same constant yields the value AWS outputs.
    if (state.Type === 'Pass' && 'Result' in state && !state.Result) {
      state.Parameters = state.Result ?? null;
      delete state.Result;
    }
  });
  return { definition, stateContexts };
}

function moveDeadlinesOutOfEngine(task: JsonObject): void {
  if (typeof task.TimeoutSecondsPath === 'string' || typeof task.HeartbeatSecondsPath === 'string') {
    task.Parameters = {
      ...(task.Parameters === undefined
        ? { [`${DYNAMIC_DEADLINE_KEYS.parameters}.$`]: '$' }
        : { [DYNAMIC_DEADLINE_KEYS.parameters]: task.Parameters }),
      ...(typeof task.TimeoutSecondsPath === 'string'
        ? { [`${DYNAMIC_DEADLINE_KEYS.timeoutSeconds}.$`]: task.TimeoutSecondsPath }
        : {}),
      ...(typeof task.HeartbeatSecondsPath === 'string'
        ? { [`${DYNAMIC_DEADLINE_KEYS.heartbeatSeconds}.$`]: task.HeartbeatSecondsPath }
        : {}),
    };
  }
  task.TimeoutSeconds = ENGINE_TASK_TIMEOUT_SECONDS;
  delete task.TimeoutSecondsPath;
  delete task.HeartbeatSeconds;
  delete task.HeartbeatSecondsPath;
}

/** Rewrites `$$.Execution`, `$$.State`, `$$.Task` in a path or intrinsic function, not inside its string literals. */
function rewriteContextReferences(expression: string, stateKey: string): string {
  const replaceReferences = (text: string) =>
    text.replace(CONTEXT_REFERENCE, (_reference, root: string) => {
      if (root === 'Execution') return `$$.${CONTEXT_KEYS.execution}`;
      if (root === 'Task') return `$$.${CONTEXT_KEYS.task}`;
      return `$$.${CONTEXT_KEYS.states}.${stateKey}`;
    });
  let rewritten = '';
  let position = 0;
  for (const literal of expression.matchAll(QUOTED_STRING)) {
    rewritten += replaceReferences(expression.slice(position, literal.index)) + literal[0];
    position = literal.index + literal[0].length;
  }
  return rewritten + replaceReferences(expression.slice(position));
}

function rewritePayloadTemplate(template: JsonValue, rewrite: (expression: string) => string): JsonValue {
  if (Array.isArray(template)) return template.map((item) => rewritePayloadTemplate(item, rewrite));
  if (!isJsonObject(template)) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) => [
      key,
      key.endsWith('.$') && typeof value === 'string'
        ? rewrite(value)
        : rewritePayloadTemplate(value, rewrite),
    ]),
  );
}

function rewriteChoiceRule(rule: JsonValue, rewrite: (expression: string) => string): JsonValue {
  if (!isJsonObject(rule)) return rule;
  const rewritten: JsonObject = {};
  for (const [field, value] of Object.entries(rule)) {
    if ((field === 'Variable' || field.endsWith('Path')) && typeof value === 'string')
      rewritten[field] = rewrite(value);
    else if (field === 'And' || field === 'Or') {
      rewritten[field] = Array.isArray(value)
        ? value.map((nested) => rewriteChoiceRule(nested, rewrite))
        : value;
    } else if (field === 'Not') rewritten[field] = rewriteChoiceRule(value, rewrite);
    else rewritten[field] = value;
  }
  return rewritten;
}
