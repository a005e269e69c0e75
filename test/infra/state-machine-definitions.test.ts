// Every definition under statemachines/ must be valid ASL as Step Functions will see it (placeholders
// filled), and plain JSONPath: the sandbox's engine ignores JSONata and `Assign`, so they are banned.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
  it('exist', () => {
    expect(definitionFiles).toContain('sequential-pipeline.asl.json');
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
