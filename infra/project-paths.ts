// Paths the CDK app reads at synthesis, resolved from this file rather than the working directory, so
// `cdk synth`, the tests and the e2e setup find the same bundles and definitions wherever they run from.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `dist/<domain>/<name>`: one function's bundle, written by `npm run build` (scripts/build.ts). */
export function functionBundleDir(entry: string): string {
  return join(PROJECT_ROOT, 'dist', entry);
}

/** `statemachines/<name>.asl.json`: a JSONPath state machine definition with `${Placeholders}`. */
export function stateMachineDefinitionFile(name: string): string {
  return join(PROJECT_ROOT, 'statemachines', `${name}.asl.json`);
}
