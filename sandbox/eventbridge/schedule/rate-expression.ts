// `rate(value unit)`: a fixed period counted from when the rule was created, as AWS documents.
// AWS insists on the singular unit for 1 (`rate(1 minute)`) and the plural otherwise (`rate(5 minutes)`).

import type { Schedule } from './schedule.ts';

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses the text inside `rate(...)`; throws an Error naming the problem. */
export function parseRateExpression(body: string, anchor: Date): Schedule {
  const match = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(body);
  if (!match) throw new Error(`rate expression must be "value unit": ${body}`);
  const value = Number(match[1]);
  const unit = match[2]!;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`rate value must be a positive integer: ${body}`);
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  const unitMs = UNIT_MS[singular];
  if (unitMs === undefined) throw new Error(`rate unit must be minute(s), hour(s) or day(s): ${unit}`);
  const plural = unit !== singular;
  if (value === 1 && plural) throw new Error(`rate of 1 takes the singular unit "${singular}"`);
  if (value > 1 && !plural) throw new Error(`rate greater than 1 takes the plural unit "${singular}s"`);

  const periodMs = value * unitMs;
  const anchorMs = anchor.getTime();
  return {
    nextFireAfter(after) {
      const periodsElapsed = Math.max(0, Math.floor((after.getTime() - anchorMs) / periodMs));
      return new Date(anchorMs + (periodsElapsed + 1) * periodMs);
    },
  };
}
