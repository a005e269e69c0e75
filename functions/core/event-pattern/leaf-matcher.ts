// One entry of a pattern field's array: what it accepts among the event's leaf values at that field.
// The entries of one array are alternatives (OR); `exists` looks at whether any leaf value is there.

import { compileCidr } from './cidr.ts';
import { InvalidEventPatternError } from './invalid-event-pattern.ts';
import { compileNumericRange } from './numeric-range.ts';
import { compileWildcard } from './wildcard.ts';

/** A value at a leaf of an event: what JSON has besides objects and arrays. */
export type JsonScalar = string | number | boolean | null;

export type LeafMatcher =
  | { kind: 'exists'; present: boolean }
  | { kind: 'value'; accepts: (value: JsonScalar) => boolean };

/** Compiles one entry of a field's array (`"x"`, `3`, `null`, `{ "prefix": "a" }`...). */
export function compileLeafMatcher(entry: unknown, location: string): LeafMatcher {
  if (
    typeof entry === 'string' ||
    typeof entry === 'number' ||
    typeof entry === 'boolean' ||
    entry === null
  ) {
    // Exact match: JSON numbers compare by value (300 matches 3.0e2), never with the string "300".
    return { kind: 'value', accepts: (value) => value === entry };
  }
  if (typeof entry !== 'object' || Array.isArray(entry)) {
    throw new InvalidEventPatternError('Match value must be String, number, true, false, or null', location);
  }
  const keys = Object.keys(entry);
  if (keys.length === 0) throw new InvalidEventPatternError('Match expression name not found', location);
  if (keys.length > 1)
    throw new InvalidEventPatternError('Only one key allowed in match expression', location);
  const operator = keys[0]!;
  const operand = (entry as Record<string, unknown>)[operator];
  try {
    return compileOperator(operator, operand);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw error;
    throw new InvalidEventPatternError((error as Error).message, `${location}.${operator}`);
  }
}

function compileOperator(operator: string, operand: unknown): LeafMatcher {
  switch (operator) {
    case 'prefix':
      return onStrings(compileAffix('prefix', operand));
    case 'suffix':
      return onStrings(compileAffix('suffix', operand));
    case 'equals-ignore-case':
      return onStrings(
        equalsIgnoreCase(requireString(operand, 'equals-ignore-case match pattern must be a string')),
      );
    case 'wildcard':
      return onStrings(compileWildcard(requireString(operand, 'wildcard match pattern must be a string')));
    case 'cidr':
      return onStrings(compileCidr(requireString(operand, 'cidr match pattern must be a string')));
    case 'numeric': {
      if (!Array.isArray(operand)) throw new Error('Value of numeric must be an array.');
      const inRange = compileNumericRange(operand);
      return { kind: 'value', accepts: (value) => typeof value === 'number' && inRange(value) };
    }
    case 'exists':
      if (typeof operand !== 'boolean') throw new Error('exists match pattern must be either true or false.');
      return { kind: 'exists', present: operand };
    case 'anything-but':
      return { kind: 'value', accepts: compileAnythingBut(operand) };
    default:
      throw new Error(`Unrecognized match type ${operator}`);
  }
}

function onStrings(test: (value: string) => boolean): LeafMatcher {
  return { kind: 'value', accepts: (value) => typeof value === 'string' && test(value) };
}

function requireString(operand: unknown, message: string): string {
  if (typeof operand !== 'string') throw new Error(message);
  return operand;
}

/** `prefix` / `suffix` take a string, or `{ "equals-ignore-case": string }`. */
function compileAffix(kind: 'prefix' | 'suffix', operand: unknown): (value: string) => boolean {
  if (typeof operand === 'string') {
    return kind === 'prefix' ? (value) => value.startsWith(operand) : (value) => value.endsWith(operand);
  }
  if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
    const keys = Object.keys(operand);
    const ignoreCase = (operand as Record<string, unknown>)['equals-ignore-case'];
    if (keys.length === 1 && keys[0] === 'equals-ignore-case' && typeof ignoreCase === 'string') {
      const folded = ignoreCase.toLowerCase();
      return kind === 'prefix'
        ? (value) => value.toLowerCase().startsWith(folded)
        : (value) => value.toLowerCase().endsWith(folded);
    }
    throw new Error(`Unsupported ${kind} pattern: ${keys.join(', ')}`);
  }
  throw new Error(`${kind} match pattern must be a string or a valid ${kind} object`);
}

function equalsIgnoreCase(expected: string): (value: string) => boolean {
  const folded = expected.toLowerCase();
  return (value) => value.toLowerCase() === folded;
}

/**
 * `anything-but` accepts every leaf value except the listed ones. A list holds only strings or only
 * numbers; a number list only ever accepts numbers, as in AWS where numbers are compared numerically.
 * The object forms negate `prefix`, `suffix`, `equals-ignore-case` and `wildcard`.
 */
function compileAnythingBut(operand: unknown): (value: JsonScalar) => boolean {
  if (typeof operand === 'string') return excluding([operand]);
  if (typeof operand === 'number') return excluding([operand]);
  if (Array.isArray(operand)) {
    const allStrings = operand.length > 0 && operand.every((item) => typeof item === 'string');
    const allNumbers = operand.length > 0 && operand.every((item) => typeof item === 'number');
    if (!operand.every((item) => typeof item === 'string' || typeof item === 'number')) {
      throw new Error('Inside anything but list, start|null|boolean is not supported.');
    }
    if (!allStrings && !allNumbers) {
      throw new Error(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    return excluding(allNumbers ? (operand as number[]) : (operand as string[]));
  }
  if (operand === null || typeof operand !== 'object') {
    throw new Error('Value of anything-but must be an array or single string/number value.');
  }
  const keys = Object.keys(operand);
  if (keys.length !== 1) throw new Error('Only one key allowed in match expression');
  const operator = keys[0]!;
  const inner = (operand as Record<string, unknown>)[operator];
  const excluded = compileExcludedStrings(operator, inner);
  // Non-string values are never a prefix, suffix, case variant or wildcard match, so they pass.
  return (value) => typeof value !== 'string' || !excluded(value);
}

function excluding(values: string[] | number[]): (value: JsonScalar) => boolean {
  const excluded = new Set<JsonScalar>(values);
  if (typeof values[0] === 'number') return (value) => typeof value === 'number' && !excluded.has(value);
  return (value) => !excluded.has(value);
}

function compileExcludedStrings(operator: string, inner: unknown): (value: string) => boolean {
  switch (operator) {
    case 'prefix':
    case 'suffix': {
      if (typeof inner !== 'string') throw new Error('prefix/suffix match pattern must be a string');
      if (inner === '') throw new Error('Null prefix/suffix not allowed');
      return operator === 'prefix' ? (value) => value.startsWith(inner) : (value) => value.endsWith(inner);
    }
    case 'equals-ignore-case': {
      const tests = stringOrStringList(inner, 'equals-ignore-case').map(equalsIgnoreCase);
      return (value) => tests.some((test) => test(value));
    }
    case 'wildcard': {
      const tests = stringOrStringList(inner, 'wildcard').map(compileWildcard);
      return (value) => tests.some((test) => test(value));
    }
    default:
      throw new Error(`Unsupported anything-but pattern: ${operator}`);
  }
}

function stringOrStringList(inner: unknown, operator: string): string[] {
  if (typeof inner === 'string') return [inner];
  if (Array.isArray(inner) && inner.length > 0 && inner.every((item) => typeof item === 'string'))
    return inner;
  throw new Error(`Inside anything-but/${operator}, only a string or a list of strings is supported.`);
}
