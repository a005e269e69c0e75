// The EventBridge pattern language, case by case, from the AWS documentation's examples
// ("Creating event patterns", "Content filtering", "Arrays", "Null values and empty strings",
// "Comparison operators"), each operator with a matching and a non-matching event.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  matchesPattern,
  validatePattern,
} from '../../../functions/core/event-pattern/event-pattern.ts';

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

function detailMatches(detailPattern: object, detail: object): boolean {
  return matchesPattern({ detail: detailPattern }, { ...ec2Event, detail });
}

describe('exact matching', () => {
  it('matches the documented EC2 termination pattern on source, detail-type and a detail field', () => {
    const pattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
    expect(matchesPattern(pattern, { ...ec2Event, detail: { state: 'running' } })).toBe(false);
  });

  it('treats the values of one array as alternatives and separate fields as all required', () => {
    expect(detailMatches({ state: ['running', 'terminated'] }, { state: 'terminated' })).toBe(true);
    expect(detailMatches({ state: ['running', 'pending'] }, { state: 'terminated' })).toBe(false);
    expect(matchesPattern({ source: ['aws.ec2'], region: ['eu-west-1'] }, ec2Event)).toBe(false);
  });

  it('fails a field the event does not have', () => {
    expect(detailMatches({ missing: ['x'] }, { state: 'terminated' })).toBe(false);
    expect(matchesPattern({ detail: { nested: { deeper: ['x'] } } }, ec2Event)).toBe(false);
  });

  it('compares numbers by value and never a number with its string form', () => {
    expect(detailMatches({ count: [300] }, { count: 3.0e2 })).toBe(true);
    expect(detailMatches({ count: [300] }, { count: '300' })).toBe(false);
    expect(detailMatches({ count: ['300'] }, { count: 300 })).toBe(false);
  });

  it('matches booleans exactly', () => {
    expect(detailMatches({ enabled: [true] }, { enabled: true })).toBe(true);
    expect(detailMatches({ enabled: [true] }, { enabled: false })).toBe(false);
    expect(detailMatches({ enabled: [true] }, { enabled: 'true' })).toBe(false);
  });

  it('matches nested objects field by field', () => {
    const pattern = {
      detail: { bucket: { name: ['my-bucket'] }, object: { key: [{ prefix: 'uploads/' }] } },
    };
    const event = { detail: { bucket: { name: 'my-bucket' }, object: { key: 'uploads/a.png', size: 3 } } };
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(
      matchesPattern(pattern, { detail: { bucket: { name: 'other' }, object: { key: 'uploads/a.png' } } }),
    ).toBe(false);
  });

  it('does not let a leaf pattern match an object value', () => {
    expect(detailMatches({ state: ['terminated'] }, { state: { name: 'terminated' } })).toBe(false);
  });
});

describe('null values and empty strings', () => {
  const event = { ...ec2Event, detail: { eventVersion: '', responseElements: null } };

  it('matches an empty string with [""] and a null with [null]', () => {
    expect(matchesPattern({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { responseElements: [null] } }, event)).toBe(true);
  });

  it('does not treat null and the empty string as interchangeable', () => {
    expect(matchesPattern({ detail: { eventVersion: [null] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { responseElements: [''] } }, event)).toBe(false);
  });

  it('does not match a missing field with null', () => {
    expect(matchesPattern({ detail: { absent: [null] } }, event)).toBe(false);
  });
});

describe('arrays', () => {
  const event = {
    ...ec2Event,
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('matches when the pattern and the event array intersect', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:000000000000:instance/i-b188560f',
      ],
    };
    expect(matchesPattern(pattern, event)).toBe(true);
  });

  it('does not match when no element of the event array is in the pattern', () => {
    expect(matchesPattern({ resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-x'] }, event)).toBe(
      false,
    );
  });

  it('applies operators to each element', () => {
    expect(matchesPattern({ resources: [{ suffix: '444455556666:instance/i-b188560f' }] }, event)).toBe(true);
    expect(detailMatches({ sizes: [{ numeric: ['>', 10] }] }, { sizes: [1, 2, 30] })).toBe(true);
    expect(detailMatches({ sizes: [{ numeric: ['>', 100] }] }, { sizes: [1, 2, 30] })).toBe(false);
  });

  it('matches a nested pattern against the elements of an array of objects, one element at a time', () => {
    const detail = {
      items: [
        { type: 'book', price: 10 },
        { type: 'pen', price: 2 },
      ],
    };
    expect(detailMatches({ items: { type: ['pen'], price: [{ numeric: ['<', 5] }] } }, detail)).toBe(true);
    expect(detailMatches({ items: { type: ['book'], price: [{ numeric: ['<', 5] }] } }, detail)).toBe(false);
  });

  it('never matches an empty array with a value', () => {
    expect(detailMatches({ tags: ['a'] }, { tags: [] })).toBe(false);
    expect(detailMatches({ tags: [{ 'anything-but': 'a' }] }, { tags: [] })).toBe(false);
  });
});

describe('prefix and suffix', () => {
  it('matches the documented time prefix', () => {
    expect(matchesPattern({ time: [{ prefix: '2017-12-22' }] }, ec2Event)).toBe(true);
    expect(matchesPattern({ time: [{ prefix: '2017-10-02' }] }, ec2Event)).toBe(false);
  });

  it('matches a suffix such as a file extension', () => {
    expect(detailMatches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' })).toBe(true);
    expect(detailMatches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' })).toBe(false);
  });

  it('ignores case with the equals-ignore-case forms', () => {
    const prefix = { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] };
    expect(detailMatches(prefix, { service: 'EventBridge' })).toBe(true);
    expect(detailMatches(prefix, { service: 'Lambda' })).toBe(false);
    const suffix = { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] };
    expect(detailMatches(suffix, { service: 'EVENTBRIDGE' })).toBe(true);
    expect(detailMatches(suffix, { service: 'EventBus' })).toBe(false);
  });

  it('only matches strings', () => {
    expect(detailMatches({ code: [{ prefix: '12' }] }, { code: 123 })).toBe(false);
  });
});

describe('equals-ignore-case', () => {
  it('matches any casing of the value and nothing else', () => {
    expect(detailMatches({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' })).toBe(true);
    expect(detailMatches({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'alicia' })).toBe(false);
  });
});

describe('anything-but', () => {
  it('matches any value but a string', () => {
    const pattern = { state: [{ 'anything-but': 'initializing' }] };
    expect(detailMatches(pattern, { state: 'running' })).toBe(true);
    expect(detailMatches(pattern, { state: 'initializing' })).toBe(false);
  });

  it('matches any value but the strings of a list', () => {
    const pattern = { state: [{ 'anything-but': ['stopped', 'overloaded'] }] };
    expect(detailMatches(pattern, { state: 'running' })).toBe(true);
    expect(detailMatches(pattern, { state: 'overloaded' })).toBe(false);
  });

  it('matches any number but the listed numbers, and never a non-number', () => {
    const pattern = { 'x-limit': [{ 'anything-but': [100, 200, 300] }] };
    expect(detailMatches(pattern, { 'x-limit': 150 })).toBe(true);
    expect(detailMatches(pattern, { 'x-limit': 200 })).toBe(false);
    expect(detailMatches(pattern, { 'x-limit': 'unlimited' })).toBe(false);
    expect(detailMatches({ 'x-limit': [{ 'anything-but': 123 }] }, { 'x-limit': 124 })).toBe(true);
  });

  it('does not match a missing field', () => {
    expect(detailMatches({ state: [{ 'anything-but': 'initializing' }] }, {})).toBe(false);
  });

  it('excludes a prefix', () => {
    const pattern = { state: [{ 'anything-but': { prefix: 'init' } }] };
    expect(detailMatches(pattern, { state: 'running' })).toBe(true);
    expect(detailMatches(pattern, { state: 'initializing' })).toBe(false);
  });

  it('excludes a suffix', () => {
    const pattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(detailMatches(pattern, { FileName: 'notes.txt' })).toBe(true);
    expect(detailMatches(pattern, { FileName: 'photo.png' })).toBe(false);
  });

  it('excludes any casing of a value or list of values', () => {
    const pattern = { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] };
    expect(detailMatches(pattern, { state: 'running' })).toBe(true);
    expect(detailMatches(pattern, { state: 'INITIALIZING' })).toBe(false);
    expect(
      detailMatches({ state: [{ 'anything-but': { 'equals-ignore-case': 'x' } }] }, { state: 'X' }),
    ).toBe(false);
  });

  it('excludes a wildcard', () => {
    const pattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(detailMatches(pattern, { FilePath: 'dir/src/a.ts' })).toBe(true);
    expect(detailMatches(pattern, { FilePath: 'dir/lib/a.ts' })).toBe(false);
  });

  it('is the negation of the exact list for any string present in the event', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), fc.string(), (excluded, value) => {
        const exact = detailMatches({ field: excluded }, { field: value });
        const anythingBut = detailMatches({ field: [{ 'anything-but': excluded }] }, { field: value });
        expect(anythingBut).toBe(!exact);
      }),
    );
  });
});

describe('numeric', () => {
  const pattern = {
    'c-count': [{ numeric: ['>', 0, '<=', 5] }],
    'd-count': [{ numeric: ['<', 10] }],
    'x-limit': [{ numeric: ['=', 3.018e2] }],
  };

  it('matches the documented ranges when every field is in range', () => {
    expect(detailMatches(pattern, { 'c-count': 5, 'd-count': 9.99, 'x-limit': 301.8 })).toBe(true);
  });

  it('respects open and closed bounds', () => {
    expect(detailMatches(pattern, { 'c-count': 0, 'd-count': 1, 'x-limit': 301.8 })).toBe(false);
    expect(detailMatches(pattern, { 'c-count': 1, 'd-count': 10, 'x-limit': 301.8 })).toBe(false);
    expect(detailMatches({ n: [{ numeric: ['>=', 0, '<', 1] }] }, { n: 0 })).toBe(true);
    expect(detailMatches({ n: [{ numeric: ['>=', 0, '<', 1] }] }, { n: 1 })).toBe(false);
  });

  it('only matches JSON numbers, never numeric strings', () => {
    expect(detailMatches({ n: [{ numeric: ['>', 0] }] }, { n: '5' })).toBe(false);
    expect(detailMatches({ n: [{ numeric: ['>', 0] }] }, { n: 5 })).toBe(true);
  });
});

describe('exists', () => {
  it('exists: true matches a present leaf, including null, and not a missing one', () => {
    expect(detailMatches({ state: [{ exists: true }] }, { state: 'x' })).toBe(true);
    expect(detailMatches({ state: [{ exists: true }] }, { state: null })).toBe(true);
    expect(detailMatches({ state: [{ exists: true }] }, {})).toBe(false);
  });

  it('exists: false matches a missing field and not a present one', () => {
    expect(detailMatches({ 'c-count': [{ exists: false }] }, { state: ['initializing', 'running'] })).toBe(
      true,
    );
    expect(detailMatches({ 'c-count': [{ exists: false }] }, { 'c-count': 3 })).toBe(false);
  });

  it('only looks at leaves: an object-valued field does not exist for the operator', () => {
    const detail = { state: ['initializing', 'running'], 'c-count': { c1: 100 } };
    expect(detailMatches({ 'c-count': [{ exists: false }] }, detail)).toBe(true);
    expect(detailMatches({ 'c-count': [{ exists: true }] }, detail)).toBe(false);
  });

  it('exists: false also matches when the parent object is missing', () => {
    expect(matchesPattern({ detail: { nested: { field: [{ exists: false }] } } }, ec2Event)).toBe(true);
  });
});

describe('wildcard', () => {
  it('matches * against any run of characters', () => {
    const pattern = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    expect(
      detailMatches(pattern, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/main' }),
    ).toBe(true);
    expect(
      detailMatches(pattern, { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/main' }),
    ).toBe(false);
  });

  it('lets * match the empty string and anchors both ends', () => {
    expect(detailMatches({ f: [{ wildcard: 'dir/*.png' }] }, { f: 'dir/.png' })).toBe(true);
    expect(detailMatches({ f: [{ wildcard: 'dir/*.png' }] }, { f: 'dir/a.png.bak' })).toBe(false);
    expect(detailMatches({ f: [{ wildcard: 'a*b*c' }] }, { f: 'abc' })).toBe(true);
    expect(detailMatches({ f: [{ wildcard: 'a*bc*c' }] }, { f: 'abc' })).toBe(false);
  });

  it('treats an escaped star as a literal star', () => {
    expect(detailMatches({ f: [{ wildcard: 'price\\*2' }] }, { f: 'price*2' })).toBe(true);
    expect(detailMatches({ f: [{ wildcard: 'price\\*2' }] }, { f: 'price-x-2' })).toBe(false);
  });
});

describe('cidr', () => {
  it('matches IPv4 addresses inside the block', () => {
    const pattern = { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] };
    expect(detailMatches(pattern, { sourceIPAddress: '10.0.0.255' })).toBe(true);
    expect(detailMatches(pattern, { sourceIPAddress: '10.0.1.0' })).toBe(false);
    expect(detailMatches(pattern, { sourceIPAddress: 'not-an-ip' })).toBe(false);
  });

  it('matches IPv6 addresses inside the block, whatever their textual form', () => {
    const pattern = { sourceIPAddress: [{ cidr: '2001:db8::/32' }] };
    expect(detailMatches(pattern, { sourceIPAddress: '2001:0db8:0000:0000:0000:ff00:0042:8329' })).toBe(true);
    expect(detailMatches(pattern, { sourceIPAddress: '2001:db9::1' })).toBe(false);
    expect(detailMatches({ ip: [{ cidr: '::ffff:10.0.0.0/120' }] }, { ip: '::ffff:10.0.0.7' })).toBe(true);
  });

  it('never mixes IPv4 and IPv6', () => {
    expect(detailMatches({ ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '::1' })).toBe(false);
    expect(detailMatches({ ip: [{ cidr: '::/0' }] }, { ip: '10.0.0.1' })).toBe(false);
  });
});

describe('$or', () => {
  it('matches when any alternative matches, at the top level', () => {
    const pattern = {
      source: ['aws.ec2'],
      $or: [{ region: ['eu-west-1'] }, { 'detail-type': [{ prefix: 'EC2' }] }],
    };
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
    expect(matchesPattern(pattern, { ...ec2Event, 'detail-type': 'Other' })).toBe(false);
  });

  it('matches the documented nested $or of numeric conditions', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    expect(matchesPattern(pattern, { detail: { 'x-limit': 301.8 } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { 'c-count': 7, 'd-count': 12 } })).toBe(false);
  });

  it('combines with sibling fields as AND', () => {
    const pattern = { detail: { state: ['terminated'], $or: [{ a: ['1'] }, { b: ['2'] }] } };
    expect(matchesPattern(pattern, { detail: { state: 'terminated', b: '2' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { state: 'running', b: '2' } })).toBe(false);
  });
});

describe('compiled patterns', () => {
  it('compile once and match many events, accepting JSON text for both', () => {
    const compiled = compilePattern('{"detail":{"state":["terminated"]}}');
    expect(compiled.matches(JSON.stringify(ec2Event))).toBe(true);
    expect(compiled.matches({ detail: { state: 'running' } })).toBe(false);
  });
});

describe('validatePattern', () => {
  const reasons: [string, unknown, string][] = [
    ['a pattern that is not an object', '["source"]', 'Filter is not an object'],
    ['invalid JSON', '{"source": [', 'Pattern is not valid JSON'],
    ['a leaf value that is not in an array', { source: 'aws.ec2' }, '"source" must be an object or an array'],
    ['an empty array', { source: [] }, 'Empty arrays are not allowed'],
    ['an empty object', { detail: {} }, 'Empty objects are not allowed'],
    [
      'a nested array as match value',
      { source: [['a']] },
      'Match value must be String, number, true, false, or null',
    ],
    ['an unknown operator', { source: [{ contains: 'x' }] }, 'Unrecognized match type contains'],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, 'Only one key allowed'],
    ['a non-string prefix', { source: [{ prefix: 5 }] }, 'prefix match pattern must be a string'],
    ['numeric that is not an array', { n: [{ numeric: 5 }] }, 'Value of numeric must be an array.'],
    [
      'an unknown numeric operator',
      { n: [{ numeric: ['!=', 5] }] },
      'Unrecognized numeric range operator: !=',
    ],
    ['a non-number numeric operand', { n: [{ numeric: ['>', '5'] }] }, 'Value of > must be numeric'],
    ['an upper bound first in a range', { n: [{ numeric: ['<', 5, '>', 1] }] }, 'Too many elements'],
    ['an inverted range', { n: [{ numeric: ['>', 5, '<', 1] }] }, 'Bottom must be less than top'],
    [
      'a numeric value out of range',
      { n: [{ numeric: ['>', 6e9] }] },
      'Value must be between -5.0E9 and 5.0E9',
    ],
    [
      'exists that is not a boolean',
      { n: [{ exists: 'yes' }] },
      'exists match pattern must be either true or false.',
    ],
    ['a malformed CIDR', { ip: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
    ['a CIDR with a bad address', { ip: [{ cidr: '10.0.0.300/24' }] }, 'Nonstandard IP address'],
    [
      'a CIDR with too many mask bits',
      { ip: [{ cidr: '10.0.0.0/33' }] },
      'mask bits must be between 0 and 32',
    ],
    ['consecutive wildcards', { f: [{ wildcard: 'a**b' }] }, 'Consecutive wildcard characters at pos 1'],
    ['an invalid wildcard escape', { f: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 1'],
    ['a mixed anything-but list', { f: [{ 'anything-but': ['a', 1] }] }, 'mixed type is not supported'],
    ['a null in anything-but', { f: [{ 'anything-but': [null] }] }, 'start|null|boolean is not supported'],
    [
      'an unsupported anything-but form',
      { f: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'Unsupported anything-but',
    ],
    [
      'an empty anything-but prefix',
      { f: [{ 'anything-but': { prefix: '' } }] },
      'Null prefix/suffix not allowed',
    ],
    ['$or that is not an array', { $or: { a: ['1'] } }, 'It must be an Array followed with $or.'],
    ['$or with one alternative', { $or: [{ a: ['1'] }] }, 'There must have at least 2 Objects in $or'],
    ['$or with a non-object', { $or: [{ a: ['1'] }, 'b'] }, 'Only JSON object is allowed in array of $or'],
  ];

  it.each(reasons)('rejects %s', (_name, pattern, reason) => {
    const message = validatePattern(pattern);
    expect(message).toMatch(/^Event pattern is not valid\. Reason: /);
    expect(message).toContain(reason);
  });

  it('names where in the pattern the problem is', () => {
    expect(validatePattern({ detail: { state: [{ prefix: 5 }] } })).toContain('at detail.state[0].prefix');
  });

  it('accepts every documented operator', () => {
    const pattern = {
      source: ['aws.ec2', { prefix: 'aws.' }, { suffix: '.ec2' }, { 'equals-ignore-case': 'AWS.EC2' }],
      detail: {
        a: [{ 'anything-but': ['x', 'y'] }, { 'anything-but': { wildcard: ['*x*', 'y*'] } }],
        b: [{ numeric: ['>=', -5e9, '<=', 5e9] }, { exists: false }, null, true, 1.5, ''],
        c: [{ cidr: '2001:db8::/32' }, { wildcard: 'a\\*b*' }, { prefix: { 'equals-ignore-case': 'x' } }],
        $or: [{ d: ['1'] }, { e: { f: ['2'] } }],
      },
    };
    expect(validatePattern(pattern)).toBeUndefined();
  });
});
