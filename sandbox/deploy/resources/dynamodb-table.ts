import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { generatedPhysicalName } from '../physical-names.ts';
import type { ResourceIdentity } from '../template-types.ts';
import { isTrue, type StackScope } from './stack-scope.ts';

export interface TableSpec {
  createTable: CreateTableCommandInput;
  /** Set through UpdateTimeToLive after creation, as CloudFormation does. */
  timeToLiveAttribute?: string;
}

type Props = Record<string, unknown>;

/** `AWS::DynamoDB::Table` → CreateTable input. Encryption, PITR, tags and table class are not emulated. */
export function tableSpec(logicalId: string, properties: Props, scope: StackScope): TableSpec {
  const tableName =
    (properties.TableName as string | undefined) ??
    generatedPhysicalName(scope.stackName, logicalId, { maxLength: 255 });
  const billingMode =
    (properties.BillingMode as 'PROVISIONED' | 'PAY_PER_REQUEST' | undefined) ?? 'PROVISIONED';
  const streamViewType = (properties.StreamSpecification as Props | undefined)?.StreamViewType;
  const ttl = properties.TimeToLiveSpecification as { AttributeName?: string; Enabled?: unknown } | undefined;
  const createTable = {
    TableName: tableName,
    KeySchema: properties.KeySchema,
    AttributeDefinitions: properties.AttributeDefinitions,
    BillingMode: billingMode,
    ...(billingMode === 'PROVISIONED'
      ? { ProvisionedThroughput: throughput(properties.ProvisionedThroughput) }
      : {}),
    ...(properties.GlobalSecondaryIndexes
      ? {
          GlobalSecondaryIndexes: (properties.GlobalSecondaryIndexes as Props[]).map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
            ...(billingMode === 'PROVISIONED'
              ? { ProvisionedThroughput: throughput(index.ProvisionedThroughput) }
              : {}),
          })),
        }
      : {}),
    ...(properties.LocalSecondaryIndexes
      ? {
          LocalSecondaryIndexes: (properties.LocalSecondaryIndexes as Props[]).map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
          })),
        }
      : {}),
    ...(streamViewType
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: streamViewType } }
      : {}),
    ...(properties.DeletionProtectionEnabled !== undefined
      ? { DeletionProtectionEnabled: isTrue(properties.DeletionProtectionEnabled) }
      : {}),
  } as CreateTableCommandInput;
  const ttlEnabled = ttl && isTrue(ttl.Enabled);
  return {
    createTable,
    ...(ttlEnabled && ttl.AttributeName ? { timeToLiveAttribute: ttl.AttributeName } : {}),
  };
}

/** Templates may carry numbers as strings; missing throughput is left for DynamoDB to reject, as AWS does. */
function throughput(value: unknown): { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined {
  if (value === undefined) return undefined;
  const provisioned = value as Props;
  return {
    ReadCapacityUnits: Number(provisioned.ReadCapacityUnits),
    WriteCapacityUnits: Number(provisioned.WriteCapacityUnits),
  };
}

export function tableIdentity(
  tableName: string,
  scope: StackScope,
  latestStreamArn?: string,
): ResourceIdentity {
  const arn = `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${tableName}`;
  return {
    ref: tableName,
    attributes: { Arn: arn, ...(latestStreamArn ? { StreamArn: latestStreamArn } : {}) },
  };
}
