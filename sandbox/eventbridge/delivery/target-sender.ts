// Sends one payload to one target through the same APIs AWS EventBridge uses: SQS SendMessage and
// Step Functions StartExecution via the AWS SDK at the edge, Lambda as an asynchronous invocation.

import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LambdaRuntime, SandboxEndpoints } from '../../contracts.ts';
import { targetKind } from './target-kind.ts';

export interface TargetMessage {
  targetArn: string;
  payload: string;
  /** SqsParameters.MessageGroupId, for FIFO queues. */
  messageGroupId?: string;
  /** FIFO queues deduplicate on the event id. */
  deduplicationId: string;
}

export interface TargetSender {
  send(message: TargetMessage): Promise<void>;
  /** A dead-letter message: the body plus EventBridge's string attributes (RULE_ARN, ERROR_CODE...). */
  sendToQueue(queueArn: string, body: string, attributes: Record<string, string>): Promise<void>;
  destroy(): void;
}

export function createTargetSender(
  endpoints: SandboxEndpoints,
  lambda: Pick<LambdaRuntime, 'invoke'>,
): TargetSender {
  const clientConfig = {
    endpoint: endpoints.edgeUrl,
    region: endpoints.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // The delivery queue retries with its own backoff; SDK retries would multiply the attempts.
    maxAttempts: 1,
  };
  const sqs = new SQSClient(clientConfig);
  const sfn = new SFNClient(clientConfig);

  async function queueUrl(queueName: string): Promise<string> {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    if (!QueueUrl) throw new Error(`GetQueueUrl returned no URL for ${queueName}`);
    return QueueUrl;
  }

  return {
    async send(message) {
      const kind = targetKind(message.targetArn);
      if (!kind) throw new Error(`Unsupported target ${message.targetArn}`);
      switch (kind.service) {
        case 'sqs':
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: await queueUrl(kind.queueName),
              MessageBody: message.payload,
              ...(kind.fifo
                ? { MessageGroupId: message.messageGroupId, MessageDeduplicationId: message.deduplicationId }
                : {}),
            }),
          );
          return;
        case 'states':
          await sfn.send(
            new StartExecutionCommand({ stateMachineArn: kind.stateMachineArn, input: message.payload }),
          );
          return;
        case 'lambda':
          await lambda.invoke(kind.functionArn, message.payload, 'Event');
          return;
      }
    },
    async sendToQueue(queueArn, body, attributes) {
      const kind = targetKind(queueArn);
      if (kind?.service !== 'sqs') throw new Error(`Dead-letter target ${queueArn} is not an SQS queue`);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: await queueUrl(kind.queueName),
          MessageBody: body,
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      );
    },
    destroy() {
      sqs.destroy();
      sfn.destroy();
    },
  };
}
