// fast-check arbitraries of malformed API requests, for the fuzz suite (malformed-requests.test.ts):
// bodies that are not JSON, truncated, of the wrong JSON type, base64 that decodes to garbage, objects with
// missing, unknown, wrong-typed, out-of-range, oversized or too deeply nested fields, prototype-pollution
// keys; path parameters that are empty, too long, full of slashes, unicode or percent-encodings, or ids of
// records that do not exist; query strings with unknown parameters, bad limits and forged page tokens;
// content types that are not JSON.
//
// Every request these build has at least one defect the route must answer with a 4xx: a request is
// assembled (malformedRequests) from parts — body, path parameter, query string — each with a `bad`
// arbitrary (always refused) and, where the route has one, a `valid` one; one part is forced bad and the
// others are drawn from either, so validation runs deep into otherwise valid-looking requests. Parts a
// route does not read (the body of a GET, the query of a POST) are noise the route must ignore.
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------------
// JSON text

/** JSON text written verbatim where it stands: nesting too deep to build as objects, numbers no double holds. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** An object written from its entries in order: `__proto__` stays an own key, and a key may repeat. */
export class JsonEntries {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof JsonEntries) {
    const members = value.entries.filter(([, member]) => member !== undefined);
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${jsonText(member)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (typeof value === 'object' && value !== null) return jsonText(new JsonEntries(Object.entries(value)));
  return JSON.stringify(value) ?? 'null';
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The text is no JSON object (what every body schema needs): invalid JSON, or JSON of another type. */
function isNoJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value !== 'object' || value === null || Array.isArray(value);
  } catch {
    return true;
  }
}

/** `{"a":{"a":…1…}}` or `[[…]]`, `depth` levels deep. */
export function nestedJson(depth: number, shape: 'object' | 'array' = 'object', leaf = '1'): RawJson {
  return shape === 'object'
    ? new RawJson(`${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`)
    : new RawJson(`${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`);
}

/** Depths past DynamoDB's 32 levels: just past it, far past it, and past any recursive code's stack. */
export const excessiveDepth = fc.oneof(
  fc.integer({ min: 33, max: 64 }),
  fc.integer({ min: 500, max: 3_000 }),
  fc.integer({ min: 10_000, max: 60_000 }),
);

// ---------------------------------------------------------------------------------------------------
// Strings and numbers

const CONTROL_AND_ODD_CHARACTERS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\uffff',
  '😀',
  'é',
  'Ω',
  '𝔘',
];

/** Strings of unicode, control characters and lone surrogates. */
export const oddString = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc
    .array(fc.constantFrom(...CONTROL_AND_ODD_CHARACTERS), { minLength: 1, maxLength: 12 })
    .map((parts) => parts.join('')),
);

/** A string of `min`…`max` characters (UTF-16 code units), cheap to build even when huge. */
export function longString(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min, max }), fc.constantFrom('x', 'é', '0', ' ', 'a/'))
    .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
}

/** Strings longer than `max` characters: just over, and far over (up to 300 000). */
export function tooLong(max: number): fc.Arbitrary<string> {
  return fc.oneof(longString(max + 1, max + 10), longString(max + 11, Math.max(max * 4, 300_000)));
}

/** A string `text` is not: any string, with a bias towards near misses (case, padding, empty). */
export function stringOtherThan(allowed: readonly string[]): fc.Arbitrary<string> {
  const nearMisses = allowed.flatMap((value) => [
    value.toUpperCase(),
    value.toLowerCase(),
    ` ${value}`,
    `${value}x`,
  ]);
  return fc
    .oneof(fc.constantFrom('', ' ', ...nearMisses), fc.string({ maxLength: 20 }), oddString)
    .filter((text) => !allowed.includes(text));
}

/** Number literals JSON allows but no double holds (Infinity, unsafe integers) or that are edge cases. */
export const exoticNumber = fc.constantFrom(
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('9007199254740993'),
  new RawJson('-9007199254740993'),
  new RawJson('123456789012345678901234567890'),
  new RawJson('1e300'),
);

/** Numbers outside [min, max], or (for an integer field) inside it but not integers. */
export function numberOutside(min: number, max: number, integer = false): fc.Arbitrary<unknown> {
  const choices: fc.Arbitrary<unknown>[] = [
    fc.double({ max: min, noNaN: true, noDefaultInfinity: true }).filter((value) => value < min),
    fc.double({ min: max, noNaN: true, noDefaultInfinity: true }).filter((value) => value > max),
    exoticNumber,
  ];
  if (integer) {
    choices.push(fc.double({ min, max, noNaN: true }).filter((value) => !Number.isInteger(value)));
  }
  return fc.oneof(...choices);
}

// ---------------------------------------------------------------------------------------------------
// JSON values by type

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

const smallJson = fc.jsonValue({ maxDepth: 2 });

const VALUES_BY_TYPE: Record<JsonType, fc.Arbitrary<unknown>> = {
  string: fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('', '5', '0.5', 'true', 'null', '{}', '[]'),
    oddString,
    longString(10_000, 300_000),
  ),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), exoticNumber),
  boolean: fc.boolean(),
  null: fc.constant(null),
  object: fc.oneof(
    fc.dictionary(fc.string({ maxLength: 10 }), smallJson, { maxKeys: 4 }),
    fc.constant(new JsonEntries([['__proto__', { polluted: true }]])),
    fc.constant(new JsonEntries([['constructor', { prototype: { polluted: true } }]])),
    excessiveDepth.map((depth) => nestedJson(depth, 'object')),
  ),
  array: fc.oneof(
    fc.array(smallJson, { maxLength: 5 }),
    excessiveDepth.map((depth) => nestedJson(depth, 'array')),
    fc
      .integer({ min: 1_000, max: 20_000 })
      .map((length) => new RawJson(`[${Array(length).fill('0').join(',')}]`)),
  ),
};

/** A JSON value of none of the `allowed` types. */
export function valueOfAnotherType(allowed: readonly JsonType[]): fc.Arbitrary<unknown> {
  const others = (Object.keys(VALUES_BY_TYPE) as JsonType[]).filter((type) => !allowed.includes(type));
  return fc.oneof(...others.map((type) => VALUES_BY_TYPE[type]));
}

/** Keys that pollute prototypes when code assigns them naively, and keys no schema of the API knows. */
export const unknownKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    ' ',
    'a.b',
    '$or',
  ),
  fc.string({ minLength: 1, maxLength: 12 }).map((key) => `x-${key}`),
  oddString.map((key) => `x${key}`),
);

// ---------------------------------------------------------------------------------------------------
// Editing a valid-shaped body at a dotted path ('manifest.capabilities.0.name')

const DELETE = Symbol('delete');

function setAt(value: unknown, path: readonly string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value) && /^\d+$/.test(head)) {
    const copy = [...value];
    const next = setAt(copy[Number(head)], rest, replacement);
    if (next === DELETE) copy.splice(Number(head), 1);
    else copy[Number(head)] = next;
    return copy;
  }
  const object =
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawJson)
      ? (value as Record<string, unknown>)
      : {};
  const next = setAt(object[head], rest, replacement);
  const entries = Object.entries(object).filter(([key]) => key !== head);
  return Object.fromEntries(next === DELETE ? entries : [...entries, [head, next]]);
}

function withField(body: unknown, path: string, replacement: unknown): unknown {
  return setAt(body, path === '' ? [] : path.split('.'), replacement);
}

function withoutField(body: unknown, path: string): unknown {
  return setAt(body, path.split('.'), DELETE);
}

/** The object at `path` with one more member, written last (so it also overrides a member of that name). */
function withMember(body: unknown, path: string, key: string, member: unknown): unknown {
  const segments = path === '' ? [] : path.split('.');
  let target: unknown = body;
  for (const segment of segments) target = (target as Record<string, unknown> | undefined)?.[segment];
  const entries = typeof target === 'object' && target !== null ? Object.entries(target) : [];
  return setAt(body, segments, new JsonEntries([...entries, [key, member]]));
}

// ---------------------------------------------------------------------------------------------------
// Bodies

/** What a request carries as its body: the text, and whether API Gateway flagged it as base64. */
export interface BodyVariant {
  text: string | undefined;
  isBase64Encoded: boolean;
}

export interface BodySpec {
  /** Bodies of the route's shape, values drawn across what the route accepts (unicode, edge values). */
  valid: fc.Arbitrary<Record<string, unknown>>;
  /** Dotted paths every `valid` body has and the route requires. */
  required: readonly string[];
  /** Dotted paths and the JSON types the route accepts there: any other type is refused. */
  typed: Readonly<Record<string, readonly JsonType[]>>;
  /** Paths of the objects that refuse unknown members ('' is the body itself). */
  strict: readonly string[];
  /** Values of the right type each path must still refuse: out of range, bad pattern, too long, too deep. */
  refused: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /**
   * Values past what can be stored or walked — too large for a DynamoDB item, nested too deep for it or for
   * the stack, numbers it cannot return exactly — that each path must refuse. The bugs hide here, and
   * among many refused paths they would be rare: they are drawn as often as all `refused` values together.
   */
  bounds?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** No body at all is valid (an approval needs none). */
  optional?: boolean;
}

const NOT_JSON_TEXTS = [
  'not json',
  '{',
  '}',
  '{"a":',
  "{'a': 1}",
  '{a: 1}',
  '{"a": 1,}',
  '[1, 2',
  'undefined',
  'NaN',
  'Infinity',
  '{"a": 01}',
  '"unterminated',
  '\ufeff{}',
  '{}{}',
  '{"a": 1} trailing',
  '<request/>',
  'a=1&b=2',
  '\u0000',
  ' ',
  '{"a": "\u0001"}',
];

const notJsonText = fc.oneof(
  fc.constantFrom(...NOT_JSON_TEXTS),
  fc.string({ minLength: 1, maxLength: 50 }).filter((text) => !parsesAsJson(text)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 50 }).filter((text) => !parsesAsJson(text)),
);

const wrongTypeJsonText = fc
  .oneof(
    VALUES_BY_TYPE.array,
    VALUES_BY_TYPE.number,
    VALUES_BY_TYPE.string,
    VALUES_BY_TYPE.boolean,
    VALUES_BY_TYPE.null,
  )
  .map(jsonText);

/** base64 whose bytes are no JSON object once decoded: bytes that are not UTF-8 text, or no base64 at all. */
const garbageBase64 = fc
  .oneof(
    fc
      .uint8Array({ maxLength: 64 })
      .map((bytes) => Buffer.concat([Buffer.from([0xff]), bytes]).toString('base64')),
    fc.stringMatching(/^[!*%$()~,;]{1,40}$/),
  )
  .filter((text) => isNoJsonObject(Buffer.from(text, 'base64').toString('utf8')));

function plain(text: string | undefined): BodyVariant {
  return { text, isBase64Encoded: false };
}

/** The text as sent, or base64-encoded with the flag set (API Gateway's binary bodies): the same body. */
function transported(text: string): fc.Arbitrary<BodyVariant> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(plain(text)) },
    {
      weight: 1,
      arbitrary: fc.constant({ text: Buffer.from(text, 'utf8').toString('base64'), isBase64Encoded: true }),
    },
  );
}

/** Valid-shaped bodies with one defect each, weighted towards the values the route must refuse. */
function mutations(spec: BodySpec): fc.WeightedArbitrary<unknown>[] {
  const mutated: fc.WeightedArbitrary<unknown>[] = [];
  const typedPaths = Object.keys(spec.typed);
  if (spec.required.length > 0) {
    const missing = fc.tuple(spec.valid, fc.constantFrom(...spec.required));
    mutated.push({ weight: 1, arbitrary: missing.map(([body, path]) => withoutField(body, path)) });
  }
  if (spec.strict.length > 0) {
    const extra = fc.tuple(spec.valid, fc.constantFrom(...spec.strict), unknownKey, smallJson);
    mutated.push({
      weight: 1,
      arbitrary: extra.map(([body, path, key, member]) => withMember(body, path, key, member)),
    });
  }
  if (typedPaths.length > 0) {
    const wrongTyped = fc
      .constantFrom(...typedPaths)
      .chain((path) => fc.tuple(fc.constant(path), valueOfAnotherType(spec.typed[path]!)));
    mutated.push({
      weight: 2,
      arbitrary: fc
        .tuple(spec.valid, wrongTyped)
        .map(([body, [path, value]]) => withField(body, path, value)),
    });
    // The same member twice: JSON.parse keeps the last, which is of the wrong type.
    const topLevel = typedPaths.filter((path) => !path.includes('.'));
    if (topLevel.length > 0) {
      const repeated = fc
        .constantFrom(...topLevel)
        .chain((key) => fc.tuple(fc.constant(key), valueOfAnotherType(spec.typed[key]!)));
      mutated.push({
        weight: 1,
        arbitrary: fc
          .tuple(spec.valid, repeated)
          .map(([body, [key, value]]) => withMember(body, '', key, value)),
      });
    }
  }
  for (const values of [spec.refused, spec.bounds ?? {}]) {
    const paths = Object.keys(values);
    if (paths.length === 0) continue;
    const refused = fc.constantFrom(...paths).chain((path) => fc.tuple(fc.constant(path), values[path]!));
    mutated.push({
      weight: 5,
      arbitrary: fc.tuple(spec.valid, refused).map(([body, [path, value]]) => withField(body, path, value)),
    });
  }
  return mutated;
}

/** Bodies the route must refuse, every kind of defect, most of them valid-shaped bodies with one defect. */
export function badBodies(spec: BodySpec): fc.Arbitrary<BodyVariant> {
  const truncated = spec.valid
    .map(jsonText)
    .chain((text) =>
      fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((end) => text.slice(0, end)),
    )
    .filter(isNoJsonObject);
  const texts: fc.WeightedArbitrary<string>[] = [
    { weight: 1, arbitrary: notJsonText },
    { weight: 1, arbitrary: truncated },
    { weight: 1, arbitrary: wrongTypeJsonText },
    ...mutations(spec).map(({ weight, arbitrary }) => ({ weight, arbitrary: arbitrary.map(jsonText) })),
  ];
  const variants: fc.WeightedArbitrary<BodyVariant>[] = [
    { weight: 8, arbitrary: fc.oneof(...texts).chain(transported) },
    // base64 garbage flagged as base64, and a valid body base64-encoded but not flagged as such
    { weight: 1, arbitrary: garbageBase64.map((text) => ({ text, isBase64Encoded: true })) },
    {
      weight: 1,
      arbitrary: spec.valid.map((body) => plain(Buffer.from(jsonText(body), 'utf8').toString('base64'))),
    },
  ];
  if (!spec.optional) variants.push({ weight: 1, arbitrary: fc.constantFrom(plain(undefined), plain('')) });
  return fc.oneof(...variants);
}

/** Bodies the route accepts. */
export function validBodies(spec: BodySpec): fc.Arbitrary<BodyVariant> {
  const sent = spec.valid.map(jsonText).chain(transported);
  return spec.optional ? fc.oneof(sent, fc.constantFrom(plain(undefined), plain(''))) : sent;
}

/** What a route that reads no body may be sent: nothing, JSON, garbage. */
export const ignoredBody: fc.Arbitrary<BodyVariant> = fc.oneof(
  fc.constant(plain(undefined)),
  fc.oneof(notJsonText, wrongTypeJsonText, smallJson.map(jsonText)).map(plain),
  garbageBase64.map((text) => ({ text, isBase64Encoded: true })),
);

// ---------------------------------------------------------------------------------------------------
// Path parameters

/**
 * Path parameter values that are never a record of the fuzz tenants: empty, too long, with slashes,
 * unicode, percent-encodings, traversal and whitespace, case flips of `validLooking` — and `validLooking`
 * itself, an id of the right form for which no record exists (404).
 */
export function absentIds(validLooking: fc.Arbitrary<string>, maxLength = 128): fc.Arbitrary<string> {
  return fc.oneof(
    validLooking,
    validLooking.map((id) => id.toUpperCase()),
    fc.constantFrom(
      '',
      ' ',
      '/',
      '//',
      '..',
      '../..',
      '.',
      '%',
      '%2F',
      '%00',
      '%25',
      'a%20b',
      'null',
      'undefined',
    ),
    fc
      .tuple(
        validLooking,
        fc.constantFrom('/', '/../', '%2F', '%2e%2e', '?x=1', '#frag', ' ', '\n', '\u0000'),
      )
      .map(([id, suffix]) => `${id}${suffix}`),
    fc.tuple(validLooking, oddString).map(([id, odd]) => `${id.slice(0, 8)}${odd}`),
    oddString,
    tooLong(maxLength),
  );
}

// ---------------------------------------------------------------------------------------------------
// Query strings

export type Query = Record<string, string>;

export interface QuerySpec {
  /** Query strings the route accepts. */
  valid: fc.Arbitrary<Query>;
  /** Per parameter, values the route must refuse. */
  refused: Readonly<Record<string, fc.Arbitrary<string>>>;
  /** Whole query strings the route must refuse for how their parameters combine. */
  combinations?: fc.Arbitrary<Query>;
  /** The parameters the route knows: any other is refused. */
  known: readonly string[];
}

/** A `limit` that z.coerce.number().int().min(1).max(100) refuses (the coercion is Number(text)). */
export const badLimit = fc
  .oneof(
    fc.constantFrom(
      '0',
      '-1',
      '101',
      '1.5',
      'abc',
      '',
      ' ',
      'NaN',
      'Infinity',
      '1e3',
      '-0',
      '99999999999999999999',
    ),
    fc.integer().map(String),
    fc.double({ noNaN: true }).map(String),
    fc.string({ maxLength: 8 }),
    longString(3_000, 10_000),
  )
  .filter((text) => {
    const value = Number(text);
    return !(Number.isInteger(value) && value >= 1 && value <= 100);
  });

export const validLimit = fc.integer({ min: 1, max: 100 }).map(String);

function base64url(value: unknown): string {
  return Buffer.from(jsonText(value), 'utf8').toString('base64url');
}

/**
 * `nextToken`s this API never issued for the caller (page-token.ts): too short or long, not base64url JSON,
 * JSON of another shape, a key of another scope (tenant, status), a key attribute missing, not a string,
 * empty, or longer than DynamoDB allows a key. `scope` holds the caller's values of the scope attributes.
 */
export function forgedPageTokens(keyAttributes: readonly string[], scope: Readonly<Record<string, string>>) {
  const free = keyAttributes.filter((attribute) => !(attribute in scope));
  const wellFormed = fc.record(
    Object.fromEntries(free.map((attribute) => [attribute, fc.string({ minLength: 1, maxLength: 20 })])),
  );
  const keyWith = (overrides: fc.Arbitrary<Record<string, unknown>>) =>
    fc.tuple(wellFormed, overrides).map(([key, override]) => ({ ...scope, ...key, ...override }));
  const attribute = fc.constantFrom(...keyAttributes);
  const freeAttribute = fc.constantFrom(...(free.length > 0 ? free : keyAttributes));
  return fc.oneof(
    fc.constantFrom('', 'null', 'e30', 'W10', 'bnVsbA', '%%%', 'eyJ0ZW5hbnRJZCI6'),
    fc.string({ minLength: 1, maxLength: 40 }),
    tooLong(2048),
    fc
      .oneof(fc.jsonValue({ maxDepth: 1 }), fc.array(fc.string()))
      .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value))
      .map(base64url),
    // another tenant's (or status's) key
    keyWith(fc.constant({})).chain((key) =>
      fc
        .tuple(fc.constantFrom(...Object.keys(scope)), fc.string({ maxLength: 20 }))
        .filter(([name, other]) => other !== scope[name])
        .map(([name, other]) => base64url({ ...key, [name]: other })),
    ),
    // a key attribute missing, or not a string
    fc.tuple(keyWith(fc.constant({})), attribute).map(([key, name]) => {
      const { [name]: _, ...rest } = key;
      return base64url(rest);
    }),
    fc
      .tuple(
        keyWith(fc.constant({})),
        attribute,
        fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })),
      )
      .map(([key, name, value]) => base64url({ ...key, [name]: value })),
    // the caller's scope, but a key DynamoDB cannot take: empty, or over its 1 024-byte sort key limit
    {
      weight: 3,
      arbitrary: fc
        .tuple(keyWith(fc.constant({})), freeAttribute)
        .map(([key, name]) => base64url({ ...key, [name]: '' })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(keyWith(fc.constant({})), freeAttribute, fc.integer({ min: 1_100, max: 1_400 }))
        .map(([key, name, length]) => base64url({ ...key, [name]: 'k'.repeat(length) })),
    },
  );
}

/** Parameters the route does not know, with any value. */
function unknownParameters(known: readonly string[]): fc.Arbitrary<Query> {
  const name = fc
    .oneof(
      fc.constantFrom(
        'foo',
        'Limit',
        'LIMIT',
        'next_token',
        'nexttoken',
        'page',
        'offset',
        '__proto__',
        'constructor',
        '',
      ),
      fc.string({ minLength: 1, maxLength: 12 }),
      oddString,
    )
    .filter((candidate) => !known.includes(candidate));
  return fc.dictionary(name, fc.oneof(fc.string({ maxLength: 12 }), oddString), { minKeys: 1, maxKeys: 3 });
}

/** Query strings the route must refuse: a refused value for one or more parameters, or an unknown one. */
export function badQueries(spec: QuerySpec): fc.Arbitrary<Query> {
  const refusedNames = Object.keys(spec.refused);
  const choices: fc.Arbitrary<Query>[] = [
    fc.tuple(spec.valid, unknownParameters(spec.known)).map(([query, extra]) => ({ ...query, ...extra })),
  ];
  if (refusedNames.length > 0) {
    const refusedValues = fc
      .uniqueArray(fc.constantFrom(...refusedNames), {
        minLength: 1,
        maxLength: Math.min(3, refusedNames.length),
      })
      .chain((names) =>
        fc.tuple(...names.map((name) => spec.refused[name]!.map((value) => [name, value] as const))),
      );
    choices.push(
      fc
        .tuple(spec.valid, refusedValues)
        .map(([query, values]) => ({ ...query, ...Object.fromEntries(values) })),
    );
  }
  if (spec.combinations) choices.push(spec.combinations);
  return fc.oneof(...choices);
}

/** What a route that reads no query string may be sent. */
export const ignoredQuery: fc.Arbitrary<Query | undefined> = fc.option(unknownParameters([]), {
  nil: undefined,
});

// ---------------------------------------------------------------------------------------------------
// Headers

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  '',
  '*/*',
  'application/json, text/plain',
];

/** Content types and other headers the routes must not depend on. */
export const requestHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'content-type': fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 20 })),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity'),
    accept: fc.constantFrom('text/html', 'application/xml', '*/*'),
    'x-forwarded-for': fc.constantFrom('127.0.0.1', '::1', 'garbage'),
  },
  { requiredKeys: [] },
);

// ---------------------------------------------------------------------------------------------------
// Requests

/** One malformed request, in the terms of httpApiEvent's options (test/support/http-api-event.ts). */
export interface MalformedRequest {
  body: BodyVariant;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Query;
  headers: Record<string, string>;
}

/** A part of a request: values the route refuses and, when it has any, values it accepts. */
export interface RequestPart<T> {
  bad: fc.Arbitrary<T>;
  valid?: fc.Arbitrary<T>;
}

/** A path parameter of the route, by name; `undefined` is a request without it. */
export type PathPart = RequestPart<string | undefined> & { name: string };

export interface RequestParts {
  body?: RequestPart<BodyVariant>;
  /** The route's path parameter, or its path parameters in the order the route reads them. */
  path?: PathPart | readonly PathPart[];
  query?: RequestPart<Query | undefined>;
}

type PartName = keyof RequestParts;

function drawn<T>(part: RequestPart<T>, forced: boolean): fc.Arbitrary<T> {
  return forced || part.valid === undefined ? part.bad : fc.oneof(part.valid, part.bad);
}

/** The path parameters: with `forced`, one of them (any) is bad, the others good or bad. */
function drawnPath(
  parts: readonly PathPart[],
  forced: boolean,
): fc.Arbitrary<Record<string, string> | undefined> {
  const forcedIndex = forced ? fc.nat({ max: parts.length - 1 }) : fc.constant(-1);
  return forcedIndex.chain((index) =>
    fc.tuple(...parts.map((part, at) => drawn(part, at === index))).map((values) => {
      const entries = parts
        .map(({ name }, at) => [name, values[at]] as const)
        .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
      return entries.length === 0 ? undefined : Object.fromEntries(entries);
    }),
  );
}

/** Requests with at least one bad part: one part is forced bad, the others are good or bad. */
export function malformedRequests(parts: RequestParts): fc.Arbitrary<MalformedRequest> {
  const names = (Object.keys(parts) as PartName[]).filter((name) => parts[name] !== undefined);
  if (names.length === 0) throw new Error('a route needs at least one part that can be bad');
  const pathParts = parts.path === undefined ? [] : [parts.path].flat();
  return fc.constantFrom(...names).chain((forced) =>
    fc
      .record({
        body: parts.body ? drawn(parts.body, forced === 'body') : ignoredBody,
        path: pathParts.length > 0 ? drawnPath(pathParts, forced === 'path') : fc.constant(undefined),
        query: parts.query ? drawn(parts.query, forced === 'query') : ignoredQuery,
        headers: requestHeaders,
      })
      .map(({ body, path, query, headers }) => ({
        body,
        ...(path === undefined ? {} : { pathParameters: path }),
        ...(query === undefined ? {} : { queryStringParameters: query }),
        headers,
      })),
  );
}
