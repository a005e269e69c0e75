import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFunctionLogFiles,
  functionLogFileName,
  openLogFile,
} from '../../../../sandbox/lambda/function-log-files.ts';
import { functionSpec } from '../../../fixtures/lambda-handlers/function-spec.ts';

let dir: string;
const at = new Date('2026-03-04T05:06:07.000Z');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'function-log-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const read = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('function log file names', () => {
  it("drop CDK's 8-hex-digit hash from the logical id", () => {
    const spec = functionSpec('Trustgate-dev-Stateless-GateFunction115324B9-CFNX5EWTEFPV', 'noop.handler', {
      logicalId: 'GateFunction115324B9',
    });
    expect(functionLogFileName(spec, new Set())).toBe('GateFunction.log');
  });

  it('keep a logical id without such a hash as it is, and never reduce one to nothing', () => {
    expect(functionLogFileName(functionSpec('a', 'noop.handler', { logicalId: 'Orders' }), new Set())).toBe(
      'Orders.log',
    );
    expect(functionLogFileName(functionSpec('a', 'noop.handler', { logicalId: 'Handler1' }), new Set())).toBe(
      'Handler1.log',
    );
    expect(functionLogFileName(functionSpec('a', 'noop.handler', { logicalId: 'ABCDEF12' }), new Set())).toBe(
      'ABCDEF12.log',
    );
  });

  it('fall back to the function name when another function already has the name', () => {
    const spec = functionSpec('Other-ApiFunction0A1B2C3D-XYZ', 'noop.handler', {
      logicalId: 'ApiFunction0A1B2C3D',
    });
    expect(functionLogFileName(spec, new Set(['ApiFunction.log']))).toBe('Other-ApiFunction0A1B2C3D-XYZ.log');
  });

  it('replace characters that have no place in a file name', () => {
    const spec = functionSpec('a', 'noop.handler', { logicalId: '../etc/passwd' });
    expect(functionLogFileName(spec, new Set())).toBe('.._etc_passwd.log');
  });
});

describe('function log files', () => {
  it('are created when their function is deployed, before it writes anything', () => {
    const files = createFunctionLogFiles({ dir, now: () => at });
    files.open(functionSpec('orders-fn', 'noop.handler', { logicalId: 'OrdersFunctionA1B2C3D4' }));
    files.close();
    expect(readdirSync(dir)).toEqual(['OrdersFunction.log']);
    expect(read('OrdersFunction.log')).toBe(
      '--- 2026-03-04T05:06:07.000Z orders-fn (OrdersFunctionA1B2C3D4) deployed ---\n',
    );
  });

  it("hold each function's lines, unprefixed, in its own file", () => {
    const files = createFunctionLogFiles({ dir, now: () => at });
    const orders = files.open(functionSpec('orders-fn', 'noop.handler', { logicalId: 'Orders' }));
    const audit = files.open(functionSpec('audit-fn', 'noop.handler', { logicalId: 'Audit' }));
    orders('one');
    audit('two');
    orders('three\nstill three');
    files.close();
    expect(read('Orders.log').split('\n').slice(1)).toEqual(['one', 'three', 'still three', '']);
    expect(read('Audit.log').split('\n').slice(1)).toEqual(['two', '']);
    expect(files.files).toEqual(
      new Map([
        ['orders-fn', join(dir, 'Orders.log')],
        ['audit-fn', join(dir, 'Audit.log')],
      ]),
    );
  });

  it('are appended to across starts, each start marked', () => {
    for (const line of ['first run', 'second run']) {
      const files = createFunctionLogFiles({ dir, now: () => at });
      files.open(functionSpec('orders-fn', 'noop.handler', { logicalId: 'Orders' }))(line);
      files.close();
    }
    expect(read('Orders.log').split('\n')).toEqual([
      '--- 2026-03-04T05:06:07.000Z orders-fn (Orders) deployed ---',
      'first run',
      '--- 2026-03-04T05:06:07.000Z orders-fn (Orders) deployed ---',
      'second run',
      '',
    ]);
  });

  it('keep one file for a function deployed again, and a file each for two functions of one logical id', () => {
    const files = createFunctionLogFiles({ dir, now: () => at });
    const spec = functionSpec('stack-a-Api', 'noop.handler', { logicalId: 'ApiFunction0A1B2C3D' });
    files.open(spec)('before');
    files.open(spec)('after');
    files.open(functionSpec('stack-b-Api', 'noop.handler', { logicalId: 'ApiFunction0A1B2C3D' }))('other');
    files.close();
    expect(readdirSync(dir).sort()).toEqual(['ApiFunction.log', 'stack-b-Api.log']);
    expect(read('ApiFunction.log')).toContain('before\nafter\n');
    expect(read('stack-b-Api.log')).toContain('other\n');
  });

  it('echo every line to the terminal sink as well when asked, with the function name', () => {
    const echoed: string[] = [];
    const files = createFunctionLogFiles({ dir, echo: (name, line) => echoed.push(`[${name}] ${line}`) });
    files.open(functionSpec('orders-fn', 'noop.handler', { logicalId: 'Orders' }))('hello');
    files.close();
    expect(echoed).toEqual(['[orders-fn] hello']);
    expect(read('Orders.log')).toMatch(/\nhello\n$/);
  });

  it('create their directory, and drop lines written after close instead of throwing', () => {
    const nested = join(dir, 'a', 'logs');
    const files = createFunctionLogFiles({ dir: nested });
    const write = files.open(functionSpec('orders-fn', 'noop.handler', { logicalId: 'Orders' }));
    files.close();
    files.close();
    expect(() => write('late')).not.toThrow();
    expect(readFileSync(join(nested, 'Orders.log'), 'utf8')).not.toContain('late');
  });
});

describe('a log file', () => {
  it('starts with its header and appends lines', () => {
    const file = openLogFile(join(dir, 'sub', 'sandbox.log'), '--- start ---');
    file.write('edge http://127.0.0.1:4566');
    file.close();
    expect(readFileSync(join(dir, 'sub', 'sandbox.log'), 'utf8')).toBe(
      '--- start ---\nedge http://127.0.0.1:4566\n',
    );
  });
});
