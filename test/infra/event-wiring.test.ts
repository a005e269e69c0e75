// The events half as it must work once deployed, checked across both stacks: every queue a function
// consumes outlasts six of that function's timeouts (AWS's advice for SQS event sources, so a message is
// not handed to a second invocation while the first still runs), every working queue dead-letters, the bus
// may actually put into each consumer's queue and its rule's DLQ (queue policies bound to the rule), and the
// schedules may invoke their functions.
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_MAX_RECEIVE_COUNT, EVENT_CONSUMER_IDS } from '../../infra/event-consumers.ts';
import { logicalIdAt, type SynthesizedApp, synthesizeTrustgateApp } from './synthesized-app.ts';
import { renderReference } from './template-references.ts';

let dev: SynthesizedApp;
beforeAll(async () => {
  dev = await synthesizeTrustgateApp();
});

/** A template resource as the assertions library returns it (untyped CloudFormation JSON). */
type Resource = ReturnType<Template['findResources']>[string];
const resources = (template: Template, type: string) =>
  template.findResources(type) as Record<string, Resource>;
const queues = () => resources(dev.statefulTemplate, 'AWS::SQS::Queue');
const arnOf = (logicalId: string) => `${logicalId}.Arn`;

describe('queues and the functions that consume them', () => {
  it('hide a message for at least 6 × the timeout of the function its event source mapping feeds', () => {
    const functions = resources(dev.statelessTemplate, 'AWS::Lambda::Function');
    const mappings = Object.values(resources(dev.statelessTemplate, 'AWS::Lambda::EventSourceMapping'));
    // The five consumers and the webhook delivery worker.
    expect(mappings).toHaveLength(EVENT_CONSUMER_IDS.length + 1);
    for (const mapping of mappings) {
      const functionId = renderReference(mapping.Properties.FunctionName, dev.statefulTemplate);
      const timeout = functions[functionId]?.Properties.Timeout;
      const queueId = renderReference(mapping.Properties.EventSourceArn, dev.statefulTemplate).replace(
        /\.Arn$/,
        '',
      );
      const visibility = queues()[queueId]?.Properties.VisibilityTimeout;
      expect(timeout, functionId).toBeGreaterThan(0);
      expect(visibility, `${queueId} → ${functionId}`).toBeGreaterThanOrEqual(6 * timeout);
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('dead-letter every queue that is not itself a dead-letter queue, after a bounded number of receives', () => {
    const all = queues();
    const queueTargets = Object.values(all).flatMap((queue) => {
      const policy = queue.Properties.RedrivePolicy;
      return policy?.deadLetterTargetArn
        ? [renderReference(policy.deadLetterTargetArn, dev.statefulTemplate)]
        : [];
    });
    // The rules' targets dead-letter into the rule-delivery DLQ, a queue of its own with no queue before it.
    const ruleTargets = Object.values(resources(dev.statefulTemplate, 'AWS::Events::Rule')).flatMap((rule) =>
      (rule.Properties.Targets ?? []).flatMap((target: Resource['Properties']) =>
        target.DeadLetterConfig ? [renderReference(target.DeadLetterConfig.Arn, dev.statefulTemplate)] : [],
      ),
    );
    expect(new Set(ruleTargets)).toEqual(new Set([arnOf(logicalIdAt(dev.stateful, 'RuleDeliveryDlq'))]));
    const deadLetterTargets = new Set([...queueTargets, ...ruleTargets]);
    const working = Object.keys(all).filter((id) => !deadLetterTargets.has(arnOf(id)));
    // The consumers' queues, webhook deliveries and undelivered events.
    expect(working).toHaveLength(EVENT_CONSUMER_IDS.length + 2);
    for (const id of working) {
      const policy = all[id]?.Properties.RedrivePolicy;
      expect(policy?.maxReceiveCount, id).toBeGreaterThanOrEqual(1);
    }
    // A dead-letter queue keeps what it holds the longest SQS allows, for an operator to redrive.
    for (const target of deadLetterTargets)
      expect(all[target.replace(/\.Arn$/, '')]?.Properties.MessageRetentionPeriod, target).toBe(14 * 86_400);
  });

  it.each(EVENT_CONSUMER_IDS)(
    '%s: its queue dead-letters at the consumer receive count, its own DLQ and no other consumer’s',
    (id) => {
      const policy = queues()[logicalIdAt(dev.stateful, `${id}Events/Queue`)]?.Properties.RedrivePolicy;
      expect(policy.maxReceiveCount).toBe(CONSUMER_MAX_RECEIVE_COUNT);
      expect(renderReference(policy.deadLetterTargetArn, dev.statefulTemplate)).toBe(
        arnOf(logicalIdAt(dev.stateful, `${id}Events/DeadLetterQueue`)),
      );
    },
  );
});

/** The Allow statements of the queue policies on `queueId`, granted to EventBridge. */
function eventBridgeStatements(queueId: string): Resource[] {
  return Object.values(resources(dev.statefulTemplate, 'AWS::SQS::QueuePolicy'))
    .filter((policy) =>
      (policy.Properties.Queues as { Ref: string }[]).some((queue) => queue.Ref === queueId),
    )
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Resource[] }).Statement)
    .filter(
      (statement) =>
        statement.Effect === 'Allow' &&
        JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' }),
    );
}

describe('the bus may deliver', () => {
  it.each(EVENT_CONSUMER_IDS)(
    '%s: only its own rule may send into its queue, and into the rule-delivery DLQ',
    (id) => {
      const ruleArn = arnOf(logicalIdAt(dev.stateful, `${id}Rule`));
      for (const path of [`${id}Events/Queue`, 'RuleDeliveryDlq']) {
        const queueId = logicalIdAt(dev.stateful, path);
        const fromRule = eventBridgeStatements(queueId).filter(
          (statement) =>
            renderReference(statement.Condition.ArnEquals['aws:SourceArn'], dev.statefulTemplate) === ruleArn,
        );
        expect(fromRule, path).toHaveLength(1);
        expect([fromRule[0]!.Action].flat(), path).toContain('sqs:SendMessage');
        expect(renderReference(fromRule[0]!.Resource, dev.statefulTemplate), path).toBe(arnOf(queueId));
      }
      // No other rule may fill this consumer's queue.
      const senders = eventBridgeStatements(logicalIdAt(dev.stateful, `${id}Events/Queue`));
      expect(senders).toHaveLength(1);
    },
  );

  it('no queue accepts EventBridge without a rule condition', () => {
    for (const queueId of Object.keys(queues()))
      for (const statement of eventBridgeStatements(queueId))
        expect(statement.Condition, queueId).toHaveProperty(['ArnEquals', 'aws:SourceArn']);
  });
});

describe('schedules', () => {
  it.each([
    ['DlqMonitor', 'DlqMonitorSchedule'],
    ['DecaySweep', 'DecaySweepSchedule'],
  ] as const)('%s may be invoked by its schedule rule, and by nothing else', (id, ruleId) => {
    const functionId = logicalIdAt(dev.stateless, `${id}/Function`);
    const permissions = Object.values(resources(dev.statelessTemplate, 'AWS::Lambda::Permission')).filter(
      (permission) =>
        renderReference(permission.Properties.FunctionName, dev.statefulTemplate) === arnOf(functionId),
    );
    expect(permissions.map((permission) => permission.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [logicalIdAt(dev.stateless, ruleId), 'Arn'] },
      },
    ]);
  });

  it('are on the default bus: the trustgate bus carries only trustgate events', () => {
    for (const ruleId of ['DlqMonitorSchedule', 'DecaySweepSchedule']) {
      const rule = resources(dev.statelessTemplate, 'AWS::Events::Rule')[logicalIdAt(dev.stateless, ruleId)];
      expect(rule?.Properties.EventBusName, ruleId).toBeUndefined();
      expect(rule?.Properties.State ?? 'ENABLED', ruleId).toBe('ENABLED');
    }
  });
});
