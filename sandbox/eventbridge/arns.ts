// The ARNs EventBridge mints and the target ARNs it reads.

import { SANDBOX_ACCOUNT_ID } from '../contracts.ts';

export const DEFAULT_EVENT_BUS = 'default';

export function eventBusArn(region: string, busName: string): string {
  return `arn:aws:events:${region}:${SANDBOX_ACCOUNT_ID}:event-bus/${busName}`;
}

/** Rules on the default bus are `rule/<name>`; on a custom bus `rule/<bus>/<name>`. */
export function ruleArn(region: string, busName: string, ruleName: string): string {
  const path = busName === DEFAULT_EVENT_BUS ? ruleName : `${busName}/${ruleName}`;
  return `arn:aws:events:${region}:${SANDBOX_ACCOUNT_ID}:rule/${path}`;
}

/** An `EventBusName` parameter may be the name or the bus ARN. */
export function busNameFromParameter(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_EVENT_BUS;
  const arnMatch = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return arnMatch ? arnMatch[1]! : nameOrArn;
}

export interface ParsedArn {
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const match = /^arn:[^:]+:([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  if (!match) return undefined;
  return { service: match[1]!, region: match[2]!, account: match[3]!, resource: match[4]! };
}
