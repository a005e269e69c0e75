import {
  DeleteItemCommand,
  type DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { JsonValue } from '../json.ts';
import { isJsonObject } from '../json.ts';
import { StatesRuntimeFailure } from '../task-errors.ts';
import { sdkFailure } from './sdk-failure.ts';
import { integrationOutput } from './sdk-output.ts';

// The request Step Functions forwards as-is; the SDK's own validation and the service judge it.
// biome-ignore lint/suspicious/noExplicitAny: each command takes the request its action names
type ForwardedRequest = any;

type SdkOutput = Parameters<typeof integrationOutput>[0];

const ACTIONS: Record<string, (client: DynamoDBClient, request: ForwardedRequest) => Promise<SdkOutput>> = {
  getItem: (client, request) => client.send(new GetItemCommand(request)),
  putItem: (client, request) => client.send(new PutItemCommand(request)),
  updateItem: (client, request) => client.send(new UpdateItemCommand(request)),
  deleteItem: (client, request) => client.send(new DeleteItemCommand(request)),
};

// Attribute-value maps in a request; their binary values (`B`, `BS`) arrive base64-encoded in JSON.
const ATTRIBUTE_VALUE_MAPS = ['Key', 'Item', 'ExpressionAttributeValues'];

/** `arn:aws:states:::dynamodb:<action>`: Parameters are the API request in DynamoDB JSON. */
export async function callDynamoDb(
  client: DynamoDBClient,
  action: string,
  parameters: JsonValue,
): Promise<JsonValue> {
  const send = ACTIONS[action];
  if (!send) throw new StatesRuntimeFailure(`The DynamoDB action '${action}' is not emulated by the sandbox`);
  if (!isJsonObject(parameters) || typeof parameters.TableName !== 'string') {
    throw new StatesRuntimeFailure(`The Parameters of a 'dynamodb:${action}' task must set 'TableName'`);
  }
  const request: Record<string, unknown> = { ...parameters };
  for (const field of ATTRIBUTE_VALUE_MAPS) {
    if (isJsonObject(parameters[field])) request[field] = decodeBinaryValues(parameters[field]);
  }
  try {
    return integrationOutput(await send(client, request));
  } catch (error) {
    throw sdkFailure(error, {
      prefix: 'DynamoDB',
      javaServiceName: 'AmazonDynamoDBv2',
      genericException: 'AmazonDynamoDBException',
      serviceExceptionClass: DynamoDBServiceException,
    });
  }
}

function decodeBinaryValues(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(decodeBinaryValues);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => {
      if (key === 'B' && typeof field === 'string') return [key, Buffer.from(field, 'base64')];
      if (key === 'BS' && Array.isArray(field))
        return [key, field.map((item) => Buffer.from(String(item), 'base64'))];
      return [key, decodeBinaryValues(field)];
    }),
  );
}
