// PutEvents: entry validation, the event as delivered, routing to enabled matching rules, input
// transformation, asynchronous delivery with retries, and scheduled rules. Lambda targets make the
// deliveries observable without an SQS emulator (SQS delivery is covered by the integration test).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsServiceError, type LambdaRuntime } from '../../../../sandbox/contracts.ts';
import {
  createEventBridgeService,
  type EventBridgeService,
} from '../../../../sandbox/eventbridge/service.ts';

const region = 'eu-west-1';
const functionArn = `arn:aws:lambda:${region}:000000000000:function:consumer`;

interface Invocation {
  functionName: string;
  payload: string;
  invocationType: string | undefined;
}

let service: EventBridgeService;
let invocations: Invocation[];
let logLines: string[];

/** `failures` are thrown by the first invocations, in order. */
function startService(failures: Error[] = []): EventBridgeService {
  invocations = [];
  logLines = [];
  const lambda: Pick<LambdaRuntime, 'invoke'> = {
    async invoke(functionName, payload, invocationType) {
      invocations.push({ functionName, payload, invocationType });
      const failure = failures.shift();
      if (failure) throw failure;
      return { statusCode: 202, payload: '' };
    },
  };
  service = createEventBridgeService({
    endpoints: { edgeUrl: 'http://127.0.0.1:1', region },
    lambda,
    log: (line) => logLines.push(line),
    delivery: { initialBackoffMs: 1 },
  });
  return service;
}

afterEach(async () => {
  vi.useRealTimers();
  await service.close();
});

async function ruleWithLambdaTarget(pattern: object, target: Record<string, unknown> = {}, bus?: string) {
  await service.handle('PutRule', {
    Name: 'consumer-rule',
    EventPattern: JSON.stringify(pattern),
    ...(bus ? { EventBusName: bus } : {}),
  });
  await service.handle('PutTargets', {
    Rule: 'consumer-rule',
    ...(bus ? { EventBusName: bus } : {}),
    Targets: [{ Id: 'consumer', Arn: functionArn, ...target }],
  });
}

function orderPlaced(detail: object = { orderId: 'o-1', total: 42 }, extra: object = {}) {
  return { Source: 'shop.orders', DetailType: 'Order Placed', Detail: JSON.stringify(detail), ...extra };
}

describe('PutEvents validation', () => {
  it('fails invalid entries one by one and accepts the others', async () => {
    startService();
    const result = (await service.handle('PutEvents', {
      Entries: [
        orderPlaced(),
        { DetailType: 'x', Detail: '{}' },
        { Source: 's', Detail: '{}' },
        { Source: 's', DetailType: 'x' },
        { Source: 's', DetailType: 'x', Detail: '{not json' },
        { Source: 's', DetailType: 'x', Detail: '[1, 2]' },
        { Source: 'aws.ec2', DetailType: 'x', Detail: '{}' },
        orderPlaced({}, { EventBusName: 'missing-bus' }),
      ],
    })) as { FailedEntryCount: number; Entries: Record<string, string>[] };
    expect(result.FailedEntryCount).toBe(7);
    expect(result.Entries[0]).toEqual({ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(result.Entries.slice(1)).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus missing-bus does not exist.' },
    ]);
  });

  it('refuses more than 10 entries and requests over 256 KB as a whole', async () => {
    startService();
    const refused = (entries: unknown[]) =>
      service.handle('PutEvents', { Entries: entries }).then(
        () => undefined,
        (error: AwsServiceError) => error.code,
      );
    expect(await refused(Array.from({ length: 11 }, () => orderPlaced()))).toBe('ValidationException');
    expect(await refused([])).toBe('ValidationException');
    expect(await refused([orderPlaced({ blob: 'x'.repeat(256 * 1024) })])).toBe('ValidationException');
  });
});

describe('PutEvents delivery', () => {
  it('delivers the event as AWS builds it to the targets of matching rules, after answering', async () => {
    startService();
    await ruleWithLambdaTarget({ source: ['shop.orders'], detail: { total: [{ numeric: ['>', 10] }] } });
    const result = (await service.handle('PutEvents', {
      Entries: [
        orderPlaced(undefined, { Resources: ['arn:aws:x'], Time: Date.UTC(2026, 0, 2, 3, 4, 5, 678) / 1000 }),
      ],
    })) as { Entries: { EventId: string }[] };
    // PutEvents returns before delivery, as in AWS.
    expect(invocations).toEqual([]);
    await service.whenIdle();

    expect(invocations).toHaveLength(1);
    expect(invocations[0]).toMatchObject({ functionName: functionArn, invocationType: 'Event' });
    expect(JSON.parse(invocations[0]!.payload)).toEqual({
      version: '0',
      id: result.Entries[0]!.EventId,
      'detail-type': 'Order Placed',
      source: 'shop.orders',
      account: '000000000000',
      time: '2026-01-02T03:04:05Z',
      region,
      resources: ['arn:aws:x'],
      detail: { orderId: 'o-1', total: 42 },
    });
  });

  it('stamps the event time with seconds precision when the entry has none', async () => {
    startService();
    await ruleWithLambdaTarget({ source: ['shop.orders'] });
    await service.handle('PutEvents', { Entries: [orderPlaced()] });
    await service.whenIdle();
    expect(JSON.parse(invocations[0]!.payload).time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('skips rules that do not match, rules that are disabled and rules on other buses', async () => {
    startService();
    await ruleWithLambdaTarget({ source: ['shop.orders'], detail: { total: [{ numeric: ['>', 100] }] } });
    await service.handle('PutEvents', { Entries: [orderPlaced()] });
    await service.whenIdle();
    expect(invocations).toEqual([]);

    await ruleWithLambdaTarget({ source: ['shop.orders'] });
    await service.handle('DisableRule', { Name: 'consumer-rule' });
    await service.handle('PutEvents', { Entries: [orderPlaced()] });
    await service.whenIdle();
    expect(invocations).toEqual([]);

    await service.handle('EnableRule', { Name: 'consumer-rule' });
    await service.handle('CreateEventBus', { Name: 'other' });
    await service.handle('PutEvents', { Entries: [orderPlaced({}, { EventBusName: 'other' })] });
    await service.whenIdle();
    expect(invocations).toEqual([]);
  });

  it('routes events put on a custom bus, named by ARN, to that bus’s rules', async () => {
    startService();
    await service.handle('CreateEventBus', { Name: 'orders' });
    await ruleWithLambdaTarget({ source: ['shop.orders'] }, {}, 'orders');
    await service.handle('PutEvents', {
      Entries: [orderPlaced({}, { EventBusName: `arn:aws:events:${region}:000000000000:event-bus/orders` })],
    });
    await service.whenIdle();
    expect(invocations).toHaveLength(1);
  });

  it('delivers the InputTransformer output', async () => {
    startService();
    await ruleWithLambdaTarget(
      { source: ['shop.orders'] },
      {
        InputTransformer: {
          InputPathsMap: { order: '$.detail.orderId', total: '$.detail.total' },
          InputTemplate:
            '{"order": <order>, "summary": "order <order> totals <total>", "rule": <aws.events.rule-name>}',
        },
      },
    );
    await service.handle('PutEvents', { Entries: [orderPlaced()] });
    await service.whenIdle();
    expect(JSON.parse(invocations[0]!.payload)).toEqual({
      order: 'o-1',
      summary: 'order o-1 totals 42',
      rule: 'consumer-rule',
    });
  });

  it('delivers Input and InputPath payloads', async () => {
    startService();
    await ruleWithLambdaTarget({ source: ['shop.orders'] }, { InputPath: '$.detail' });
    await service.handle('PutTargets', {
      Rule: 'consumer-rule',
      Targets: [{ Id: 'constant', Arn: `${functionArn}-2`, Input: '{"kind":"constant"}' }],
    });
    await service.handle('PutEvents', { Entries: [orderPlaced()] });
    await service.whenIdle();
    const payloads = Object.fromEntries(
      invocations.map((call) => [call.functionName, JSON.parse(call.payload)]),
    );
    expect(payloads).toEqual({
      [functionArn]: { orderId: 'o-1', total: 42 },
      [`${functionArn}-2`]: { kind: 'constant' },
    });
  });

  it('retries throttled deliveries with backoff until they succeed', async () => {
    const throttled = () => new AwsServiceError('TooManyRequestsException', 'Rate exceeded', 429);
    startService([throttled(), throttled()]);
    await ruleWithLambdaTarget({ source: ['shop.orders'] });
    await service.handle('PutEvents', { Entries: [orderPlaced()] });
    await service.whenIdle();
    expect(invocations).toHaveLength(3);
    expect(logLines).toEqual([]);
  });

  it('stops after the target RetryPolicy and reports the failure when there is no dead-letter queue', async () => {
    const throttled = () => new AwsServiceError('TooManyRequestsException', 'Rate exceeded', 429);
    startService([throttled(), throttled(), throttled()]);
    await ruleWithLambdaTarget({ source: ['shop.orders'] }, { RetryPolicy: { MaximumRetryAttempts: 1 } });
    await service.handle('PutEvents', { Entries: [orderPlaced()] });
    await service.whenIdle();
    expect(invocations).toHaveLength(2);
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toContain('failed after 1 retries (TooManyRequestsException: Rate exceeded)');
  });

  it('does not retry a missing function', async () => {
    startService([new AwsServiceError('ResourceNotFoundException', 'Function not found: consumer', 404)]);
    await ruleWithLambdaTarget({ source: ['shop.orders'] });
    await service.handle('PutEvents', { Entries: [orderPlaced()] });
    await service.whenIdle();
    expect(invocations).toHaveLength(1);
    expect(logLines[0]).toContain('failed after 0 retries (ResourceNotFoundException');
  });
});

describe('scheduled rules', () => {
  it('deliver the Scheduled Event on each tick while enabled', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
      now: new Date('2026-03-01T10:00:30Z'),
    });
    startService();
    const { RuleArn } = (await service.handle('PutRule', {
      Name: 'hourly',
      ScheduleExpression: 'cron(0 * * * ? *)',
    })) as { RuleArn: string };
    await service.handle('PutTargets', { Rule: 'hourly', Targets: [{ Id: 'consumer', Arn: functionArn }] });

    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    await service.whenIdle();
    expect(invocations).toHaveLength(1);
    expect(JSON.parse(invocations[0]!.payload)).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-03-01T11:00:00Z',
      region,
      resources: [RuleArn],
      detail: {},
    });

    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    await service.whenIdle();
    expect(invocations).toHaveLength(2);

    await service.handle('DisableRule', { Name: 'hourly' });
    await vi.advanceTimersByTimeAsync(3 * 60 * 60 * 1000);
    await service.whenIdle();
    expect(invocations).toHaveLength(2);
  });

  it('stop firing once the service is closed', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
      now: new Date('2026-03-01T10:00:00Z'),
    });
    startService();
    await service.handle('PutRule', { Name: 'often', ScheduleExpression: 'rate(1 minute)' });
    await service.handle('PutTargets', { Rule: 'often', Targets: [{ Id: 'consumer', Arn: functionArn }] });
    await service.close();
    await vi.advanceTimersByTimeAsync(10 * 60 * 1000);
    expect(invocations).toEqual([]);
  });
});
