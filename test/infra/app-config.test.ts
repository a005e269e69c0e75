import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';

// A bad context value must stop the synthesis before any stack exists, naming the key.
describe('app context', () => {
  it.each([
    [{ stage: 'Prod!' }, /context "stage"/],
    [{ stage: 42 }, /context "stage" must be a string/],
    [{ defaultProvider: 'gpt' }, /context "defaultProvider" must be one of local, bedrock, openai/],
    [{ logRetentionDays: 31 }, /context "logRetentionDays" must be a CloudWatch Logs retention/],
    [{ apiThrottleRateLimit: '0' }, /context "apiThrottleRateLimit" must be a positive integer/],
    [{ apiThrottleBurstLimit: 'many' }, /context "apiThrottleBurstLimit" must be a positive integer/],
  ])('refuses %o', (context, message) => {
    expect(() => buildApp({ context })).toThrow(message);
  });
});
