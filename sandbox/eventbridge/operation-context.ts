import type { EventBridgeState, RuleRecord } from './state.ts';

/** What the rule, target and bus operations work with. */
export interface OperationContext {
  state: EventBridgeState;
  now(): Date;
  /** A rule was created, changed or enabled/disabled: its schedule timer must follow. */
  ruleUpdated(rule: RuleRecord): void;
  /** A rule is gone: its schedule timer must stop. */
  ruleRemoved(rule: RuleRecord): void;
}

/** AWS's JSON protocols carry timestamps as epoch seconds. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}
