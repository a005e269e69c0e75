import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from '../../../../sandbox/eventbridge/schedule/schedule-expression.ts';

const created = new Date('2026-01-01T12:00:00Z');

function nextFire(expression: string, after: string): string | undefined {
  return parseScheduleExpression(expression, created).nextFireAfter(new Date(after))?.toISOString();
}

describe('rate expressions', () => {
  it('fire one period after creation, then every period', () => {
    expect(nextFire('rate(5 minutes)', '2026-01-01T12:00:00Z')).toBe('2026-01-01T12:05:00.000Z');
    expect(nextFire('rate(5 minutes)', '2026-01-01T12:07:30Z')).toBe('2026-01-01T12:10:00.000Z');
    expect(nextFire('rate(5 minutes)', '2026-01-01T12:10:00Z')).toBe('2026-01-01T12:15:00.000Z');
    expect(nextFire('rate(1 hour)', '2026-01-01T12:00:00Z')).toBe('2026-01-01T13:00:00.000Z');
    expect(nextFire('rate(2 days)', '2026-01-02T00:00:00Z')).toBe('2026-01-03T12:00:00.000Z');
  });

  it.each([
    ['rate(1 minutes)', 'singular'],
    ['rate(5 minute)', 'plural'],
    ['rate(0 minutes)', 'positive integer'],
    ['rate(1 week)', 'minute(s), hour(s) or day(s)'],
    ['rate(five minutes)', 'value unit'],
  ])('rejects %s', (expression, reason) => {
    expect(() => parseScheduleExpression(expression, created)).toThrow(reason);
  });
});

describe('cron expressions (UTC)', () => {
  it.each([
    [
      'every day at noon, later the same day',
      'cron(0 12 * * ? *)',
      '2026-01-01T11:59:30Z',
      '2026-01-01T12:00:00.000Z',
    ],
    [
      'every day at noon, strictly after a fire',
      'cron(0 12 * * ? *)',
      '2026-01-01T12:00:00Z',
      '2026-01-02T12:00:00.000Z',
    ],
    ['every 15 minutes', 'cron(0/15 * * * ? *)', '2026-01-01T10:07:00Z', '2026-01-01T10:15:00.000Z'],
    [
      'every 15 minutes across the hour',
      'cron(*/15 * * * ? *)',
      '2026-01-01T10:50:00Z',
      '2026-01-01T11:00:00.000Z',
    ],
    [
      'weekdays at 18:00, from a Saturday',
      'cron(0 18 ? * MON-FRI *)',
      '2026-01-03T00:00:00Z',
      '2026-01-05T18:00:00.000Z',
    ],
    [
      'the first of the month at 8:00',
      'cron(0 8 1 * ? *)',
      '2026-01-15T00:00:00Z',
      '2026-02-01T08:00:00.000Z',
    ],
    ['the last day of February', 'cron(0 9 L * ? *)', '2026-02-01T00:00:00Z', '2026-02-28T09:00:00.000Z'],
    [
      'the last day of a leap February',
      'cron(0 9 L * ? *)',
      '2028-02-01T00:00:00Z',
      '2028-02-29T09:00:00.000Z',
    ],
    [
      'the last weekday when the month ends on a Saturday',
      'cron(0 9 LW * ? *)',
      '2026-01-01T00:00:00Z',
      '2026-01-30T09:00:00.000Z',
    ],
    [
      'the weekday nearest a Sunday 15th',
      'cron(0 9 15W * ? *)',
      '2026-02-01T00:00:00Z',
      '2026-02-16T09:00:00.000Z',
    ],
    [
      'the weekday nearest a Saturday 1st stays in the month',
      'cron(0 9 1W * ? *)',
      '2026-07-15T00:00:00Z',
      '2026-08-03T09:00:00.000Z',
    ],
    [
      'the last Friday of the month',
      'cron(15 10 ? * 6L 2026)',
      '2026-01-01T00:00:00Z',
      '2026-01-30T10:15:00.000Z',
    ],
    ['the second Tuesday', 'cron(0 10 ? * 3#2 *)', '2026-01-01T00:00:00Z', '2026-01-13T10:00:00.000Z'],
    ['Saturdays with L alone', 'cron(0 10 ? * L *)', '2026-01-01T00:00:00Z', '2026-01-03T10:00:00.000Z'],
    ['named months and a year', 'cron(0 0 1 JAN ? 2027)', '2026-05-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['lists and ranges', 'cron(5,35 8-9 ? * SUN *)', '2026-01-04T08:36:00Z', '2026-01-04T09:05:00.000Z'],
  ])('%s', (_name, expression, after, expected) => {
    expect(nextFire(expression, after)).toBe(expected);
  });

  it('never fires again after its last year', () => {
    expect(nextFire('cron(0 0 1 1 ? 2025)', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it.each([
    ['five fields', 'cron(0 12 * * ?)', 'must have 6 fields'],
    ['both day fields set', 'cron(0 12 1 * MON *)', 'exactly one of day-of-month and day-of-week'],
    ['both day fields ?', 'cron(0 12 ? * ? *)', 'exactly one of day-of-month and day-of-week'],
    ['both day fields *', 'cron(0 12 * * * *)', 'exactly one of day-of-month and day-of-week'],
    ['minute 60', 'cron(60 12 * * ? *)', 'invalid minutes value "60"'],
    ['an unknown month name', 'cron(0 12 1 FOO ? *)', 'invalid month value "FOO"'],
    ['an inverted range', 'cron(0 12 ? * FRI-MON *)', 'invalid day-of-week value "FRI-MON"'],
    ['a year before 1970', 'cron(0 12 * * ? 1969)', 'invalid year value "1969"'],
    ['neither rate nor cron', 'at(2026-01-01T00:00:00)', 'expected rate(...) or cron(...)'],
  ])('rejects %s', (_name, expression, reason) => {
    expect(() => parseScheduleExpression(expression, created)).toThrow(reason);
  });
});
