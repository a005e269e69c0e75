import {
  type EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { JsonValue } from '../json.ts';
import { isJsonObject } from '../json.ts';
import { StatesRuntimeFailure, TaskFailure } from '../task-errors.ts';
import { sdkFailure } from './sdk-failure.ts';

/**
 * `arn:aws:states:::events:putEvents`: a Detail object is sent as its JSON text, the execution and
 * state machine ARNs are appended to each entry's Resources, and any failed entry fails the task
 * with `EventBridge.FailedEntry` (the optimized integration's documented behaviour).
 */
export async function putEvents(
  client: EventBridgeClient,
  parameters: JsonValue,
  caller: { executionArn: string; stateMachineArn: string },
): Promise<JsonValue> {
  if (!isJsonObject(parameters) || !Array.isArray(parameters.Entries)) {
    throw new StatesRuntimeFailure(
      "The Parameters of an 'events:putEvents' task must set 'Entries' to an array",
    );
  }
  const entries = parameters.Entries.map((entry): PutEventsRequestEntry => {
    const { Detail, Resources, ...rest } = isJsonObject(entry) ? entry : {};
    return {
      ...(rest as PutEventsRequestEntry),
      ...(Detail === undefined
        ? {}
        : { Detail: typeof Detail === 'string' ? Detail : JSON.stringify(Detail) }),
      Resources: [
        ...(Array.isArray(Resources) ? Resources.map(String) : []),
        caller.executionArn,
        caller.stateMachineArn,
      ],
    };
  });
  let response: PutEventsCommandOutput;
  try {
    response = await client.send(new PutEventsCommand({ Entries: entries }));
  } catch (error) {
    throw sdkFailure(error, {
      prefix: 'EventBridge',
      javaServiceName: 'AmazonEventBridge',
      genericException: 'AmazonEventBridgeException',
      serviceExceptionClass: EventBridgeServiceException,
    });
  }
  const result = {
    Entries: (response.Entries ?? []).map((entry) => JSON.parse(JSON.stringify(entry)) as JsonValue),
    FailedEntryCount: response.FailedEntryCount ?? 0,
  };
  if (result.FailedEntryCount > 0) throw new TaskFailure('EventBridge.FailedEntry', JSON.stringify(result));
  return result;
}
