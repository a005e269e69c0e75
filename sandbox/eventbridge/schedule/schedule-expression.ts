// A rule's ScheduleExpression: `rate(...)` or `cron(...)`.

import { parseCronExpression } from './cron-expression.ts';
import { parseRateExpression } from './rate-expression.ts';
import type { Schedule } from './schedule.ts';

/**
 * Parses a schedule expression; `createdAt` anchors rate schedules (they count from the rule's
 * creation). Throws an Error naming the problem.
 */
export function parseScheduleExpression(expression: string, createdAt: Date): Schedule {
  const match = /^(rate|cron)\((.*)\)$/.exec(expression.trim());
  if (!match) throw new Error(`expected rate(...) or cron(...): ${expression}`);
  return match[1] === 'rate' ? parseRateExpression(match[2]!, createdAt) : parseCronExpression(match[2]!);
}
