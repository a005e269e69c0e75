// PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule, ListRuleNamesByTarget.

import { compilePattern } from '../../functions/core/event-pattern/event-pattern.ts';
import { InvalidEventPatternError } from '../../functions/core/event-pattern/invalid-event-pattern.ts';
import { AwsServiceError, SANDBOX_ACCOUNT_ID } from '../contracts.ts';
import { busNameFromParameter, DEFAULT_EVENT_BUS, ruleArn } from './arns.ts';
import { optionalString, requiredString, requireNamePattern, validationError } from './aws-input.ts';
import type { OperationContext } from './operation-context.ts';
import { paginate } from './pagination.ts';
import { parseScheduleExpression } from './schedule/schedule-expression.ts';
import type { RuleRecord, RuleState } from './state.ts';

const RULE_NAME_PATTERN = /^[.\-_A-Za-z0-9]+$/;
const RULE_STATES: readonly RuleState[] = [
  'ENABLED',
  'DISABLED',
  'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
];

/** Creates or replaces a rule: omitted arguments are not kept, but the targets are. */
export function putRule(context: OperationContext, input: Record<string, unknown>): unknown {
  const name = requiredString(input, 'Name');
  requireNamePattern('Name', name, RULE_NAME_PATTERN, 64);
  const bus = context.state.requireBus(busNameFromParameter(optionalString(input, 'EventBusName')));
  const eventPattern = optionalString(input, 'EventPattern');
  const scheduleExpression = optionalString(input, 'ScheduleExpression');
  if (eventPattern === undefined && scheduleExpression === undefined) {
    throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (scheduleExpression !== undefined && bus.name !== DEFAULT_EVENT_BUS) {
    throw validationError('ScheduleExpression is supported only on the default event bus.');
  }
  const state = (optionalString(input, 'State') ?? 'ENABLED') as RuleState;
  if (!RULE_STATES.includes(state)) {
    throw validationError(
      `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`,
    );
  }

  const existing = bus.rules.get(name);
  const rule: RuleRecord = {
    name,
    arn: ruleArn(context.state.region, bus.name, name),
    eventBusName: bus.name,
    state,
    targets: existing?.targets ?? new Map(),
  };
  const description = optionalString(input, 'Description');
  if (description !== undefined) rule.description = description;
  const roleArn = optionalString(input, 'RoleArn');
  if (roleArn !== undefined) rule.roleArn = roleArn;
  if (eventPattern !== undefined) {
    rule.eventPattern = eventPattern;
    rule.compiledPattern = compileEventPattern(eventPattern);
  }
  if (scheduleExpression !== undefined) {
    rule.scheduleExpression = scheduleExpression;
    // A rate keeps counting from when the schedule was first set, not from each PutRule.
    rule.schedule =
      existing?.scheduleExpression === scheduleExpression && existing.schedule
        ? existing.schedule
        : parseSchedule(scheduleExpression, context.now());
  }
  bus.rules.set(name, rule);
  context.ruleUpdated(rule);
  return { RuleArn: rule.arn };
}

export function describeRule(context: OperationContext, input: Record<string, unknown>): unknown {
  const rule = requireRuleFromInput(context, input);
  return { ...describe(rule), CreatedBy: SANDBOX_ACCOUNT_ID };
}

export function listRules(context: OperationContext, input: Record<string, unknown>): unknown {
  const bus = context.state.requireBus(busNameFromParameter(optionalString(input, 'EventBusName')));
  const prefix = optionalString(input, 'NamePrefix') ?? '';
  const rules = [...bus.rules.values()]
    .filter((rule) => rule.name.startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name));
  const { page, NextToken } = paginate(rules, input);
  return { Rules: page.map(describe), ...(NextToken ? { NextToken } : {}) };
}

/** Deleting a rule that does not exist succeeds, as in AWS; one that still has targets is refused. */
export function deleteRule(context: OperationContext, input: Record<string, unknown>): unknown {
  const name = requiredString(input, 'Name');
  const bus = context.state.requireBus(busNameFromParameter(optionalString(input, 'EventBusName')));
  const rule = bus.rules.get(name);
  if (!rule) return {};
  if (rule.targets.size > 0) throw validationError("Rule can't be deleted since it has targets.");
  bus.rules.delete(name);
  context.ruleRemoved(rule);
  return {};
}

export function setRuleState(
  context: OperationContext,
  input: Record<string, unknown>,
  state: RuleState,
): unknown {
  const rule = requireRuleFromInput(context, input);
  rule.state = state;
  context.ruleUpdated(rule);
  return {};
}

export function listRuleNamesByTarget(context: OperationContext, input: Record<string, unknown>): unknown {
  const targetArn = requiredString(input, 'TargetArn');
  const bus = context.state.requireBus(busNameFromParameter(optionalString(input, 'EventBusName')));
  const names = [...bus.rules.values()]
    .filter((rule) => [...rule.targets.values()].some((target) => target.Arn === targetArn))
    .map((rule) => rule.name)
    .sort();
  const { page, NextToken } = paginate(names, input);
  return { RuleNames: page, ...(NextToken ? { NextToken } : {}) };
}

export function requireRuleFromInput(
  context: OperationContext,
  input: Record<string, unknown>,
  nameKey = 'Name',
): RuleRecord {
  const name = requiredString(input, nameKey);
  return context.state.requireRule(busNameFromParameter(optionalString(input, 'EventBusName')), name);
}

/** Compiles a pattern, turning a malformed one into AWS's InvalidEventPatternException. */
export function compileEventPattern(pattern: string) {
  try {
    return compilePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) {
      throw new AwsServiceError('InvalidEventPatternException', error.message);
    }
    throw error;
  }
}

function parseSchedule(expression: string, now: Date) {
  try {
    return parseScheduleExpression(expression, now);
  } catch (error) {
    throw validationError(`Parameter ScheduleExpression is not valid. Reason: ${(error as Error).message}`);
  }
}

function describe(rule: RuleRecord): Record<string, unknown> {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.eventPattern === undefined ? {} : { EventPattern: rule.eventPattern }),
    ...(rule.scheduleExpression === undefined ? {} : { ScheduleExpression: rule.scheduleExpression }),
    State: rule.state,
    ...(rule.description === undefined ? {} : { Description: rule.description }),
    ...(rule.roleArn === undefined ? {} : { RoleArn: rule.roleArn }),
    EventBusName: rule.eventBusName,
  };
}
