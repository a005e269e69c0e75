import { generatedPhysicalName } from '../physical-names.ts';
import type { ResourceIdentity } from '../template-types.ts';
import { isTrue, type StackScope } from './stack-scope.ts';

export interface QueueSpec {
  queueName: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

type Props = Record<string, unknown>;

/** Template properties that are SQS queue attributes of the same name. */
const PLAIN_ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'KmsMasterKeyId',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
];

/** `AWS::SQS::Queue` → CreateQueue input. Redrive policies are objects in templates, JSON strings in the API. */
export function queueSpec(logicalId: string, properties: Props, scope: StackScope): QueueSpec {
  const fifo = isTrue(properties.FifoQueue);
  const queueName =
    (properties.QueueName as string | undefined) ??
    generatedPhysicalName(scope.stackName, logicalId, {
      maxLength: 80,
      ...(fifo ? { ending: '.fifo' } : {}),
    });
  const attributes: Record<string, string> = {};
  for (const name of PLAIN_ATTRIBUTES) {
    if (properties[name] !== undefined) attributes[name] = String(properties[name]);
  }
  if (fifo) attributes.FifoQueue = 'true';
  for (const name of ['RedrivePolicy', 'RedriveAllowPolicy']) {
    const policy = properties[name];
    if (policy !== undefined) attributes[name] = typeof policy === 'string' ? policy : JSON.stringify(policy);
  }
  const tags = Object.fromEntries(
    ((properties.Tags as { Key: string; Value: string }[] | undefined) ?? []).map((tag) => [
      tag.Key,
      tag.Value,
    ]),
  );
  return { queueName, attributes, tags };
}

export function queueUrl(queueName: string, scope: StackScope): string {
  return `${scope.edgeUrl}/${scope.accountId}/${queueName}`;
}

/** `arn:aws:sqs:<region>:<account>:<name>` → the queue's URL at the edge. */
export function queueUrlFromArn(queueArn: string, scope: StackScope): string {
  return queueUrl(queueArn.split(':').at(-1)!, scope);
}

export function queueIdentity(queueName: string, scope: StackScope): ResourceIdentity {
  const url = queueUrl(queueName, scope);
  return {
    ref: url,
    attributes: {
      Arn: `arn:aws:sqs:${scope.region}:${scope.accountId}:${queueName}`,
      QueueName: queueName,
      QueueUrl: url,
    },
  };
}
