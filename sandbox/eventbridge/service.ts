// The sandbox's EventBridge: the `AWSEvents` JSON protocol over in-memory buses, rules and targets,
// with asynchronous delivery to SQS, Step Functions and Lambda and timers for scheduled rules.

import { randomUUID } from 'node:crypto';
import {
  AwsServiceError,
  type JsonProtocolService,
  type LambdaRuntime,
  SANDBOX_ACCOUNT_ID,
  type SandboxEndpoints,
} from '../contracts.ts';
import { requiredArray } from './aws-input.ts';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from './bus-operations.ts';
import { createDeliveryQueue, type DeliveryRetrySettings } from './delivery/delivery-queue.ts';
import { createTargetSender } from './delivery/target-sender.ts';
import { type EventBridgeEvent, formatEventTime } from './event.ts';
import type { OperationContext } from './operation-context.ts';
import { ingestPutEventsEntries } from './put-events.ts';
import {
  deleteRule,
  describeRule,
  listRuleNamesByTarget,
  listRules,
  putRule,
  setRuleState,
} from './rule-operations.ts';
import { createRuleScheduler } from './schedule/rule-scheduler.ts';
import { EventBridgeState, type RuleRecord } from './state.ts';
import { renderTargetInput } from './target-input.ts';
import { listTargetsByRule, putTargets, removeTargets } from './target-operations.ts';
import { testEventPattern } from './test-event-pattern.ts';

export interface EventBridgeClock {
  now(): Date;
}

export interface EventBridgeServiceOptions {
  endpoints: SandboxEndpoints;
  lambda: Pick<LambdaRuntime, 'invoke'>;
  /** Source of event times and schedule computations; the system clock by default. */
  clock?: EventBridgeClock;
  /** Where failed deliveries without a dead-letter queue are reported; stderr by default. */
  log?: (line: string) => void;
  /** Defaults: 3 retries, 200 ms initial backoff. */
  delivery?: Partial<DeliveryRetrySettings>;
}

export interface EventBridgeService extends JsonProtocolService {
  /** Resolves when every delivery started so far has been delivered, dead-lettered or logged. */
  whenIdle(): Promise<void>;
}

/** AWS accepts at most 10 entries per PutEvents call. */
const MAX_PUT_EVENTS_ENTRIES = 10;

export function createEventBridgeService(options: EventBridgeServiceOptions): EventBridgeService {
  const clock = options.clock ?? { now: () => new Date() };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const state = new EventBridgeState(options.endpoints.region, clock.now());
  const sender = createTargetSender(options.endpoints, options.lambda);
  const deliveries = createDeliveryQueue({
    sender,
    log,
    retry: { maxRetryAttempts: 3, initialBackoffMs: 200, ...options.delivery },
  });
  const scheduler = createRuleScheduler({
    now: () => clock.now(),
    fire: (rule, scheduledTime) => deliverToTargets(rule, scheduledEvent(rule, scheduledTime), clock.now()),
  });
  const context: OperationContext = {
    state,
    now: () => clock.now(),
    ruleUpdated: (rule) => scheduler.sync(rule),
    ruleRemoved: (rule) => scheduler.cancel(rule),
  };

  function scheduledEvent(rule: RuleRecord, scheduledTime: Date): EventBridgeEvent {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: SANDBOX_ACCOUNT_ID,
      time: formatEventTime(scheduledTime),
      region: state.region,
      resources: [rule.arn],
      detail: {},
    };
  }

  function deliverToTargets(rule: RuleRecord, event: EventBridgeEvent, ingestionTime: Date): void {
    for (const target of rule.targets.values()) {
      let payload: string;
      try {
        payload = renderTargetInput(target, { event, ruleArn: rule.arn, ruleName: rule.name, ingestionTime });
      } catch (error) {
        log(
          `eventbridge: cannot build the input of target ${target.Id} of ${rule.arn}: ${(error as Error).message}`,
        );
        continue;
      }
      deliveries.enqueue({ ruleArn: rule.arn, target, payload, event });
    }
  }

  function putEvents(input: Record<string, unknown>): unknown {
    const entries = requiredArray(input, 'Entries', 1, MAX_PUT_EVENTS_ENTRIES);
    const ingestionTime = clock.now();
    const ingestion = ingestPutEventsEntries(entries, {
      region: state.region,
      now: ingestionTime,
      newEventId: randomUUID,
      busExists: (name) => state.buses.has(name),
    });
    for (const { busName, event } of ingestion.accepted) {
      for (const rule of state.buses.get(busName)?.rules.values() ?? []) {
        if (rule.state !== 'DISABLED' && rule.compiledPattern?.matches(event)) {
          deliverToTargets(rule, event, ingestionTime);
        }
      }
    }
    return {
      FailedEntryCount: ingestion.entries.filter((entry) => 'ErrorCode' in entry).length,
      Entries: ingestion.entries,
    };
  }

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    PutEvents: putEvents,
    PutRule: (input) => putRule(context, input),
    DescribeRule: (input) => describeRule(context, input),
    ListRules: (input) => listRules(context, input),
    DeleteRule: (input) => deleteRule(context, input),
    EnableRule: (input) => setRuleState(context, input, 'ENABLED'),
    DisableRule: (input) => setRuleState(context, input, 'DISABLED'),
    ListRuleNamesByTarget: (input) => listRuleNamesByTarget(context, input),
    PutTargets: (input) => putTargets(context, input),
    RemoveTargets: (input) => removeTargets(context, input),
    ListTargetsByRule: (input) => listTargetsByRule(context, input),
    TestEventPattern: testEventPattern,
    CreateEventBus: (input) => createEventBus(context, input),
    DeleteEventBus: (input) => deleteEventBus(context, input),
    DescribeEventBus: (input) => describeEventBus(context, input),
    ListEventBuses: (input) => listEventBuses(context, input),
  };

  return {
    targetPrefix: 'AWSEvents',
    async handle(operation, input) {
      const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!run) {
        throw new AwsServiceError(
          'UnknownOperationException',
          `The sandbox's EventBridge does not implement ${operation}.`,
        );
      }
      return run(input ?? {});
    },
    whenIdle: () => deliveries.whenIdle(),
    async close() {
      scheduler.close();
      await deliveries.close();
      sender.destroy();
    },
  };
}
