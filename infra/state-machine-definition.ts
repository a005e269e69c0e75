// The flows' definitions as Step Functions runs them: each flow file (statemachines/<name>.asl.json) with
// the gated step (statemachines/gated-step.asl.json) in place of its placeholder ItemProcessor. Every file
// stays valid ASL on its own, and the step logic (routing, gate, escalation loop, failure recording) is
// written once, for all three flows. `${Placeholders}` are left for DefinitionSubstitutions.
import { readFileSync } from 'node:fs';
import { stateMachineDefinitionFile } from './project-paths.ts';

export const FLOW_NAMES = ['sequential-pipeline', 'parallel-fanout', 'saga'] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

/** The StartAt of an ItemProcessor that stands for the gated step. */
const GATED_STEP_PLACEHOLDER = 'GatedStep';

type JsonObject = { [key: string]: unknown };

/** The flow's definition, gated step included, as JSON text with its `${Placeholders}` unfilled. */
export function stateMachineDefinition(name: FlowName): string {
  const flow = readDefinition(name);
  const gatedStep = readDefinition('gated-step');
  let included = 0;
  forEachState(flow, (stateName, state) => {
    const processor = state.ItemProcessor;
    if (!isObject(processor) || processor.StartAt !== GATED_STEP_PLACEHOLDER) return;
    if (!isObject(processor.ProcessorConfig))
      throw new Error(`${name}: the ItemProcessor of "${stateName}" has no ProcessorConfig`);
    state.ItemProcessor = {
      ProcessorConfig: processor.ProcessorConfig,
      StartAt: gatedStep.StartAt,
      States: structuredClone(gatedStep.States),
    };
    included += 1;
  });
  // A flow without the placeholder would silently run without the gate.
  if (included === 0) throw new Error(`${name}: no ItemProcessor starts at "${GATED_STEP_PLACEHOLDER}"`);
  return JSON.stringify(flow, null, 2);
}

function readDefinition(name: string): JsonObject & { StartAt: string; States: Record<string, JsonObject> } {
  const definition: unknown = JSON.parse(readFileSync(stateMachineDefinitionFile(name), 'utf8'));
  if (!isObject(definition) || typeof definition.StartAt !== 'string' || !isObject(definition.States))
    throw new Error(`statemachines/${name}.asl.json is not a state machine definition`);
  return definition as JsonObject & { StartAt: string; States: Record<string, JsonObject> };
}

/** Visits every state, those of Map processors and Parallel branches included. */
function forEachState(
  definition: { States: Record<string, JsonObject> },
  visit: (name: string, state: JsonObject) => void,
): void {
  for (const [name, state] of Object.entries(definition.States)) {
    visit(name, state);
    const nested = [
      state.ItemProcessor,
      state.Iterator,
      ...(Array.isArray(state.Branches) ? state.Branches : []),
    ];
    for (const child of nested)
      if (isObject(child) && isObject(child.States))
        forEachState(child as { States: Record<string, JsonObject> }, visit);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
