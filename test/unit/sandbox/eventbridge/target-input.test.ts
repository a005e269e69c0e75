import { describe, expect, it } from 'vitest';
import type { EventBridgeEvent } from '../../../../sandbox/eventbridge/event.ts';
import { compileJsonPath } from '../../../../sandbox/eventbridge/json-path.ts';
import { applyInputTransformer, renderTargetInput } from '../../../../sandbox/eventbridge/target-input.ts';

// The EC2 event of the AWS "input transformation" page.
const event: EventBridgeEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING', count: 3, tags: { team: 'a' } },
};

const context = {
  event,
  ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/my-rule',
  ruleName: 'my-rule',
  ingestionTime: new Date('2015-11-11T21:29:55.123Z'),
};

const paths = { instance: '$.detail.instance-id', state: '$.detail.state' };

describe('applyInputTransformer', () => {
  it('inserts strings as JSON strings outside quotes (the documented JSON template)', () => {
    const output = applyInputTransformer(
      {
        InputPathsMap: paths,
        InputTemplate: '{"instance": <instance>, "state": [9, <state>, true], "Transformed": "Yes"}',
      },
      context,
    );
    expect(output).toBe('{"instance": "i-0123456789", "state": [9, "RUNNING", true], "Transformed": "Yes"}');
  });

  it('inserts strings as text inside quotes (the documented string template)', () => {
    const output = applyInputTransformer(
      { InputPathsMap: paths, InputTemplate: '"instance <instance> is in <state>"' },
      context,
    );
    expect(output).toBe('"instance i-0123456789 is in RUNNING"');
    expect(
      applyInputTransformer({ InputPathsMap: paths, InputTemplate: '{"id": "<instance>"}' }, context),
    ).toBe('{"id": "i-0123456789"}');
  });

  it('inserts numbers the same way in and out of quotes', () => {
    const output = applyInputTransformer(
      { InputPathsMap: { count: '$.detail.count' }, InputTemplate: '{"n": <count>, "s": "<count> items"}' },
      context,
    );
    expect(output).toBe('{"n": 3, "s": "3 items"}');
  });

  it('inserts an object as JSON outside quotes and without its internal quotes inside them', () => {
    const output = applyInputTransformer(
      {
        InputPathsMap: { tags: '$.detail.tags' },
        InputTemplate: '{"tags": <tags>, "Body": "You need to <tags>"}',
      },
      context,
    );
    expect(output).toBe('{"tags": {"team":"a"}, "Body": "You need to {team:a}"}');
  });

  it('provides the predefined variables', () => {
    const output = applyInputTransformer(
      {
        InputTemplate:
          '{"name": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "at": <aws.events.event.ingestion-time>, "event": <aws.events.event>, "full": <aws.events.event.json>}',
      },
      context,
    );
    const { detail: _detail, ...withoutDetail } = event;
    expect(JSON.parse(output)).toEqual({
      name: 'my-rule',
      arn: context.ruleArn,
      at: '2015-11-11T21:29:55.123Z',
      event: withoutDetail,
      full: event,
    });
  });

  it('renders a path missing from the event as null outside quotes and as nothing inside them', () => {
    const output = applyInputTransformer(
      { InputPathsMap: { gone: '$.detail.gone' }, InputTemplate: '{"a": <gone>, "b": "x<gone>y"}' },
      context,
    );
    expect(output).toBe('{"a": null, "b": "xy"}');
  });

  it('leaves text that is not a declared variable untouched', () => {
    const output = applyInputTransformer(
      { InputPathsMap: paths, InputTemplate: '"a <b> c <instance>"' },
      context,
    );
    expect(output).toBe('"a <b> c i-0123456789"');
  });

  it('does not mistake an escaped quote for the end of a string', () => {
    const output = applyInputTransformer(
      { InputPathsMap: paths, InputTemplate: '{"q": "say \\"<state>\\""}' },
      context,
    );
    expect(output).toBe('{"q": "say \\"RUNNING\\""}');
  });
});

describe('renderTargetInput', () => {
  it('delivers the whole event by default', () => {
    expect(JSON.parse(renderTargetInput({}, context))).toEqual(event);
  });

  it('delivers a constant Input as is', () => {
    expect(renderTargetInput({ Input: '{"fixed":true}' }, context)).toBe('{"fixed":true}');
  });

  it('delivers the part of the event at InputPath', () => {
    expect(JSON.parse(renderTargetInput({ InputPath: '$.detail' }, context))).toEqual(event.detail);
    expect(renderTargetInput({ InputPath: '$.detail.state' }, context)).toBe('"RUNNING"');
  });
});

describe('compileJsonPath', () => {
  const document = { detail: { items: [{ id: 'a' }, { id: 'b' }], 'with-dash': 1, 'a/b': 2 } };

  it('follows dots, brackets, indices and wildcards', () => {
    expect(compileJsonPath('$').evaluate(document)).toBe(document);
    expect(compileJsonPath('$.detail.items[1].id').evaluate(document)).toBe('b');
    expect(compileJsonPath("$.detail['with-dash']").evaluate(document)).toBe(1);
    expect(compileJsonPath('$.detail.with-dash').evaluate(document)).toBe(1);
    expect(compileJsonPath('$.detail.a/b').evaluate(document)).toBe(2);
    expect(compileJsonPath('$.detail.items[*].id').evaluate(document)).toEqual(['a', 'b']);
  });

  it('yields undefined for what the document does not have', () => {
    expect(compileJsonPath('$.detail.items[5].id').evaluate(document)).toBeUndefined();
    expect(compileJsonPath('$.nothing.here').evaluate(document)).toBeUndefined();
  });

  it('rejects paths outside the supported syntax', () => {
    expect(() => compileJsonPath('detail.x')).toThrow('must start with $');
    expect(() => compileJsonPath('$..x')).toThrow('unsupported JSON path syntax');
  });
});
