import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { FIXTURE_BUS_NAME } from '../../fixtures/sandbox-app/app.ts';
import { eventually } from '../../fixtures/sandbox-app/eventually.ts';
import { useFixtureSandbox } from '../../fixtures/sandbox-app/fixture-sandbox.ts';

const fixture = useFixtureSandbox();

const event = {
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'OrderPlaced',
  source: 'sandbox.orders',
  account: '000000000000',
  time: '2026-01-01T00:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: { orderId: 'o-1', amount: 250, customer: { tier: 'gold', ip: '10.0.3.7' } },
};

describe('TestEventPattern through the edge', () => {
  it.each([
    ['exact values', { source: ['sandbox.orders'] }, true],
    ['a value that differs', { source: ['sandbox.billing'] }, false],
    ['prefix', { 'detail-type': [{ prefix: 'Order' }] }, true],
    ['numeric range', { detail: { amount: [{ numeric: ['>', 100, '<=', 250] }] } }, true],
    ['numeric range missed', { detail: { amount: [{ numeric: ['<', 100] }] } }, false],
    ['anything-but', { detail: { customer: { tier: [{ 'anything-but': ['silver', 'bronze'] }] } } }, true],
    ['exists: false on a present field', { detail: { orderId: [{ exists: false }] } }, false],
    ['cidr', { detail: { customer: { ip: [{ cidr: '10.0.0.0/16' }] } } }, true],
    ['$or', { $or: [{ source: ['nope'] }, { detail: { amount: [250] } }] }, true],
  ])('%s', async (_name, pattern, expected) => {
    const { Result } = await fixture.aws.eventBridge.send(
      new TestEventPatternCommand({ EventPattern: JSON.stringify(pattern), Event: JSON.stringify(event) }),
    );
    expect(Result).toBe(expected);
  });

  it('rejects an invalid pattern with InvalidEventPatternException', async () => {
    await expect(
      fixture.aws.eventBridge.send(
        new TestEventPatternCommand({
          EventPattern: JSON.stringify({ source: 'not-a-list' }),
          Event: JSON.stringify(event),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
  });
});

describe('rules on the custom bus', () => {
  it('delivers a matching event to SQS through the input transformer and to Lambda with the input path', async () => {
    const orderId = `o-${Date.now()}`;
    const { FailedEntryCount } = await fixture.aws.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: FIXTURE_BUS_NAME,
            Source: 'sandbox.orders',
            DetailType: 'OrderPlaced',
            Detail: JSON.stringify({ orderId, amount: 250 }),
          },
        ],
      }),
    );
    expect(FailedEntryCount).toBe(0);

    const message = await eventually(async () => {
      const { Messages } = await fixture.aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: fixture.outputs.OrderEventsUrl, WaitTimeSeconds: 1 }),
      );
      return Messages?.[0];
    });
    await fixture.aws.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: fixture.outputs.OrderEventsUrl,
        ReceiptHandle: message.ReceiptHandle!,
      }),
    );
    expect(JSON.parse(message.Body!)).toEqual({ orderId, amount: 250, kind: 'large-order' });

    const recorded = await eventually(async () => {
      const { Item } = await fixture.aws.dynamodb.send(
        new GetItemCommand({
          TableName: fixture.outputs.TableName,
          Key: { pk: { S: `recorded#${orderId}` } },
        }),
      );
      return Item?.detail?.S;
    });
    expect(JSON.parse(recorded)).toEqual({ orderId, amount: 250 });
  });

  it('starts a state machine execution with the event detail', async () => {
    await fixture.aws.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: FIXTURE_BUS_NAME,
            Source: 'sandbox.pipeline',
            DetailType: 'Run',
            Detail: '{"trail":["from-event"]}',
          },
        ],
      }),
    );
    const executionArn = await eventually(async () => {
      const { executions } = await fixture.aws.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: fixture.outputs.PipelineArn }),
      );
      return executions?.[0]?.executionArn;
    });
    const output = await eventually(async () => {
      const execution = await fixture.aws.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution.output;
    });
    expect(JSON.parse(output).trail).toEqual([
      'from-event',
      'validate',
      'enrich',
      'score',
      'decide',
      'record',
      'notify',
    ]);
  });
});
