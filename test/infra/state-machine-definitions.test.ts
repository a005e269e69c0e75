// Every definition under statemachines/ must be valid ASL as Step Functions will see it (placeholders
// filled), and plain JSONPath: the sandbox's engine ignores JSONata and `Assign`, so they are banned.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLOW_NAMES, stateMachineDefinition } from '../../infra/state-machine-definition.ts';

interface AslValidation {
  isValid: boolean;
  errorsText(separator?: string): string;
}
const validateAsl = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => AslValidation;

const STATEMACHINES_DIR = join(import.meta.dirname, '../../statemachines');
const definitionFiles = readdirSync(STATEMACHINES_DIR).filter((file) => file.endsWith('.asl.json'));

/** A well-formed ARN in place of each `${Placeholder}`, as DefinitionSubstitutions will put one there. */
function withPlaceholdersFilled(text: string): string {
  return text.replace(
    /\$\{(\w+)\}/g,
    (_, name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
  );
}

/** Every key anywhere in the definition, with the value it holds. */
function* entriesDeep(value: unknown): Generator<[string, unknown]> {
  if (Array.isArray(value)) for (const item of value) yield* entriesDeep(item);
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) {
      yield [key, child];
      yield* entriesDeep(child);
    }
}

describe('state machine definitions', () => {
  it('exist: the gated step and the three flows', () => {
    expect(definitionFiles.sort()).toEqual([
      'gated-step.asl.json',
      'parallel-fanout.asl.json',
      'saga.asl.json',
      'sequential-pipeline.asl.json',
    ]);
  });

  it.each(definitionFiles)('%s is valid Amazon States Language', (file) => {
    const definition = JSON.parse(
      withPlaceholdersFilled(readFileSync(join(STATEMACHINES_DIR, file), 'utf8')),
    );
    const validation = validateAsl(definition, { checkPaths: true, checkArn: true });
    expect(validation.errorsText('\n')).toBe('');
    expect(validation.isValid).toBe(true);
  });

  it.each(definitionFiles)('%s uses JSONPath only: no JSONata, no Assign', (file) => {
    const definition: unknown = JSON.parse(readFileSync(join(STATEMACHINES_DIR, file), 'utf8'));
    const offending = [...entriesDeep(definition)].filter(
      ([key, value]) => key === 'Assign' || (key === 'QueryLanguage' && value !== 'JSONPath'),
    );
    expect(offending).toEqual([]);
    expect(readFileSync(join(STATEMACHINES_DIR, file), 'utf8')).not.toMatch(/\{%/);
  });
});

const GATED_STEP = JSON.parse(readFileSync(join(STATEMACHINES_DIR, 'gated-step.asl.json'), 'utf8')) as {
  StartAt: string;
  States: Record<string, unknown>;
};
const GATED_STEP_FUNCTIONS = ['Gate', 'Route', 'Escalate', 'RecordStepFailure'];

/** The flows' own functions, beyond the gated step's (docs/backend.md "Flows"). */
const FLOW_FUNCTIONS = {
  'sequential-pipeline': ['Finish'],
  'parallel-fanout': ['Decompose', 'Finish'],
  saga: ['Finish', 'PlanCompensation', 'Compensate'],
} as const;

/** The step Map of each flow, whose placeholder processor the gated step replaces. */
const STEP_MAPS = {
  'sequential-pipeline': 'RunSteps',
  'parallel-fanout': 'RunSubtasks',
  saga: 'RunSteps',
} as const;

interface MapState {
  ItemProcessor: { ProcessorConfig: unknown; StartAt: string; States: Record<string, unknown> };
}

describe('stateMachineDefinition (flow + gated step)', () => {
  it.each(FLOW_NAMES)('%s: valid Amazon States Language once composed', (flow) => {
    const validation = validateAsl(JSON.parse(withPlaceholdersFilled(stateMachineDefinition(flow))), {
      checkPaths: true,
      checkArn: true,
    });
    expect(validation.errorsText('\n')).toBe('');
    expect(validation.isValid).toBe(true);
  });

  it.each(FLOW_NAMES)('%s: the step Map runs the gated step, inline, and nothing else changes', (flow) => {
    const composed = JSON.parse(stateMachineDefinition(flow)) as { States: Record<string, MapState> };
    const file = JSON.parse(readFileSync(join(STATEMACHINES_DIR, `${flow}.asl.json`), 'utf8')) as {
      States: Record<string, MapState>;
    };
    const stepMap = STEP_MAPS[flow];

    expect(file.States[stepMap]?.ItemProcessor.StartAt).toBe('GatedStep');
    expect(composed.States[stepMap]?.ItemProcessor).toEqual({
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: 'HasAgent',
      States: GATED_STEP.States,
    });
    for (const [name, state] of Object.entries(file.States))
      if (name !== stepMap) expect(composed.States[name]).toEqual(state);
  });

  it.each(FLOW_NAMES)('%s: names exactly the gated step’s functions and its own', (flow) => {
    const placeholders = new Set(
      [...stateMachineDefinition(flow).matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]),
    );
    expect([...placeholders].sort()).toEqual(
      [...GATED_STEP_FUNCTIONS, ...FLOW_FUNCTIONS[flow]].map((name) => `${name}FunctionArn`).sort(),
    );
  });

  // Step Functions refuses a state name used twice anywhere in a machine, nested processors included.
  it.each(FLOW_NAMES)(
    '%s: every state name is unique across the machine, the gated step included',
    (flow) => {
      const names: string[] = [];
      const collect = (definition: { States: Record<string, { ItemProcessor?: never }> }) => {
        for (const [name, state] of Object.entries(definition.States)) {
          names.push(name);
          if (state.ItemProcessor) collect(state.ItemProcessor);
        }
      };
      collect(JSON.parse(stateMachineDefinition(flow)));
      expect(names).toContain('AwaitApproval');
      expect(names.length).toBe(new Set(names).size);
    },
  );

  it('gives every Lambda task the retry of Lambda service errors (1 s, ×2, 3 attempts, full jitter)', () => {
    const lambdaErrors = [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ];
    for (const flow of FLOW_NAMES) {
      const tasks = [...entriesDeep(JSON.parse(stateMachineDefinition(flow)))].filter(
        ([, value]) => (value as { Type?: string } | null)?.Type === 'Task',
      );
      expect(tasks.length).toBeGreaterThan(0);
      for (const [name, task] of tasks) {
        const retriers = (task as { Retry?: { ErrorEquals: string[] }[] }).Retry ?? [];
        const lambdaRetrier = retriers.find((retrier) =>
          lambdaErrors.every((error) => retrier.ErrorEquals.includes(error)),
        );
        expect(lambdaRetrier, `${flow} ${name}`).toBeDefined();
        // The compensation retries its own failure with the same backoff, one attempt more.
        expect(lambdaRetrier, `${flow} ${name}`).toMatchObject({
          IntervalSeconds: 1,
          BackoffRate: 2,
          MaxAttempts: name === 'CompensateStep' ? 4 : 3,
          JitterStrategy: 'FULL',
        });
      }
    }
  });
});
