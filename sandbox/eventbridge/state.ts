// What the EventBridge service holds: event buses, their rules, and each rule's targets.

import type { CompiledEventPattern } from '../../functions/core/event-pattern/event-pattern.ts';
import { AwsServiceError } from '../contracts.ts';
import { DEFAULT_EVENT_BUS, eventBusArn } from './arns.ts';
import type { Schedule } from './schedule/schedule.ts';
import type { InputTransformer } from './target-input.ts';

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** A target in the wire shape of PutTargets, so ListTargetsByRule returns what was put. */
export interface TargetRecord {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
  SqsParameters?: { MessageGroupId?: string };
  DeadLetterConfig?: { Arn?: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  [other: string]: unknown;
}

export interface RuleRecord {
  name: string;
  arn: string;
  eventBusName: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  eventPattern?: string;
  compiledPattern?: CompiledEventPattern;
  scheduleExpression?: string;
  schedule?: Schedule;
  /** Insertion-ordered, keyed by target Id. */
  targets: Map<string, TargetRecord>;
}

export interface EventBusRecord {
  name: string;
  arn: string;
  description?: string;
  creationTime: Date;
  lastModifiedTime: Date;
  rules: Map<string, RuleRecord>;
}

export class EventBridgeState {
  readonly buses = new Map<string, EventBusRecord>();

  constructor(
    readonly region: string,
    createdAt: Date,
  ) {
    // The default bus exists in every account and region and cannot be deleted.
    this.addBus(DEFAULT_EVENT_BUS, createdAt);
  }

  addBus(name: string, createdAt: Date, description?: string): EventBusRecord {
    const bus: EventBusRecord = {
      name,
      arn: eventBusArn(this.region, name),
      creationTime: createdAt,
      lastModifiedTime: createdAt,
      rules: new Map(),
      ...(description === undefined ? {} : { description }),
    };
    this.buses.set(name, bus);
    return bus;
  }

  requireBus(name: string): EventBusRecord {
    const bus = this.buses.get(name);
    if (!bus) throw new AwsServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  }

  requireRule(busName: string, ruleName: string): RuleRecord {
    const rule = this.requireBus(busName).rules.get(ruleName);
    if (!rule) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Rule ${ruleName} does not exist on EventBus ${busName}.`,
      );
    }
    return rule;
  }

  *allRules(): Iterable<RuleRecord> {
    for (const bus of this.buses.values()) yield* bus.rules.values();
  }
}
