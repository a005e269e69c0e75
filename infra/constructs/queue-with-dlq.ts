// An SQS queue with its dead-letter queue (DESIGN.md invariant 4: every queue has a DLQ and a
// maxReceiveCount): both encrypted with SQS-managed keys and reachable over TLS only; the DLQ keeps messages
// the longest SQS allows, so an operator has two weeks to fix the cause and redrive.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface QueueWithDlqProps {
  /** Receives before SQS moves a message to the DLQ. */
  readonly maxReceiveCount: number;
  /** At least six times the consuming function's timeout (AWS's guidance for Lambda event sources). */
  readonly visibilityTimeout: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A dead-letter queue on its own, for a sender that dead-letters without a queue of its own in front (an
 * EventBridge rule target's DeadLetterConfig).
 */
function deadLetterQueue(scope: Construct, id: string, removalPolicy: RemovalPolicy): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy,
  });
}

/** deadLetterQueue() for senders cdk-nag cannot see dead-lettering into it (it only follows queue redrive policies). */
export function standaloneDeadLetterQueue(
  scope: Construct,
  id: string,
  removalPolicy: RemovalPolicy,
  usedBy: string,
): Queue {
  const queue = deadLetterQueue(scope, id, removalPolicy);
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `It is a dead-letter queue: ${usedBy} dead-letter into it, which cdk-nag does not follow.`,
  });
  return queue;
}

export class QueueWithDlq extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', props.removalPolicy);
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
