import { describe, expect, it } from 'vitest';
import {
  describeError,
  describeFailures,
  failingChecks,
  healthReport,
} from '../../../functions/app/health/health-report.ts';
import { backlogCheck, QUEUE_BACKLOG_LIMIT } from '../../../functions/app/health/queue-checks.ts';
import { READINESS_CHECK_TIMEOUT_MS, runChecks } from '../../../functions/app/health/readiness-checks.ts';

const resolveAfter = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('readiness aggregation', () => {
  it('is ok when every check is, and failing naming each check that is not', () => {
    expect(healthReport({ a: { ok: true }, b: { ok: true, n: 1 } })).toEqual({
      status: 'ok',
      checks: { a: { ok: true }, b: { ok: true, n: 1 } },
    });
    const report = healthReport({ a: { ok: false, error: 'x' }, b: { ok: true }, c: { ok: false } });
    expect(report.status).toBe('failing');
    expect(failingChecks(report)).toEqual(['a', 'c']);
  });

  it('runs the checks at once, in the order given', async () => {
    const started = Date.now();
    const report = await runChecks({
      slow: () => resolveAfter(300, { ok: true, which: 'slow' }),
      slower: () => resolveAfter(300, { ok: true, which: 'slower' }),
      sync: () => ({ ok: true, which: 'sync' }),
    });
    // One after the other they would take 600 ms.
    expect(Date.now() - started).toBeLessThan(550);
    expect(Object.keys(report.checks)).toEqual(['slow', 'slower', 'sync']);
    expect(report).toEqual({
      status: 'ok',
      checks: {
        slow: { ok: true, which: 'slow' },
        slower: { ok: true, which: 'slower' },
        sync: { ok: true, which: 'sync' },
      },
    });
  });

  it('turns a check that throws or rejects into a failing one with the message, never the stack', async () => {
    const report = await runChecks({
      throws: () => {
        throw new TypeError('bad\n   at somewhere (file.ts:1:1)');
      },
      rejects: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { name: 'Error' });
      },
      fine: () => ({ ok: true }),
    });
    expect(report.status).toBe('failing');
    expect(report.checks.throws).toEqual({ ok: false, error: 'TypeError: bad at somewhere (file.ts:1:1)' });
    expect(report.checks.rejects).toEqual({ ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9' });
    expect(report.checks.fine).toEqual({ ok: true });
    expect(JSON.stringify(report)).not.toContain('readiness-checks');
  });

  it('fails a check that does not answer within its deadline, aborting it, without waiting for it', async () => {
    let aborted: unknown;
    const started = Date.now();
    const report = await runChecks(
      {
        hangs: (signal) =>
          new Promise(() => {
            signal.addEventListener('abort', () => {
              aborted = signal.reason;
            });
          }),
        answers: () => resolveAfter(10, { ok: true }),
      },
      100,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(report.checks).toEqual({
      hangs: { ok: false, error: 'no answer within 100 ms' },
      answers: { ok: true },
    });
    expect(aborted).toBeInstanceOf(Error);
  });

  it('gives each check 2 s by default', () => {
    expect(READINESS_CHECK_TIMEOUT_MS).toBe(2_000);
  });
});

describe('queue backlog rule', () => {
  it('is ok while the messages of all queues together stay below 1 000', () => {
    expect(QUEUE_BACKLOG_LIMIT).toBe(1_000);
    expect(backlogCheck({ depths: { a: 600, b: 399 }, failures: [] })).toEqual({
      ok: true,
      messages: 999,
      limit: 1_000,
      queues: { a: 600, b: 399 },
    });
  });

  it('fails at 1 000 and above', () => {
    expect(backlogCheck({ depths: { a: 600, b: 400 }, failures: [] })).toMatchObject({
      ok: false,
      messages: 1_000,
      error: '1000 messages waiting (ready below 1000)',
    });
    expect(backlogCheck({ depths: { a: 5_000 }, failures: [] }).ok).toBe(false);
  });

  it('fails when a queue could not be read: the backlog is then unknown', () => {
    expect(backlogCheck({ depths: { a: 1 }, failures: [{ target: 'b', error: new Error('x') }] })).toEqual({
      ok: false,
      messages: 1,
      limit: 1_000,
      queues: { a: 1 },
      error: 'backlog unknown: b could not be read',
    });
  });
});

describe('error descriptions', () => {
  it('names the SDK exception, collapses whitespace, falls back to the code, cuts long messages', () => {
    class ResourceNotFoundException extends Error {
      override name = 'ResourceNotFoundException';
    }
    expect(describeError(new ResourceNotFoundException('Requested resource not found'))).toBe(
      'ResourceNotFoundException: Requested resource not found',
    );
    expect(describeError(Object.assign(new Error(''), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(describeError('plain')).toBe('plain');
    expect(describeError(new Error('x'.repeat(1_000)))).toHaveLength(300);
  });

  it('reads the inner errors of an AggregateError without a message', () => {
    const refused = (address: string) => new Error(`connect ECONNREFUSED ${address}`);
    expect(describeError(new AggregateError([refused('::1:9'), refused('127.0.0.1:9')]))).toBe(
      'connect ECONNREFUSED ::1:9; connect ECONNREFUSED 127.0.0.1:9',
    );
  });

  it('groups targets that failed the same way', () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:9');
    expect(
      describeFailures([
        { target: 'agents', error: refused },
        { target: 'intents', error: refused },
        { target: 'audit', error: 'table status DELETING' },
      ]),
    ).toBe('agents, intents: connect ECONNREFUSED 127.0.0.1:9; audit: table status DELETING');
  });
});
