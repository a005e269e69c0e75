import {
  SendMessageCommand,
  type SendMessageCommandInput,
  type SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import type { JsonValue } from '../json.ts';
import { isJsonObject } from '../json.ts';
import { StatesRuntimeFailure } from '../task-errors.ts';
import { sdkFailure } from './sdk-failure.ts';
import { integrationOutput } from './sdk-output.ts';

/** `arn:aws:states:::sqs:sendMessage`: a MessageBody that is not a string is sent as its JSON text. */
export async function sendSqsMessage(client: SQSClient, parameters: JsonValue): Promise<JsonValue> {
  if (
    !isJsonObject(parameters) ||
    typeof parameters.QueueUrl !== 'string' ||
    parameters.MessageBody === undefined
  ) {
    throw new StatesRuntimeFailure(
      "The Parameters of a 'sqs:sendMessage' task must set 'QueueUrl' and 'MessageBody'",
    );
  }
  const { MessageBody, ...rest } = parameters;
  const input = {
    ...rest,
    MessageBody: typeof MessageBody === 'string' ? MessageBody : JSON.stringify(MessageBody),
  } as SendMessageCommandInput;
  try {
    return integrationOutput(await client.send(new SendMessageCommand(input)));
  } catch (error) {
    throw sdkFailure(error, {
      prefix: 'SQS',
      javaServiceName: 'AmazonSQS',
      genericException: 'AmazonSQSException',
      serviceExceptionClass: SQSServiceException,
    });
  }
}
