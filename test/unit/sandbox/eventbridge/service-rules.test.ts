// Rule, target and bus management through service.handle, as the SDK would call it.

import { afterEach, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../../sandbox/contracts.ts';
import {
  createEventBridgeService,
  type EventBridgeService,
} from '../../../../sandbox/eventbridge/service.ts';

const region = 'eu-west-1';
const queueArn = `arn:aws:sqs:${region}:000000000000:orders`;
let service: EventBridgeService;

function startService(): EventBridgeService {
  service = createEventBridgeService({
    endpoints: { edgeUrl: 'http://127.0.0.1:1', region },
    lambda: { invoke: async () => ({ statusCode: 202, payload: '' }) },
    log: () => {},
  });
  return service;
}

afterEach(async () => {
  await service.close();
});

async function expectAwsError(promise: Promise<unknown>, code: string, message?: string | RegExp) {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AwsServiceError);
  expect((error as AwsServiceError).code).toBe(code);
  if (message !== undefined) expect((error as AwsServiceError).message).toMatch(message);
}

describe('event buses', () => {
  it('always has the default bus', async () => {
    startService();
    expect(await service.handle('DescribeEventBus', {})).toMatchObject({
      Name: 'default',
      Arn: `arn:aws:events:${region}:000000000000:event-bus/default`,
    });
    const { EventBuses } = (await service.handle('ListEventBuses', {})) as { EventBuses: { Name: string }[] };
    expect(EventBuses.map((bus) => bus.Name)).toEqual(['default']);
  });

  it('creates, describes, lists by prefix and deletes custom buses', async () => {
    startService();
    expect(await service.handle('CreateEventBus', { Name: 'orders' })).toEqual({
      EventBusArn: `arn:aws:events:${region}:000000000000:event-bus/orders`,
    });
    await service.handle('CreateEventBus', { Name: 'audit' });
    const { EventBuses } = (await service.handle('ListEventBuses', { NamePrefix: 'ord' })) as {
      EventBuses: { Name: string }[];
    };
    expect(EventBuses.map((bus) => bus.Name)).toEqual(['orders']);
    await service.handle('DeleteEventBus', { Name: 'orders' });
    await expectAwsError(
      service.handle('DescribeEventBus', { Name: 'orders' }),
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
  });

  it('refuses a duplicate bus and the deletion of the default bus; deleting a missing bus succeeds', async () => {
    startService();
    await service.handle('CreateEventBus', { Name: 'orders' });
    await expectAwsError(
      service.handle('CreateEventBus', { Name: 'orders' }),
      'ResourceAlreadyExistsException',
    );
    await expectAwsError(service.handle('DeleteEventBus', { Name: 'default' }), 'ValidationException');
    expect(await service.handle('DeleteEventBus', { Name: 'never-created' })).toEqual({});
  });
});

describe('rules', () => {
  const pattern = JSON.stringify({ source: ['orders'] });

  it('returns the rule ARN, with the bus name for custom buses', async () => {
    startService();
    expect(await service.handle('PutRule', { Name: 'r1', EventPattern: pattern })).toEqual({
      RuleArn: `arn:aws:events:${region}:000000000000:rule/r1`,
    });
    await service.handle('CreateEventBus', { Name: 'orders' });
    expect(
      await service.handle('PutRule', {
        Name: 'r1',
        EventPattern: pattern,
        EventBusName: `arn:aws:events:${region}:000000000000:event-bus/orders`,
      }),
    ).toEqual({ RuleArn: `arn:aws:events:${region}:000000000000:rule/orders/r1` });
  });

  it('describes a rule with what was put', async () => {
    startService();
    await service.handle('PutRule', {
      Name: 'r1',
      EventPattern: pattern,
      Description: 'orders',
      State: 'DISABLED',
    });
    expect(await service.handle('DescribeRule', { Name: 'r1' })).toEqual({
      Name: 'r1',
      Arn: `arn:aws:events:${region}:000000000000:rule/r1`,
      EventPattern: pattern,
      State: 'DISABLED',
      Description: 'orders',
      EventBusName: 'default',
      CreatedBy: '000000000000',
    });
  });

  it('replaces a rule on PutRule without keeping omitted arguments', async () => {
    startService();
    await service.handle('PutRule', {
      Name: 'r1',
      EventPattern: pattern,
      Description: 'old',
      State: 'DISABLED',
    });
    await service.handle('PutRule', { Name: 'r1', ScheduleExpression: 'rate(5 minutes)' });
    const described = await service.handle('DescribeRule', { Name: 'r1' });
    expect(described).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    expect(described).not.toHaveProperty('Description');
    expect(described).not.toHaveProperty('EventPattern');
  });

  it('validates names, patterns, schedules, states and buses', async () => {
    startService();
    await expectAwsError(
      service.handle('PutRule', { EventPattern: pattern }),
      'ValidationException',
      /'name'/,
    );
    await expectAwsError(
      service.handle('PutRule', { Name: 'bad name', EventPattern: pattern }),
      'ValidationException',
      /regular expression pattern/,
    );
    await expectAwsError(
      service.handle('PutRule', { Name: 'r1' }),
      'ValidationException',
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    );
    await expectAwsError(
      service.handle('PutRule', { Name: 'r1', EventPattern: '{"source": "orders"}' }),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: "source" must be an object or an array',
    );
    await expectAwsError(
      service.handle('PutRule', { Name: 'r1', ScheduleExpression: 'rate(1 minutes)' }),
      'ValidationException',
      /^Parameter ScheduleExpression is not valid\./,
    );
    await expectAwsError(
      service.handle('PutRule', { Name: 'r1', EventPattern: pattern, State: 'ON' }),
      'ValidationException',
      /enum value set/,
    );
    await expectAwsError(
      service.handle('PutRule', { Name: 'r1', EventPattern: pattern, EventBusName: 'nope' }),
      'ResourceNotFoundException',
      'Event bus nope does not exist.',
    );
    await service.handle('CreateEventBus', { Name: 'orders' });
    await expectAwsError(
      service.handle('PutRule', {
        Name: 'r1',
        ScheduleExpression: 'rate(5 minutes)',
        EventBusName: 'orders',
      }),
      'ValidationException',
      'ScheduleExpression is supported only on the default event bus.',
    );
  });

  it('reports a missing rule with the bus it looked on', async () => {
    startService();
    await expectAwsError(
      service.handle('DescribeRule', { Name: 'nope' }),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await expectAwsError(service.handle('EnableRule', { Name: 'nope' }), 'ResourceNotFoundException');
  });

  it('lists rules of one bus by name prefix, a page at a time', async () => {
    startService();
    for (const name of ['orders-b', 'orders-a', 'audit']) {
      await service.handle('PutRule', { Name: name, EventPattern: pattern });
    }
    const first = (await service.handle('ListRules', { NamePrefix: 'orders', Limit: 1 })) as {
      Rules: { Name: string }[];
      NextToken?: string;
    };
    expect(first.Rules.map((rule) => rule.Name)).toEqual(['orders-a']);
    expect(first.NextToken).toBeDefined();
    const second = (await service.handle('ListRules', {
      NamePrefix: 'orders',
      Limit: 1,
      NextToken: first.NextToken,
    })) as {
      Rules: { Name: string }[];
      NextToken?: string;
    };
    expect(second.Rules.map((rule) => rule.Name)).toEqual(['orders-b']);
    expect(second.NextToken).toBeUndefined();
  });

  it('enables and disables a rule', async () => {
    startService();
    await service.handle('PutRule', { Name: 'r1', EventPattern: pattern });
    await service.handle('DisableRule', { Name: 'r1' });
    expect(await service.handle('DescribeRule', { Name: 'r1' })).toMatchObject({ State: 'DISABLED' });
    await service.handle('EnableRule', { Name: 'r1' });
    expect(await service.handle('DescribeRule', { Name: 'r1' })).toMatchObject({ State: 'ENABLED' });
  });

  it('refuses to delete a rule that has targets, deletes it once they are removed, and ignores missing rules', async () => {
    startService();
    await service.handle('PutRule', { Name: 'r1', EventPattern: pattern });
    await service.handle('PutTargets', { Rule: 'r1', Targets: [{ Id: 't1', Arn: queueArn }] });
    await expectAwsError(
      service.handle('DeleteRule', { Name: 'r1' }),
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    );
    await service.handle('RemoveTargets', { Rule: 'r1', Ids: ['t1'] });
    await service.handle('DeleteRule', { Name: 'r1' });
    await expectAwsError(service.handle('DescribeRule', { Name: 'r1' }), 'ResourceNotFoundException');
    expect(await service.handle('DeleteRule', { Name: 'r1' })).toEqual({});
  });
});

describe('targets', () => {
  const pattern = JSON.stringify({ source: ['orders'] });

  it('stores targets as put and lists them; PutTargets with an existing Id replaces it', async () => {
    startService();
    await service.handle('PutRule', { Name: 'r1', EventPattern: pattern });
    const target = {
      Id: 'q',
      Arn: queueArn,
      InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"id": <id>}' },
      DeadLetterConfig: { Arn: `arn:aws:sqs:${region}:000000000000:dlq` },
    };
    expect(await service.handle('PutTargets', { Rule: 'r1', Targets: [target] })).toEqual({
      FailedEntryCount: 0,
      FailedEntries: [],
    });
    await service.handle('PutTargets', {
      Rule: 'r1',
      Targets: [{ Id: 'fn', Arn: `arn:aws:lambda:${region}:000000000000:function:handler` }],
    });
    await service.handle('PutTargets', { Rule: 'r1', Targets: [target] });
    const { Targets } = (await service.handle('ListTargetsByRule', { Rule: 'r1' })) as {
      Targets: { Id: string }[];
    };
    expect(Targets.map((entry) => entry.Id)).toEqual(['q', 'fn']);
    expect(Targets[0]).toMatchObject(target);
    expect(await service.handle('ListRuleNamesByTarget', { TargetArn: queueArn })).toEqual({
      RuleNames: ['r1'],
    });
  });

  it('allows at most five targets per rule', async () => {
    startService();
    await service.handle('PutRule', { Name: 'r1', EventPattern: pattern });
    const targets = Array.from({ length: 5 }, (_, index) => ({ Id: `t${index}`, Arn: queueArn }));
    await service.handle('PutTargets', { Rule: 'r1', Targets: targets });
    await expectAwsError(
      service.handle('PutTargets', { Rule: 'r1', Targets: [{ Id: 't5', Arn: queueArn }] }),
      'LimitExceededException',
    );
  });

  it('validates targets', async () => {
    startService();
    await service.handle('PutRule', { Name: 'r1', EventPattern: pattern });
    const put = (target: Record<string, unknown>) =>
      service.handle('PutTargets', { Rule: 'r1', Targets: [target] });
    await expectAwsError(put({ Arn: queueArn }), 'ValidationException', /'id'/);
    await expectAwsError(
      put({ Id: 't', Arn: `arn:aws:sns:${region}:000000000000:topic` }),
      'ValidationException',
      /SQS queues, Step Functions state machines and Lambda functions only/,
    );
    await expectAwsError(
      put({ Id: 't', Arn: queueArn, Input: '{}', InputPath: '$.detail' }),
      'ValidationException',
      'Only one of Input, InputPath, or InputTransformer must be provided.',
    );
    await expectAwsError(
      put({ Id: 't', Arn: queueArn, Input: '{not json' }),
      'ValidationException',
      /not valid JSON/,
    );
    await expectAwsError(
      put({ Id: 't', Arn: queueArn, InputPath: 'detail' }),
      'ValidationException',
      /InputPath/,
    );
    await expectAwsError(
      put({
        Id: 't',
        Arn: queueArn,
        InputTransformer: { InputPathsMap: { 'aws.x': '$.id' }, InputTemplate: '<x>' },
      }),
      'ValidationException',
      /variable name aws.x/,
    );
    await expectAwsError(
      put({ Id: 't', Arn: `arn:aws:sqs:${region}:000000000000:orders.fifo` }),
      'ValidationException',
      'Parameter(s) SqsParameters must be specified for target: t.',
    );
    await expectAwsError(
      service.handle('PutTargets', { Rule: 'nope', Targets: [{ Id: 't', Arn: queueArn }] }),
      'ResourceNotFoundException',
    );
  });
});

describe('TestEventPattern', () => {
  const event = JSON.stringify({
    id: 'e1',
    account: '000000000000',
    source: 'orders',
    time: '2026-01-01T00:00:00Z',
    region,
    resources: [],
    'detail-type': 'Order Placed',
    detail: { total: 12 },
  });

  it('answers whether the pattern matches the event', async () => {
    startService();
    expect(
      await service.handle('TestEventPattern', {
        EventPattern: JSON.stringify({ detail: { total: [{ numeric: ['>', 10] }] } }),
        Event: event,
      }),
    ).toEqual({ Result: true });
    expect(
      await service.handle('TestEventPattern', {
        EventPattern: JSON.stringify({ source: ['other'] }),
        Event: event,
      }),
    ).toEqual({ Result: false });
  });

  it('refuses an event without the required envelope fields, and a malformed pattern', async () => {
    startService();
    await expectAwsError(
      service.handle('TestEventPattern', {
        EventPattern: JSON.stringify({ source: ['orders'] }),
        Event: JSON.stringify({ source: 'orders' }),
      }),
      'ValidationException',
      /missing required field\(s\) id, account, time, region, resources, detail-type/,
    );
    await expectAwsError(
      service.handle('TestEventPattern', { EventPattern: '{"source": [{"nope": 1}]}', Event: event }),
      'InvalidEventPatternException',
      /Unrecognized match type nope/,
    );
  });
});

it('answers an operation it does not implement with UnknownOperationException', async () => {
  startService();
  await expectAwsError(service.handle('CreateArchive', {}), 'UnknownOperationException');
});
