import type { JsonObject } from './json.ts';
import { isJsonObject } from './json.ts';

/** A state machine definition (or a Parallel branch / Map item processor) as parsed JSON. */
export interface AslStates extends JsonObject {
  States: { [name: string]: JsonObject };
}

/**
 * Visits every state, including those nested in Parallel branches and Map item processors
 * (`ItemProcessor`, or `Iterator` in older definitions). State names are unique across the whole
 * machine in AWS, which is what lets the sandbox key per-state behaviour by name.
 */
export function forEachState(definition: AslStates, visit: (name: string, state: JsonObject) => void): void {
  for (const [name, state] of Object.entries(definition.States)) {
    visit(name, state);
    for (const nested of nestedDefinitions(state)) forEachState(nested, visit);
  }
}

export function nestedDefinitions(state: JsonObject): AslStates[] {
  const nested: AslStates[] = [];
  if (Array.isArray(state.Branches)) {
    for (const branch of state.Branches) if (isAslStates(branch)) nested.push(branch);
  }
  for (const field of ['ItemProcessor', 'Iterator']) {
    const processor = state[field];
    if (isAslStates(processor)) nested.push(processor);
  }
  return nested;
}

export function isAslStates(value: unknown): value is AslStates {
  return isJsonObject(value) && isJsonObject(value.States);
}
