import { describe, expect, it } from 'vitest';
import { generatedPhysicalName, generatedResourceId } from '../../../../sandbox/deploy/physical-names.ts';

describe('generatedPhysicalName', () => {
  it('follows CloudFormation: <stack>-<logicalId>-<SUFFIX>, the same every time', () => {
    const name = generatedPhysicalName('Shop', 'OrdersQueue1A2B3C4D', { maxLength: 80 });
    expect(name).toMatch(/^Shop-OrdersQueue1A2B3C4D-[A-Z0-9]{12}$/);
    expect(generatedPhysicalName('Shop', 'OrdersQueue1A2B3C4D', { maxLength: 80 })).toBe(name);
    expect(generatedPhysicalName('Shop', 'OtherQueue', { maxLength: 80 })).not.toBe(name);
  });

  it('cuts the readable part to fit the limit and keeps a required ending', () => {
    const name = generatedPhysicalName('AVeryLongStackNameIndeed', 'AndAnEvenLongerLogicalIdForTheQueue', {
      maxLength: 40,
      ending: '.fifo',
    });
    expect(name).toHaveLength(40);
    expect(name).toMatch(/^AVeryLongStackNameInde-[A-Z0-9]{12}\.fifo$/);
  });

  it('omits the stack name where CloudFormation does (state machines)', () => {
    expect(generatedPhysicalName('Shop', 'Flow', { maxLength: 80, includeStackName: false })).toMatch(
      /^Flow-[A-Z0-9]{12}$/,
    );
  });
});

describe('generatedResourceId', () => {
  it('is lower-case alphanumeric of the requested length and deterministic', () => {
    expect(generatedResourceId('Shop', 'Api')).toMatch(/^[a-z0-9]{10}$/);
    expect(generatedResourceId('Shop', 'Api')).toBe(generatedResourceId('Shop', 'Api'));
  });
});
