// Inactivity decay (SPEC §2): the share of its score an agent keeps, by days since its last activity.
//   days:      0–6   7     14    28    56    112   182   365
//   retention: 1.00  0.95  0.88  0.75  0.62  0.55  0.50  0.25
// Linear between neighbouring milestones (day 21 → 0.815), including from day 6 (1.00) to day 7
// (0.95), so retention never jumps. Beyond 365 days it holds at 0.25: a long-dormant agent keeps a
// quarter of its score rather than sliding to zero. Fractional days are allowed.
// Decay is never written back into the stored score: it is applied on read (and by the sweep that
// re-reads scores to announce tier changes), so it cannot be applied twice.

import { normalizeScore } from './components.ts';
import { daysSince, type EpochMillis } from './elapsed-days.ts';

interface RetentionMilestone {
  days: number;
  retention: number;
}

const RETENTION_MILESTONES: readonly RetentionMilestone[] = [
  { days: 0, retention: 1 },
  { days: 6, retention: 1 },
  { days: 7, retention: 0.95 },
  { days: 14, retention: 0.88 },
  { days: 28, retention: 0.75 },
  { days: 56, retention: 0.62 },
  { days: 112, retention: 0.55 },
  { days: 182, retention: 0.5 },
  { days: 365, retention: 0.25 },
];

export function inactivityRetention(daysInactive: number): number {
  if (Number.isNaN(daysInactive)) throw new RangeError('days of inactivity must be a number, got NaN');
  const first = RETENTION_MILESTONES[0]!;
  const last = RETENTION_MILESTONES[RETENTION_MILESTONES.length - 1]!;
  if (daysInactive <= first.days) return first.retention;
  if (daysInactive >= last.days) return last.retention;
  // Strictly between the first and last milestone here, so the upper neighbour is never the first.
  const upperIndex = RETENTION_MILESTONES.findIndex((milestone) => daysInactive <= milestone.days);
  const lower = RETENTION_MILESTONES[upperIndex - 1]!;
  const upper = RETENTION_MILESTONES[upperIndex]!;
  const progress = (daysInactive - lower.days) / (upper.days - lower.days);
  return lower.retention + (upper.retention - lower.retention) * progress;
}

export function decayedScore(baseScore: number, lastActivityAt: EpochMillis, now: EpochMillis): number {
  return normalizeScore(normalizeScore(baseScore) * inactivityRetention(daysSince(lastActivityAt, now)));
}
