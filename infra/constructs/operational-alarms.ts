// The operational alarms of a stage (docs/backend.md "Alarms"), all notifying one SNS topic whose name is
// configured (`alarmTopicName`), so operators subscribe once and hear about every kind of trouble:
//   - a dead-letter queue holding anything: work the platform gave up on, which nobody will retry by itself;
//   - the HTTP API answering 5xx to more than 5 % of its requests;
//   - a function throttled by Lambda: work delayed or, for synchronous callers, refused;
//   - a workflow execution failed or timed out. The flows end every unsuccessful run in a Fail state, after
//     recording it (FAILED or COMPENSATED), so this counts policy denials too, not only faults;
//   - an escalation timed out at its workflow's maximum level: a step denied because nobody reviewed it.
// Every alarm also sends its OK transition, so a notification thread ends when the trouble does, and treats
// missing data as not breaching: most of these metrics only exist while something happens.
//
// The topic is encrypted with a key of its own. The AWS-managed `alias/aws/sns` key would satisfy cdk-nag
// (AwsSolutions-SNS2), but its key policy cannot be changed and does not let CloudWatch use it, so alarm
// actions on a topic encrypted with it fail ("CloudWatch Alarms does not have authorization to access the
// SNS topic encryption key"). A customer-managed key, rotated yearly (AwsSolutions-KMS5), lets CloudWatch in.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OperationalAlarmsProps {
  /** Part of every alarm name (alarm names are unique per account and region). */
  readonly stage: string;
  readonly topicName: string;
  /** Every dead-letter queue, by the name its alarm carries (the DLQ monitor's MONITORED_DLQ_URLS names). */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** The HTTP API's stage, whose requests and 5xx answers the error-rate alarm compares. */
  readonly httpApi: { readonly apiId: string; readonly stageName: string };
  /** Every function of the app, by the name its throttle alarm carries. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** The flows, by the name their alarms carry. */
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  /**
   * Where the escalate function's Powertools metrics land: the namespace and `service` dimension every
   * function is given (TrustgateFunction's POWERTOOLS_ENVIRONMENT), and the name of the timeout metric.
   */
  readonly escalationTimeouts: {
    readonly namespace: string;
    readonly service: string;
    readonly metricName: string;
  };
}

/** Above this share of 5xx answers (percent) in five minutes the API is failing its callers. */
export const HTTP_5XX_RATE_THRESHOLD_PERCENT = 5;

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

export class OperationalAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const alarmNamePrefix = `trustgate-${props.stage}-`;

    const key = new Key(this, 'TopicKey', {
      description: `Encrypts the ${props.topicName} alarm notifications`,
      enableKeyRotation: true,
      // It protects notifications in flight only, nothing stored: it may go with its stack on every stage.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // What AWS documents for alarms on an encrypted topic. No source conditions here: the key encrypts this
    // topic alone, and the topic's own policy below decides which alarms may publish to it.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheTopicKey',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: `trustgate ${props.stage} alarms`,
      masterKey: key,
      // A topic policy denying every request not made over TLS (AwsSolutions-SNS3). Being a topic policy, it
      // replaces SNS's default one, so CloudWatch is allowed to publish explicitly, below.
      enforceSSL: true,
    });
    // Only this stage's alarms, of this account and region (no confused deputy).
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowThisStagesAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:${alarmNamePrefix}*`,
          },
        },
      }),
    );
    this.action = new SnsAction(this.topic);

    const alarm = (id: string, name: string, description: string, metric: IMetric, threshold = 0) =>
      this.addAlarm(id, { alarmName: `${alarmNamePrefix}${name}`, description, metric, threshold });

    for (const [name, queue] of Object.entries(props.deadLetterQueues))
      alarm(
        `DeadLetters-${name}`,
        `dlq-${name}`,
        `The ${name} dead-letter queue holds messages: work that failed every attempt and waits for an ` +
          'operator to fix the cause and redrive it (docs/backend.md "Events").',
        queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ONE_MINUTE }),
      );

    const apiMetric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.httpApi.apiId, Stage: props.httpApi.stageName },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    alarm(
      'Http5xxRate',
      'http-5xx-rate',
      `More than ${HTTP_5XX_RATE_THRESHOLD_PERCENT} % of the HTTP API's requests answered 5xx in five minutes: ` +
        'see the functions’ errors and logs.',
      new MathExpression({
        // No request, no rate: five idle minutes give 0, not a division by nothing. 5xx is FILLed because
        // API Gateway may report requests in a period without a 5xx datapoint.
        expression: `IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: { requests: apiMetric('Count'), errors: apiMetric('5xx') },
        period: FIVE_MINUTES,
        label: 'HTTP 5xx rate (%)',
      }),
      HTTP_5XX_RATE_THRESHOLD_PERCENT,
    );
    // API Gateway's own 429s are deliberately not alarmed: they are the configured rate limit doing its job
    // (apiThrottleRateLimit / apiThrottleBurstLimit), and a caller told to slow down is not an outage.

    // One alarm per function rather than a metric-math sum: an alarm can combine at most 10 metrics, there are
    // more functions than that, and an alarm that names its function says where to look.
    for (const [name, fn] of Object.entries(props.functions))
      alarm(
        `Throttles-${name}`,
        `throttles-${name}`,
        `Lambda throttled the ${name} function: invocations were delayed or refused for lack of concurrency ` +
          '(account limit or the function’s reserved concurrency).',
        fn.metricThrottles({ statistic: 'Sum', period: ONE_MINUTE }),
      );

    for (const [name, stateMachine] of Object.entries(props.stateMachines)) {
      alarm(
        `ExecutionsFailed-${name}`,
        `${name}-executions-failed`,
        `A ${name} workflow execution ended failed: a step failed (gate denial, rejected or unanswered ` +
          'escalation, provider or bookkeeping error) or a saga compensated; see the workflow’s error.',
        stateMachine.metricFailed({ statistic: 'Sum', period: ONE_MINUTE }),
      );
      alarm(
        `ExecutionsTimedOut-${name}`,
        `${name}-executions-timed-out`,
        `A ${name} workflow execution timed out: it ran past the state machine's limit without finishing.`,
        stateMachine.metricTimedOut({ statistic: 'Sum', period: ONE_MINUTE }),
      );
    }

    const { namespace, service, metricName } = props.escalationTimeouts;
    alarm(
      'EscalationTimeouts',
      'escalation-timeouts',
      'An escalation passed its SLA at the workflow’s maximum level with no reviewer’s answer, so its step ' +
        'was denied (timeout = deny): reviewers are missing or not notified.',
      new Metric({
        namespace,
        metricName,
        // The one dimension Powertools puts on every metric of the app (EMF `service`).
        dimensionsMap: { service },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
    );
  }

  private addAlarm(
    id: string,
    props: { alarmName: string; description: string; metric: IMetric; threshold: number },
  ): Alarm {
    const created = new Alarm(this, id, {
      alarmName: props.alarmName,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(this.action);
    created.addOkAction(this.action);
    this.alarms.push(created);
    return created;
  }
}
