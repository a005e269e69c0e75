// Timers for scheduled rules: one per enabled rule with a ScheduleExpression, re-armed after each
// fire. Timers are unref()-ed so they never keep the process alive, and close() clears them.

import type { RuleRecord } from '../state.ts';

/** setTimeout cannot wait longer than this (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface RuleScheduler {
  /** Arms, re-arms or disarms the rule's timer to match its current schedule and state. */
  sync(rule: RuleRecord): void;
  cancel(rule: RuleRecord): void;
  close(): void;
}

export function createRuleScheduler(options: {
  now: () => Date;
  fire: (rule: RuleRecord, scheduledTime: Date) => void;
}): RuleScheduler {
  const timers = new Map<string, NodeJS.Timeout>();

  function cancel(rule: RuleRecord): void {
    clearTimeout(timers.get(rule.arn));
    timers.delete(rule.arn);
  }

  function arm(rule: RuleRecord, after: Date): void {
    const fireAt = rule.schedule?.nextFireAfter(after);
    if (!fireAt) return;
    const wait = () => {
      const remaining = fireAt.getTime() - options.now().getTime();
      const timer = setTimeout(
        () => {
          if (remaining > MAX_TIMER_DELAY_MS) return wait();
          timers.delete(rule.arn);
          options.fire(rule, fireAt);
          // Fire times missed while the process was suspended are skipped, as AWS does not replay them.
          arm(rule, new Date(Math.max(fireAt.getTime(), options.now().getTime())));
        },
        Math.max(0, Math.min(remaining, MAX_TIMER_DELAY_MS)),
      );
      timer.unref();
      timers.set(rule.arn, timer);
    };
    wait();
  }

  return {
    sync(rule) {
      cancel(rule);
      if (rule.schedule && rule.state !== 'DISABLED') arm(rule, options.now());
    },
    cancel,
    close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
