// A DynamoDB table with the settings every trustgate table shares (docs/backend.md): on-demand billing,
// point-in-time recovery, and deletion guarded outside the `dev` stage.
import { RemovalPolicy } from 'aws-cdk-lib';
import { type Attribute, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

export interface TrustgateTableProps {
  readonly partitionKey: Attribute;
  readonly sortKey?: Attribute;
  /** Attribute holding an epoch-seconds expiry, for items DynamoDB may delete on its own. */
  readonly timeToLiveAttribute?: string;
  readonly removalPolicy: RemovalPolicy;
}

export class TrustgateTable extends Table {
  constructor(scope: Construct, id: string, props: TrustgateTableProps) {
    super(scope, id, {
      partitionKey: props.partitionKey,
      ...(props.sortKey ? { sortKey: props.sortKey } : {}),
      ...(props.timeToLiveAttribute ? { timeToLiveAttribute: props.timeToLiveAttribute } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy,
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
    });
  }
}
