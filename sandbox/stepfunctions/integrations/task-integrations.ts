import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LambdaRuntime, SandboxEndpoints } from '../../contracts.ts';
import type { JsonValue } from '../json.ts';
import { callDynamoDb } from './dynamodb.ts';
import { putEvents } from './eventbridge.ts';
import { invokeLambdaFunction, invokeLambdaIntegration } from './lambda.ts';
import { sendSqsMessage } from './sqs.ts';
import type { TaskResource } from './task-resource.ts';

export interface TaskCaller {
  executionArn: string;
  stateMachineArn: string;
}

/** Performs the service call behind a Task state: Lambda in process, other services through the edge. */
export interface TaskIntegrations {
  call(resource: TaskResource, parameters: JsonValue, caller: TaskCaller): Promise<JsonValue>;
  close(): void;
}

export function createTaskIntegrations(options: {
  endpoints: SandboxEndpoints;
  lambda: Pick<LambdaRuntime, 'invoke'>;
}): TaskIntegrations {
  const clientConfig = {
    endpoint: options.endpoints.edgeUrl,
    region: options.endpoints.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  // Clients are created on first use: most state machines call one or two services.
  let sqs: SQSClient | undefined;
  let dynamoDb: DynamoDBClient | undefined;
  let eventBridge: EventBridgeClient | undefined;

  return {
    call(resource, parameters, caller) {
      switch (resource.service) {
        case 'lambda':
          return resource.lambdaFunctionArn === undefined
            ? invokeLambdaIntegration(options.lambda, parameters)
            : invokeLambdaFunction(options.lambda, resource.lambdaFunctionArn, parameters);
        case 'sqs':
          sqs ??= new SQSClient(clientConfig);
          return sendSqsMessage(sqs, parameters);
        case 'dynamodb':
          dynamoDb ??= new DynamoDBClient(clientConfig);
          return callDynamoDb(dynamoDb, resource.action, parameters);
        case 'events':
          eventBridge ??= new EventBridgeClient(clientConfig);
          return putEvents(eventBridge, parameters, caller);
      }
    },
    close() {
      sqs?.destroy();
      dynamoDb?.destroy();
      eventBridge?.destroy();
    },
  };
}
