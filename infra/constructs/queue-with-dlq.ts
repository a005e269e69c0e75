// An SQS queue with its dead-letter queue (DESIGN.md invariant 4: every queue has a DLQ and a
// maxReceiveCount): both encrypted with SQS-managed keys and reachable over TLS only; the DLQ keeps messages
// the longest SQS allows, so an operator has two weeks to fix the cause and redrive.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface QueueWithDlqProps {
  /** Receives before SQS moves a message to the DLQ. */
  readonly maxReceiveCount: number;
  /** At least six times the consuming function's timeout (AWS's guidance for Lambda event sources). */
  readonly visibilityTimeout: Duration;
  readonly removalPolicy: RemovalPolicy;
}

export class QueueWithDlq extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      removalPolicy: props.removalPolicy,
    });
  }
}
