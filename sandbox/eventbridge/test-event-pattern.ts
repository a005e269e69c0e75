// TestEventPattern: does a pattern match a sample event? AWS requires the event's envelope fields.

import { requiredString, validationError } from './aws-input.ts';
import { compileEventPattern } from './rule-operations.ts';

const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];

export function testEventPattern(input: Record<string, unknown>): unknown {
  const pattern = compileEventPattern(requiredString(input, 'EventPattern'));
  const eventText = requiredString(input, 'Event');
  let event: unknown;
  try {
    event = JSON.parse(eventText);
  } catch {
    throw validationError('Parameter Event is not valid. Reason: the event is not valid JSON.');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw validationError('Parameter Event is not valid. Reason: the event must be a JSON object.');
  }
  const missing = REQUIRED_EVENT_FIELDS.filter((field) => !(field in event));
  if (missing.length > 0) {
    throw validationError(
      `Parameter Event is not valid. Reason: missing required field(s) ${missing.join(', ')}.`,
    );
  }
  return { Result: pattern.matches(event) };
}
