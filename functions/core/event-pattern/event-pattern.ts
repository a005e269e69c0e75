// EventBridge event patterns: compiled once, matched against many events. One implementation for the
// sandbox's EventBridge (rules, TestEventPattern) and for webhook filters (app/webhooks/dispatch-event.ts),
// so a filter a subscriber tests against the sandbox matches the same events in AWS and in the dispatcher.
//
// A pattern is an object whose fields are either nested objects or arrays of leaf matchers, plus
// optional `$or` arrays of alternative sub-patterns at any level. All fields must match (AND); the
// entries of one array are alternatives (OR). Where the event holds an array, the pattern matches if
// any element matches; a nested object pattern is matched against one element at a time, so fields
// matched together come from the same array element.

import { InvalidEventPatternError } from './invalid-event-pattern.ts';
import { compileLeafMatcher, type JsonScalar, type LeafMatcher } from './leaf-matcher.ts';

export interface CompiledEventPattern {
  /** The event, parsed (an object) or as JSON text. */
  matches(event: unknown): boolean;
}

interface ObjectPattern {
  fields: FieldPattern[];
  /** Each `$or` at this level: one of its alternatives must match. */
  alternatives: ObjectPattern[][];
}

type FieldPattern =
  | { name: string; kind: 'object'; pattern: ObjectPattern }
  | { name: string; kind: 'leaf'; matchers: LeafMatcher[] };

const OR_KEYWORD = '$or';

/** Compiles a pattern given as JSON text or as a parsed object; throws InvalidEventPatternError. */
export function compilePattern(pattern: unknown): CompiledEventPattern {
  const parsed = typeof pattern === 'string' ? parsePatternText(pattern) : pattern;
  if (!isPlainObject(parsed)) throw new InvalidEventPatternError('Filter is not an object', '');
  const compiled = compileObject(parsed, '');
  return { matches: (event) => matchObject(compiled, typeof event === 'string' ? JSON.parse(event) : event) };
}

/** The AWS-style error message for a malformed pattern, or undefined when the pattern is valid. */
export function validatePattern(pattern: unknown): string | undefined {
  try {
    compilePattern(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error.message;
    throw error;
  }
}

/** Matches one event; compile the pattern once with compilePattern when it serves many events. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  const compiled = isCompiled(pattern) ? pattern : compilePattern(pattern);
  return compiled.matches(event);
}

function isCompiled(pattern: unknown): pattern is CompiledEventPattern {
  return isPlainObject(pattern) && typeof pattern.matches === 'function';
}

function parsePatternText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidEventPatternError(`Pattern is not valid JSON: ${(error as Error).message}`, '');
  }
}

function compileObject(pattern: Record<string, unknown>, location: string): ObjectPattern {
  const entries = Object.entries(pattern);
  if (entries.length === 0)
    throw new InvalidEventPatternError('Empty objects are not allowed', location || '$');
  const compiled: ObjectPattern = { fields: [], alternatives: [] };
  for (const [name, value] of entries) {
    const fieldLocation = location ? `${location}.${name}` : name;
    if (name === OR_KEYWORD) {
      compiled.alternatives.push(compileOr(value, fieldLocation));
    } else if (Array.isArray(value)) {
      if (value.length === 0)
        throw new InvalidEventPatternError('Empty arrays are not allowed', fieldLocation);
      const matchers = value.map((entry, index) => compileLeafMatcher(entry, `${fieldLocation}[${index}]`));
      compiled.fields.push({ name, kind: 'leaf', matchers });
    } else if (isPlainObject(value)) {
      compiled.fields.push({ name, kind: 'object', pattern: compileObject(value, fieldLocation) });
    } else {
      throw new InvalidEventPatternError(`"${name}" must be an object or an array`, fieldLocation);
    }
  }
  return compiled;
}

function compileOr(value: unknown, location: string): ObjectPattern[] {
  if (!Array.isArray(value))
    throw new InvalidEventPatternError('It must be an Array followed with $or.', location);
  const alternatives = value.map((alternative, index) => {
    if (!isPlainObject(alternative)) {
      throw new InvalidEventPatternError(
        'Only JSON object is allowed in array of $or relationship.',
        location,
      );
    }
    return compileObject(alternative, `${location}[${index}]`);
  });
  if (alternatives.length < 2) {
    throw new InvalidEventPatternError('There must have at least 2 Objects in $or relationship.', location);
  }
  return alternatives;
}

function matchObject(pattern: ObjectPattern, value: unknown): boolean {
  const object = isPlainObject(value) ? value : undefined;
  return (
    pattern.fields.every((field) => matchField(field, object?.[field.name])) &&
    pattern.alternatives.every((alternatives) =>
      alternatives.some((alternative) => matchObject(alternative, value)),
    )
  );
}

function matchField(field: FieldPattern, value: unknown): boolean {
  if (field.kind === 'leaf') return matchLeaf(field.matchers, leafValues(value));
  if (Array.isArray(value) && value.length > 0) {
    return value.flat(Number.POSITIVE_INFINITY).some((element) => matchObject(field.pattern, element));
  }
  return matchObject(field.pattern, value);
}

function matchLeaf(matchers: LeafMatcher[], values: JsonScalar[]): boolean {
  return matchers.some((matcher) =>
    matcher.kind === 'exists' ? matcher.present === values.length > 0 : values.some(matcher.accepts),
  );
}

/** The leaf values at a field: a scalar, or the scalars of an array. Objects are not leaves. */
function leafValues(value: unknown): JsonScalar[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  if (isPlainObject(value)) return [];
  return [value as JsonScalar];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
