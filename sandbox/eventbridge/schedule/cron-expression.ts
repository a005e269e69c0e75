// EventBridge's six-field cron, evaluated in UTC: `minutes hours day-of-month month day-of-week year`.
//   minutes 0-59, hours 0-23          , - * /
//   day-of-month 1-31                 , - * ? / L W   (`L` last day, `LW` last weekday, `15W` nearest weekday)
//   month 1-12 or JAN-DEC             , - * /
//   day-of-week 1-7 or SUN-SAT (1=SUN), - * ? / L #   (`L` Saturday, `6L` last Friday, `3#2` second Tuesday)
//   year 1970-2199                    , - * /
// One of day-of-month and day-of-week must be `?`, the other a value or `*`.

import type { Schedule } from './schedule.ts';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTES: FieldSpec = { name: 'minutes', min: 0, max: 59 };
const HOURS: FieldSpec = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const DAY_OF_WEEK: FieldSpec = {
  name: 'day-of-week',
  min: 1,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};
const YEAR: FieldSpec = { name: 'year', min: 1970, max: 2199 };

/** The calendar facts a day-of-month or day-of-week item needs about one UTC day. */
interface CalendarDay {
  day: number;
  /** 1 = Sunday ... 7 = Saturday, EventBridge's numbering. */
  weekday: number;
  daysInMonth: number;
  year: number;
  /** 1-12. */
  month: number;
}

type DayPredicate = (day: CalendarDay) => boolean;

const MINUTE_MS = 60_000;

/** Parses the text inside `cron(...)`; throws an Error naming the problem. */
export function parseCronExpression(body: string): Schedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    throw new Error(`cron expression must have 6 fields, found ${fields.length}: ${body}`);
  const [minutesText, hoursText, dayOfMonthText, monthText, dayOfWeekText, yearText] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dayOfMonthText === '?') === (dayOfWeekText === '?')) {
    throw new Error('exactly one of day-of-month and day-of-week must be "?"');
  }
  const minutes = sorted(parseValues(minutesText, MINUTES));
  const hours = sorted(parseValues(hoursText, HOURS));
  const months = parseValues(monthText, MONTH);
  const years = parseValues(yearText, YEAR);
  const dayMatches = dayOfMonthText === '?' ? parseDayOfWeek(dayOfWeekText) : parseDayOfMonth(dayOfMonthText);
  const lastYear = Math.max(...years);

  return {
    nextFireAfter(after) {
      const start = new Date((Math.floor(after.getTime() / MINUTE_MS) + 1) * MINUTE_MS);
      let cursor = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
      while (new Date(cursor).getUTCFullYear() <= lastYear) {
        const date = new Date(cursor);
        const year = date.getUTCFullYear();
        const month = date.getUTCMonth() + 1;
        if (!years.has(year)) {
          cursor = Date.UTC(year + 1, 0, 1);
          continue;
        }
        if (!months.has(month)) {
          cursor = Date.UTC(year, month, 1);
          continue;
        }
        const calendarDay: CalendarDay = {
          day: date.getUTCDate(),
          weekday: date.getUTCDay() + 1,
          daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
          year,
          month,
        };
        if (dayMatches(calendarDay)) {
          const sameDay =
            cursor === Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
          const fire = firstTimeOfDay(hours, minutes, sameDay ? start : undefined);
          if (fire) return new Date(cursor + fire.hour * 3_600_000 + fire.minute * MINUTE_MS);
        }
        cursor += 86_400_000;
      }
      return undefined;
    },
  };
}

function firstTimeOfDay(
  hours: number[],
  minutes: number[],
  notBefore: Date | undefined,
): { hour: number; minute: number } | undefined {
  const earliestHour = notBefore?.getUTCHours() ?? 0;
  for (const hour of hours) {
    if (hour < earliestHour) continue;
    const earliestMinute = hour === earliestHour ? (notBefore?.getUTCMinutes() ?? 0) : 0;
    const minute = minutes.find((candidate) => candidate >= earliestMinute);
    if (minute !== undefined) return { hour, minute };
  }
  return undefined;
}

function sorted(values: Set<number>): number[] {
  return [...values].sort((a, b) => a - b);
}

/** A comma list of `*`, `n`, `a-b`, each optionally stepped with `/s`. */
function parseValues(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    for (const value of parseItem(item, spec)) values.add(value);
  }
  return values;
}

function parseItem(item: string, spec: FieldSpec): number[] {
  const [rangeText, stepText, extra] = item.split('/');
  if (extra !== undefined || rangeText === undefined || rangeText === '') throw invalidField(spec, item);
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1 || (stepText !== undefined && !/^\d+$/.test(stepText))) {
    throw invalidField(spec, item);
  }
  let first: number;
  let last: number;
  if (rangeText === '*') {
    first = spec.min;
    last = spec.max;
  } else if (rangeText.includes('-')) {
    const [low, high, more] = rangeText.split('-');
    if (more !== undefined) throw invalidField(spec, item);
    first = parseValue(low ?? '', spec);
    last = parseValue(high ?? '', spec);
    if (first > last) throw invalidField(spec, item);
  } else {
    first = parseValue(rangeText, spec);
    // `5/10` runs from 5 to the end of the field; a bare `5` is just 5.
    last = stepText === undefined ? first : spec.max;
  }
  const values: number[] = [];
  for (let value = first; value <= last; value += step) values.push(value);
  return values;
}

function parseValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.min + named;
  if (!/^\d+$/.test(text)) throw invalidField(spec, text);
  const value = Number(text);
  if (value < spec.min || value > spec.max) throw invalidField(spec, text);
  return value;
}

function parseDayOfMonth(text: string): DayPredicate {
  const predicates = text.split(',').map((item): DayPredicate => {
    if (item === 'L') return (day) => day.day === day.daysInMonth;
    if (item === 'LW') return (day) => day.day === lastWeekdayOfMonth(day);
    const nearest = /^(\d+)W$/.exec(item);
    if (nearest) {
      const target = parseValue(nearest[1]!, DAY_OF_MONTH);
      return (day) => day.day === nearestWeekday(day, target);
    }
    const days = new Set(parseItem(item, DAY_OF_MONTH));
    return (day) => days.has(day.day);
  });
  return (day) => predicates.some((predicate) => predicate(day));
}

function parseDayOfWeek(text: string): DayPredicate {
  const predicates = text.split(',').map((item): DayPredicate => {
    // `L` alone is the last day of the week, Saturday.
    if (item === 'L') return (day) => day.weekday === 7;
    const lastOfMonth = /^(\w+)L$/.exec(item);
    if (lastOfMonth) {
      const weekday = parseValue(lastOfMonth[1]!, DAY_OF_WEEK);
      return (day) => day.weekday === weekday && day.day + 7 > day.daysInMonth;
    }
    const nth = /^(\w+)#(\d)$/.exec(item);
    if (nth) {
      const weekday = parseValue(nth[1]!, DAY_OF_WEEK);
      const occurrence = Number(nth[2]);
      if (occurrence < 1 || occurrence > 5) throw invalidField(DAY_OF_WEEK, item);
      return (day) => day.weekday === weekday && Math.ceil(day.day / 7) === occurrence;
    }
    const weekdays = new Set(parseItem(item, DAY_OF_WEEK));
    return (day) => weekdays.has(day.weekday);
  });
  return (day) => predicates.some((predicate) => predicate(day));
}

function weekdayOf(day: CalendarDay, dayOfMonth: number): number {
  return new Date(Date.UTC(day.year, day.month - 1, dayOfMonth)).getUTCDay() + 1;
}

function lastWeekdayOfMonth(day: CalendarDay): number {
  let candidate = day.daysInMonth;
  while (isWeekend(weekdayOf(day, candidate))) candidate--;
  return candidate;
}

/** The weekday closest to `target` without leaving the month (Quartz's `W`). */
function nearestWeekday(day: CalendarDay, target: number): number | undefined {
  if (target > day.daysInMonth) return undefined;
  const weekday = weekdayOf(day, target);
  if (weekday === 7) return target === 1 ? target + 2 : target - 1;
  if (weekday === 1) return target === day.daysInMonth ? target - 2 : target + 1;
  return target;
}

function isWeekend(weekday: number): boolean {
  return weekday === 1 || weekday === 7;
}

function invalidField(spec: FieldSpec, text: string): Error {
  return new Error(`invalid ${spec.name} value "${text}"`);
}
