import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { AwsServiceError } from '../contracts.ts';
import { parseTaskResource } from './integrations/task-resource.ts';
import type { JsonObject } from './json.ts';
import { isJsonObject } from './json.ts';
import type { AslStates } from './state-walk.ts';
import { forEachState, isAslStates, nestedDefinitions } from './state-walk.ts';
import type { TaskStateSpec } from './task-state-spec.ts';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface CheckedDefinition {
  definition: AslStates;
  /** Every Task state, nested ones included, by name. */
  taskStates: Map<string, TaskStateSpec>;
}

// Fields of the JSONata query language and of workflow variables. The engine implements JSONPath
// only and would silently skip them, running the machine differently from AWS.
const JSONATA_OR_VARIABLE_FIELDS = ['Arguments', 'Output', 'Assign', 'Items', 'Condition'];

// Fields only a distributed Map has; the engine runs every Map inline.
const DISTRIBUTED_MAP_FIELDS = [
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'ToleratedFailureCount',
  'ToleratedFailurePercentage',
];

/**
 * Parses and validates a definition as CreateStateMachine does, and refuses what the sandbox
 * would not run as AWS does: JSONata, variables, distributed maps, resources it does not emulate.
 */
export function checkDefinition(definitionText: unknown, type: StateMachineType): CheckedDefinition {
  if (typeof definitionText !== 'string') {
    throw new AwsServiceError(
      'ValidationException',
      "1 validation error detected: 'definition' must not be null",
    );
  }
  let definition: unknown;
  try {
    definition = JSON.parse(definitionText);
  } catch (error) {
    throw invalidDefinition(`INVALID_JSON_DESCRIPTION: ${(error as Error).message}`);
  }
  if (!isAslStates(definition))
    throw invalidDefinition("SCHEMA_VALIDATION_FAILED: 'States' must be an object");
  refuseUnsupportedLanguage(definition);
  try {
    new StateMachine(definition as unknown as StateMachineDefinition);
  } catch (error) {
    throw invalidDefinition((error as Error).message);
  }
  return { definition, taskStates: collectTaskStates(definition, type) };
}

function refuseUnsupportedLanguage(definition: AslStates): void {
  refuseJsonataQueryLanguage(definition, 'The state machine');
  for (const nested of [definition, ...allNestedDefinitions(definition)]) {
    refuseJsonataQueryLanguage(nested, 'A nested state machine');
  }
  forEachState(definition, (name, state) => {
    refuseJsonataQueryLanguage(state, `State '${name}'`);
    const usedFields = JSONATA_OR_VARIABLE_FIELDS.filter((field) => field in state);
    for (const rule of [...arrayOf(state.Choices), ...arrayOf(state.Catch)]) {
      if (isJsonObject(rule)) usedFields.push(...JSONATA_OR_VARIABLE_FIELDS.filter((field) => field in rule));
    }
    if (usedFields.length > 0) {
      throw invalidDefinition(
        `State '${name}' uses ${[...new Set(usedFields)].join(', ')}: JSONata and workflow variables are not ` +
          'emulated by the sandbox (its engine would silently ignore them)',
      );
    }
    const processor = state.ItemProcessor;
    const distributed =
      isJsonObject(processor) &&
      isJsonObject(processor.ProcessorConfig) &&
      processor.ProcessorConfig.Mode === 'DISTRIBUTED';
    if (distributed || DISTRIBUTED_MAP_FIELDS.some((field) => field in state)) {
      throw invalidDefinition(`State '${name}' is a distributed Map, which the sandbox does not emulate`);
    }
  });
}

function refuseJsonataQueryLanguage(scope: JsonObject, what: string): void {
  if (scope.QueryLanguage === 'JSONata') {
    throw invalidDefinition(
      `${what} sets QueryLanguage to JSONata, which the sandbox does not emulate (its engine implements JSONPath only)`,
    );
  }
}

function collectTaskStates(definition: AslStates, type: StateMachineType): Map<string, TaskStateSpec> {
  const taskStates = new Map<string, TaskStateSpec>();
  forEachState(definition, (name, state) => {
    if (state.Type !== 'Task') return;
    const resource = parseTaskResource(String(state.Resource));
    if ('unsupported' in resource) throw invalidDefinition(`State '${name}': ${resource.unsupported}`);
    if (resource.waitForTaskToken && type === 'EXPRESS') {
      throw invalidDefinition(
        `State '${name}': Express state machines do not support the '.waitForTaskToken' integration pattern`,
      );
    }
    const spec: TaskStateSpec = { resource };
    if (typeof state.TimeoutSeconds === 'number') spec.timeoutSeconds = state.TimeoutSeconds;
    if (typeof state.TimeoutSecondsPath === 'string') spec.timeoutSecondsPath = state.TimeoutSecondsPath;
    if (typeof state.HeartbeatSeconds === 'number') spec.heartbeatSeconds = state.HeartbeatSeconds;
    if (typeof state.HeartbeatSecondsPath === 'string')
      spec.heartbeatSecondsPath = state.HeartbeatSecondsPath;
    if (
      spec.heartbeatSeconds !== undefined &&
      spec.timeoutSeconds !== undefined &&
      spec.heartbeatSeconds >= spec.timeoutSeconds
    ) {
      throw invalidDefinition(`State '${name}': HeartbeatSeconds must be smaller than TimeoutSeconds`);
    }
    taskStates.set(name, spec);
  });
  return taskStates;
}

function allNestedDefinitions(definition: AslStates): AslStates[] {
  const nested: AslStates[] = [];
  forEachState(definition, (_name, state) => {
    nested.push(...nestedDefinitions(state));
  });
  return nested;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function invalidDefinition(reason: string): AwsServiceError {
  return new AwsServiceError('InvalidDefinition', `Invalid State Machine Definition: '${reason}'`);
}
