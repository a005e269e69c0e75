// CreateEventBus, DeleteEventBus, DescribeEventBus, ListEventBuses.

import { AwsServiceError } from '../contracts.ts';
import { DEFAULT_EVENT_BUS } from './arns.ts';
import { optionalString, requiredString, requireNamePattern, validationError } from './aws-input.ts';
import { epochSeconds, type OperationContext } from './operation-context.ts';
import { paginate } from './pagination.ts';
import type { EventBusRecord } from './state.ts';

const BUS_NAME_PATTERN = /^[/.\-_A-Za-z0-9]+$/;

export function createEventBus(context: OperationContext, input: Record<string, unknown>): unknown {
  const name = requiredString(input, 'Name');
  requireNamePattern('Name', name, BUS_NAME_PATTERN, 256);
  if (context.state.buses.has(name)) {
    throw new AwsServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  }
  const bus = context.state.addBus(name, context.now(), optionalString(input, 'Description'));
  return { EventBusArn: bus.arn, ...(bus.description === undefined ? {} : { Description: bus.description }) };
}

/** Deleting a bus that does not exist succeeds, as in AWS; its rules go with it. */
export function deleteEventBus(context: OperationContext, input: Record<string, unknown>): unknown {
  const name = requiredString(input, 'Name');
  if (name === DEFAULT_EVENT_BUS) throw validationError('Cannot delete event bus default.');
  const bus = context.state.buses.get(name);
  if (bus) {
    for (const rule of bus.rules.values()) context.ruleRemoved(rule);
    context.state.buses.delete(name);
  }
  return {};
}

export function describeEventBus(context: OperationContext, input: Record<string, unknown>): unknown {
  const bus = context.state.requireBus(optionalString(input, 'Name') ?? DEFAULT_EVENT_BUS);
  return describe(bus);
}

export function listEventBuses(context: OperationContext, input: Record<string, unknown>): unknown {
  const prefix = optionalString(input, 'NamePrefix') ?? '';
  const buses = [...context.state.buses.values()]
    .filter((bus) => bus.name.startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name));
  const { page, NextToken } = paginate(buses, input);
  return { EventBuses: page.map(describe), ...(NextToken ? { NextToken } : {}) };
}

function describe(bus: EventBusRecord): Record<string, unknown> {
  return {
    Name: bus.name,
    Arn: bus.arn,
    ...(bus.description === undefined ? {} : { Description: bus.description }),
    CreationTime: epochSeconds(bus.creationTime),
    LastModifiedTime: epochSeconds(bus.lastModifiedTime),
  };
}
