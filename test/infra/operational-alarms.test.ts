// The operational alarms of docs/backend.md "Alarms", as synthesized: each one notifying the configured topic
// on ALARM and OK, and reading exactly the metric its trouble shows up in — down to the custom metric's
// namespace and dimensions, checked against what Powertools really emits with the functions' environment.
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ESCALATION_METRICS } from '../../functions/app/escalations/escalation-metrics.ts';
import type { StatefulStack } from '../../infra/stacks/stateful-stack.ts';
import { logicalIdAt, type SynthesizedApp, synthesizeTrustgateApp } from './synthesized-app.ts';
import { renderReference } from './template-references.ts';

type CfnValue = Parameters<typeof renderReference>[0];
interface CfnAlarm {
  Properties: {
    AlarmName: string;
    AlarmActions: CfnValue[];
    OKActions: CfnValue[];
    TreatMissingData: string;
    ComparisonOperator: string;
    Threshold: number;
    EvaluationPeriods: number;
    Namespace?: string;
    MetricName?: string;
    Statistic?: string;
    Period?: number;
    Dimensions?: { Name: string; Value: CfnValue }[];
    Metrics?: {
      Id: string;
      Expression?: string;
      ReturnData?: boolean;
      MetricStat?: {
        Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: CfnValue }[] };
        Period: number;
        Stat: string;
      };
    }[];
  };
}

interface CfnFunction {
  Properties: { Environment: { Variables: Record<string, string> } };
}

let dev: SynthesizedApp;
let named: SynthesizedApp;
beforeAll(async () => {
  dev = await synthesizeTrustgateApp();
  named = await synthesizeTrustgateApp({ alarmTopicName: 'ops-pager' });
});

const alarms = (app: SynthesizedApp) =>
  Object.values(app.statelessTemplate.findResources('AWS::CloudWatch::Alarm')) as CfnAlarm[];
const alarmsOn = (metricName: string) =>
  alarms(dev).filter((alarm) => alarm.Properties.MetricName === metricName);
/** A dimension's value as a readable reference: `Gate5D0A1B2C` (a Ref) or `<stateful logical id>.QueueName`. */
const dimension = (alarm: CfnAlarm, name: string) =>
  renderReference(
    alarm.Properties.Dimensions?.find((d) => d.Name === name)?.Value ?? null,
    dev.statefulTemplate,
  );
const logicalIdsOf = (type: string) => Object.keys(dev.statelessTemplate.findResources(type)).sort();
const topicLogicalId = () => logicalIdAt(dev.stateless, 'OperationalAlarms/Topic');

describe('the alarm topic', () => {
  it('is named by `alarmTopicName`, trustgate-<stage>-alarms by default, and is a stack output', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'trustgate-dev-alarms' });
    named.statelessTemplate.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'ops-pager' });
    dev.statelessTemplate.hasOutput('AlarmTopicArn', { Value: { Ref: topicLogicalId() } });
  });

  it('is encrypted with a rotated key of its own that CloudWatch may use (alias/aws/sns would not let it)', () => {
    const keyId = logicalIdAt(dev.stateless, 'OperationalAlarms/TopicKey');
    dev.statelessTemplate.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    dev.statelessTemplate.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it('refuses requests without TLS and lets only this stage’s alarms of this account publish', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicLogicalId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              StringEquals: { 'aws:SourceAccount': Match.anyValue() },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':alarm:trustgate-dev-\\*$')])],
                },
              },
            },
          }),
        ]),
      },
    });
  });
});

describe('every alarm', () => {
  it('notifies the topic when it fires and when it clears, and takes no data for no trouble', () => {
    const all = alarms(dev);
    expect(all.length).toBeGreaterThan(0);
    for (const { Properties: alarm } of all) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicLogicalId() }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicLogicalId() }]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(alarm.EvaluationPeriods).toBe(1);
      expect(alarm.AlarmName).toMatch(/^trustgate-dev-/);
    }
    // Names are unique per account and region: the stage keeps two stages' apart.
    expect(new Set(all.map((alarm) => alarm.Properties.AlarmName)).size).toBe(all.length);
  });
});

describe('dead-letter queues', () => {
  it('alarm one each, on any visible message within a minute', () => {
    const stateful = dev.stateful as StatefulStack;
    const queueName = (queue: IConstruct) =>
      `${stateful.getLogicalId(queue.node.defaultChild as CfnElement)}.QueueName`;
    // Independently of the stack's own list: every redrive target in the stateful stack, plus the two queues
    // that are dead-letter queues without being one's redrive target.
    const redriveTargets = Object.values(dev.statefulTemplate.findResources('AWS::SQS::Queue'))
      .map((queue) => queue.Properties.RedrivePolicy?.deadLetterTargetArn)
      .filter((target) => target !== undefined)
      .map((target) => `${(target['Fn::GetAtt'] as string[])[0]}.QueueName`);
    expect(redriveTargets).toHaveLength(Object.keys(stateful.consumerQueues).length + 2);
    const expected = [
      ...redriveTargets,
      queueName(stateful.undeliveredEvents.queue),
      queueName(stateful.ruleDeliveryDlq),
    ].sort();

    const dlqAlarms = alarmsOn('ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms.map((alarm) => dimension(alarm, 'QueueName')).sort()).toEqual(expected);
    for (const { Properties: alarm } of dlqAlarms)
      expect(alarm).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Period: 60, Threshold: 0 });
    expect(dlqAlarms.map((alarm) => alarm.Properties.AlarmName).sort()).toEqual(
      [
        'alert-service',
        'analytics',
        'audit-logger',
        'rule-delivery',
        'trust-calculator',
        'undelivered-events',
        'undelivered-events-dlq',
        'webhook-deliveries',
        'webhook-dispatcher',
      ].map((name) => `trustgate-dev-dlq-${name}`),
    );
  });
});

describe('the HTTP API', () => {
  it('alarms when more than 5 % of five minutes’ requests answered 5xx, and reads no traffic as 0 %', () => {
    const [rate, ...others] = alarms(dev).filter((alarm) => alarm.Properties.Metrics !== undefined);
    expect(others).toEqual([]);
    const { Metrics: metrics = [], Threshold } = rate!.Properties;
    expect(Threshold).toBe(5);
    const expression = metrics.find((metric) => metric.Expression !== undefined);
    expect(expression?.Expression).toBe('IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)');
    const apiId = logicalIdsOf('AWS::ApiGatewayV2::Api');
    expect(apiId).toHaveLength(1);
    const stat = (id: string) => metrics.find((metric) => metric.Id === id)?.MetricStat;
    for (const [id, metricName] of [
      ['requests', 'Count'],
      ['errors', '5xx'],
    ] as const)
      expect(stat(id)).toEqual({
        Metric: {
          Namespace: 'AWS/ApiGateway',
          MetricName: metricName,
          Dimensions: [
            { Name: 'ApiId', Value: { Ref: apiId[0] } },
            { Name: 'Stage', Value: '$default' },
          ],
        },
        Period: 300,
        Stat: 'Sum',
      });
    // API Gateway's 429s are the rate limit working: no alarm reads 4xx.
    expect(alarmsOn('4xx')).toEqual([]);
  });
});

describe('Lambda throttles', () => {
  it('alarm on every function of the stack, one each', () => {
    const throttles = alarmsOn('Throttles');
    expect(throttles.map((alarm) => dimension(alarm, 'FunctionName')).sort()).toEqual(
      logicalIdsOf('AWS::Lambda::Function'),
    );
    for (const { Properties: alarm } of throttles)
      expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 60, Threshold: 0 });
  });
});

describe('the flows', () => {
  it.each(['ExecutionsFailed', 'ExecutionsTimedOut'])('alarm on %s of each of the three', (metricName) => {
    const flowAlarms = alarmsOn(metricName);
    const stateMachines = logicalIdsOf('AWS::StepFunctions::StateMachine');
    expect(stateMachines).toHaveLength(3);
    expect(flowAlarms.map((alarm) => dimension(alarm, 'StateMachineArn')).sort()).toEqual(stateMachines);
    for (const { Properties: alarm } of flowAlarms)
      expect(alarm).toMatchObject({ Namespace: 'AWS/States', Statistic: 'Sum', Threshold: 0 });
    expect(flowAlarms.map((alarm) => alarm.Properties.AlarmName).sort()).toEqual(
      ['parallel-fanout', 'saga', 'sequential-pipeline'].map(
        (flow) =>
          `trustgate-dev-${flow}-executions-${metricName === 'ExecutionsFailed' ? 'failed' : 'timed-out'}`,
      ),
    );
  });
});

describe('escalation timeouts', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  /** The environment the escalate function runs with, as the template gives it. */
  const escalateEnvironment = () => {
    const resources = dev.statelessTemplate.toJSON().Resources as Record<string, CfnFunction>;
    return resources[logicalIdAt(dev.stateless, 'Escalate/Function')]!.Properties.Environment.Variables;
  };

  it('alarm on the escalate function’s EscalationTimedOut in its namespace, with its service dimension', () => {
    const [timeouts, ...others] = alarmsOn(ESCALATION_METRICS.timedOut);
    expect(others).toEqual([]);
    const environment = escalateEnvironment();
    expect(timeouts!.Properties).toMatchObject({
      Namespace: environment.POWERTOOLS_METRICS_NAMESPACE,
      MetricName: 'EscalationTimedOut',
      Dimensions: [{ Name: 'service', Value: environment.POWERTOOLS_SERVICE_NAME }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
    });
  });

  it('read exactly what Powertools emits in that environment (EMF namespace, dimensions, name)', async () => {
    const environment = escalateEnvironment();
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', environment.POWERTOOLS_SERVICE_NAME);
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', environment.POWERTOOLS_METRICS_NAMESPACE);
    vi.resetModules();
    const { metrics } = await import('../../functions/observability/powertools.ts');
    const { MetricUnit } = await import('@aws-lambda-powertools/metrics');
    metrics.addMetric(ESCALATION_METRICS.timedOut, MetricUnit.Count, 1);
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    };
    metrics.clearMetrics();

    const [timeouts] = alarmsOn(ESCALATION_METRICS.timedOut);
    const { Namespace, MetricName, Dimensions = [] } = timeouts!.Properties;
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive!.Namespace).toBe(Namespace);
    expect(directive!.Metrics.map((metric) => metric.Name)).toEqual([MetricName]);
    // CloudWatch files an EMF metric under exactly its dimension set: the alarm's must be the same set.
    expect(directive!.Dimensions).toEqual([Dimensions.map((d) => d.Name)]);
    for (const { Name, Value } of Dimensions) expect(emf[Name]).toBe(Value);
  });
});
