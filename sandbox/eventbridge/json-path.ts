// The JSONPath subset EventBridge evaluates in InputPath and InputPathsMap: `$`, dot notation
// (names with dashes, underscores, slashes), bracketed names and array indices, and `*` wildcards.

type PathStep = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export interface CompiledJsonPath {
  /** The value at the path, undefined when the event has nothing there. A wildcard yields an array. */
  evaluate(document: unknown): unknown;
}

/** Compiles a path; throws an Error naming the problem. */
export function compileJsonPath(path: string): CompiledJsonPath {
  const steps = parseSteps(path);
  const hasWildcard = steps.some((step) => step.kind === 'wildcard');
  return {
    evaluate(document) {
      let current: unknown[] = [document];
      for (const step of steps) current = current.flatMap((value) => applyStep(step, value));
      return hasWildcard ? current : current[0];
    },
  };
}

function applyStep(step: PathStep, value: unknown): unknown[] {
  if (step.kind === 'wildcard') {
    if (Array.isArray(value)) return value;
    return typeof value === 'object' && value !== null ? Object.values(value) : [];
  }
  if (step.kind === 'index') {
    return Array.isArray(value) && step.index < value.length ? [value[step.index]] : [];
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.hasOwn(value, step.name)
  ) {
    return [(value as Record<string, unknown>)[step.name]];
  }
  return [];
}

function parseSteps(path: string): PathStep[] {
  if (!path.startsWith('$')) throw new Error(`JSON path must start with $: ${path}`);
  const steps: PathStep[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const dotted = /^\.([A-Za-z0-9_\-/]+|\*)/.exec(rest);
    const bracketed = /^\[(?:(\d+)|\*|'([^']*)'|"([^"]*)")\]/.exec(rest);
    if (dotted) {
      steps.push(dotted[1] === '*' ? { kind: 'wildcard' } : { kind: 'name', name: dotted[1]! });
      rest = rest.slice(dotted[0].length);
    } else if (bracketed) {
      if (bracketed[1] !== undefined) steps.push({ kind: 'index', index: Number(bracketed[1]) });
      else if (bracketed[2] !== undefined || bracketed[3] !== undefined) {
        steps.push({ kind: 'name', name: (bracketed[2] ?? bracketed[3])! });
      } else steps.push({ kind: 'wildcard' });
      rest = rest.slice(bracketed[0].length);
    } else {
      throw new Error(`unsupported JSON path syntax at "${rest}" in ${path}`);
    }
  }
  return steps;
}
