import type { SqsEventSourceSpec } from '../../contracts.ts';
import { generatedResourceId } from '../physical-names.ts';
import type { ResourceIdentity } from '../template-types.ts';
import { queueUrlFromArn } from './sqs-queue.ts';
import { isTrue, type StackScope, UnsupportedPropertyError } from './stack-scope.ts';

type Props = Record<string, unknown>;

const TYPE = 'AWS::Lambda::EventSourceMapping';

/** `AWS::Lambda::EventSourceMapping` with an SQS queue as source, with Lambda's defaults for SQS. */
export function sqsEventSourceSpec(
  logicalId: string,
  properties: Props,
  scope: StackScope,
): SqsEventSourceSpec {
  const queueArn = String(properties.EventSourceArn ?? '');
  if (!queueArn.startsWith('arn:aws:sqs:')) {
    throw new UnsupportedPropertyError(
      logicalId,
      TYPE,
      `only SQS sources are emulated, not ${queueArn || 'a missing EventSourceArn'}`,
    );
  }
  if (properties.FilterCriteria !== undefined) {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'FilterCriteria is not emulated');
  }
  const maximumConcurrency = (properties.ScalingConfig as Props | undefined)?.MaximumConcurrency;
  return {
    logicalId,
    functionName: String(properties.FunctionName),
    queueArn,
    queueUrl: queueUrlFromArn(queueArn, scope),
    batchSize: Number(properties.BatchSize ?? 10),
    maximumBatchingWindowSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
    reportBatchItemFailures: ((properties.FunctionResponseTypes as string[] | undefined) ?? []).includes(
      'ReportBatchItemFailures',
    ),
    ...(maximumConcurrency !== undefined ? { maximumConcurrency: Number(maximumConcurrency) } : {}),
    enabled: properties.Enabled === undefined || isTrue(properties.Enabled),
  };
}

export function eventSourceMappingIdentity(logicalId: string, scope: StackScope): ResourceIdentity {
  const id = generatedResourceId(scope.stackName, logicalId, 32);
  const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  return {
    ref: uuid,
    attributes: {
      Id: uuid,
      EventSourceMappingArn: `arn:aws:lambda:${scope.region}:${scope.accountId}:event-source-mapping:${uuid}`,
    },
  };
}
