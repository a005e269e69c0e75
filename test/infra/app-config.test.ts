import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readAppConfig } from '../../infra/app-config.ts';
import { buildApp } from '../../infra/build-app.ts';

const configOf = (context: Record<string, unknown>) => readAppConfig(new App({ context }).node);

// A bad context value must stop the synthesis before any stack exists, naming the key.
describe('app context', () => {
  it.each([
    [{ stage: 'Prod!' }, /context "stage"/],
    [{ stage: 42 }, /context "stage" must be a string/],
    [{ defaultProvider: 'gpt' }, /context "defaultProvider" must be one of local, bedrock, openai/],
    [{ alarmTopicName: 'ops alarms' }, /context "alarmTopicName" must be 1 to 256 letters, digits/],
    [{ alarmTopicName: '' }, /context "alarmTopicName" must be 1 to 256 letters, digits/],
    [{ alarmTopicName: 'a'.repeat(257) }, /context "alarmTopicName"/],
    [{ alarmTopicName: 7 }, /context "alarmTopicName" must be a string, got 7/],
    [{ logRetentionDays: 31 }, /context "logRetentionDays" must be a CloudWatch Logs retention/],
    [{ apiThrottleRateLimit: '0' }, /context "apiThrottleRateLimit" must be a positive integer/],
    [{ apiThrottleBurstLimit: 'many' }, /context "apiThrottleBurstLimit" must be a positive integer/],
    [
      { escalationSlaSeconds: 0 },
      /context "escalationSlaSeconds" must be an integer from 1 to 604800, got 0/,
    ],
    [
      { escalationSlaSeconds: '604801' },
      /context "escalationSlaSeconds" must be an integer from 1 to 604800/,
    ],
    [{ escalationMaxLevel: 4 }, /context "escalationMaxLevel" must be an integer from 1 to 3, got 4/],
    [{ escalationMaxLevel: '1.5' }, /context "escalationMaxLevel" must be an integer from 1 to 3/],
    [{ queueMaxAttempts: 21 }, /context "queueMaxAttempts" must be an integer from 1 to 20/],
    [{ queueDelaySeconds: '' }, /context "queueDelaySeconds" must be an integer from 1 to 3600/],
    [{ queueBackoffRate: 0.5 }, /context "queueBackoffRate" must be a number from 1 to 5, got 0.5/],
    [{ queueBackoffRate: 'fast' }, /context "queueBackoffRate" must be a number from 1 to 5/],
    [{ queueMaxDelaySeconds: 3601 }, /context "queueMaxDelaySeconds" must be an integer from 1 to 3600/],
    [{ parallelMaxConcurrency: 11 }, /context "parallelMaxConcurrency" must be an integer from 1 to 10/],
    [
      { webhookRetryDelaysSeconds: '5,x' },
      /context "webhookRetryDelaysSeconds" must be 1 to 10 whole seconds/,
    ],
    [{ webhookRetryDelaysSeconds: '' }, /context "webhookRetryDelaysSeconds" must be 1 to 10 whole seconds/],
    [{ webhookRetryDelaysSeconds: '0' }, /context "webhookRetryDelaysSeconds" must be 1 to 10 whole seconds/],
    [
      { webhookRetryDelaysSeconds: '1,1,1,1,1,1,1,1,1,1,1' },
      /context "webhookRetryDelaysSeconds" must be 1 to 10 whole seconds/,
    ],
    [{ webhookAllowPrivateUrls: 'yes' }, /context "webhookAllowPrivateUrls"/],
    [
      { webhookRetryDelaysSeconds: [5, 901] },
      /context "webhookRetryDelaysSeconds" must be 1 to 10 whole seconds/,
    ],
    [{ webhookRetryDelaysSeconds: 5 }, /context "webhookRetryDelaysSeconds" must be 1 to 10 whole seconds/],
    [{ webhookAllowPrivateUrls: 1 }, /context "webhookAllowPrivateUrls" must be true or false, got 1/],
    [
      { consumerRetryBaseSeconds: '61' },
      /context "consumerRetryBaseSeconds" must be an integer from 1 to 60/,
    ],
    [{ consumerRetryBaseSeconds: 0 }, /context "consumerRetryBaseSeconds" must be an integer from 1 to 60/],
    [
      { consumerRetryBaseSeconds: '2.5' },
      /context "consumerRetryBaseSeconds" must be an integer from 1 to 60/,
    ],
    [{ embedder: 'local' }, /context "embedder" must be an embedder config as JSON, got "local"/],
    [{ embedder: '{"kind":"bedrock",' }, /context "embedder" must be an embedder config as JSON/],
    [{ embedder: { kind: 'gpt' } }, /context "embedder" is not a valid embedder config/],
    [{ embedder: 42 }, /context "embedder" is not a valid embedder config/],
    [{ embedder: '[]' }, /context "embedder" is not a valid embedder config/],
    [{ embedder: { kind: 'local', modelId: 'x' } }, /context "embedder" is not a valid embedder config/],
    [
      { embedder: '{"kind":"bedrock","dimensions":300}' },
      /context "embedder" is not a valid embedder config: dimensions/,
    ],
    [
      { embedder: { kind: 'bedrock', modelId: 'amazon.titan-embed-text-v2:0', region: 'mars' } },
      /context "embedder" is not a valid embedder config: region/,
    ],
    [
      { embedder: { kind: 'openai', baseUrl: 'ftp://example.com', model: 'm' } },
      /context "embedder" is not a valid embedder config: baseUrl/,
    ],
  ])('refuses %o', (context, message) => {
    expect(() => buildApp({ context })).toThrow(message);
  });

  it('names the alarm topic after the stage unless context names it', () => {
    expect(configOf({}).alarmTopicName).toBe('trustgate-dev-alarms');
    expect(configOf({ stage: 'prod' }).alarmTopicName).toBe('trustgate-prod-alarms');
    expect(configOf({ stage: 'prod', alarmTopicName: 'Ops_Pager-1' }).alarmTopicName).toBe('Ops_Pager-1');
  });

  it('defaults the workflow settings as docs/backend.md says', () => {
    expect(configOf({}).workflowDefaults).toEqual({
      escalationSlaSeconds: 3600,
      escalationMaxLevel: 3,
      queueMaxAttempts: 5,
      queueDelaySeconds: 5,
      queueBackoffRate: 2,
      queueMaxDelaySeconds: 300,
      parallelMaxConcurrency: 10,
    });
  });

  it('reads the workflow settings from context, as numbers or as the strings `-c` passes', () => {
    expect(
      configOf({
        escalationSlaSeconds: '604800',
        escalationMaxLevel: 1,
        queueMaxAttempts: '20',
        queueDelaySeconds: 1,
        queueBackoffRate: '1.5',
        queueMaxDelaySeconds: 3600,
        parallelMaxConcurrency: '1',
      }).workflowDefaults,
    ).toEqual({
      escalationSlaSeconds: 604800,
      escalationMaxLevel: 1,
      queueMaxAttempts: 20,
      queueDelaySeconds: 1,
      queueBackoffRate: 1.5,
      queueMaxDelaySeconds: 3600,
      parallelMaxConcurrency: 1,
    });
  });

  it('defaults the events settings as docs/deploy.md says, and reads them as `-c` passes them', () => {
    expect(configOf({}).events).toEqual({
      webhookRetryDelaysSeconds: [5, 15, 45, 135, 405],
      webhookAllowPrivateUrls: false,
      consumerRetryBaseSeconds: 2,
    });
    expect(
      configOf({
        webhookRetryDelaysSeconds: '1, 2,3',
        webhookAllowPrivateUrls: 'true',
        consumerRetryBaseSeconds: '60',
      }).events,
    ).toEqual({
      webhookRetryDelaysSeconds: [1, 2, 3],
      webhookAllowPrivateUrls: true,
      consumerRetryBaseSeconds: 60,
    });
    expect(
      configOf({ webhookRetryDelaysSeconds: [10, 20], webhookAllowPrivateUrls: false }).events,
    ).toMatchObject({
      webhookRetryDelaysSeconds: [10, 20],
      webhookAllowPrivateUrls: false,
    });
  });

  it('embeds with the local embedder unless context names another', () => {
    expect(configOf({}).embedder).toEqual({ kind: 'local' });
  });

  it('reads the embedder from an object or from its JSON, as `-c embedder=…` passes it', () => {
    const bedrock = { kind: 'bedrock', modelId: 'amazon.titan-embed-text-v2:0', dimensions: 512 };
    expect(configOf({ embedder: bedrock }).embedder).toEqual(bedrock);
    expect(configOf({ embedder: JSON.stringify(bedrock) }).embedder).toEqual(bedrock);
    expect(
      configOf({ embedder: '{"kind":"bedrock","dimensions":1024,"region":"eu-central-1"}' }).embedder,
    ).toEqual({
      kind: 'bedrock',
      modelId: 'amazon.titan-embed-text-v2:0',
      dimensions: 1024,
      region: 'eu-central-1',
    });
    const openai = { kind: 'openai', baseUrl: 'https://api.example.com/v1', model: 'text-embedding-3-small' };
    expect(configOf({ embedder: openai }).embedder).toEqual(openai);
    expect(configOf({ embedder: '{"kind":"local"}' }).embedder).toEqual({ kind: 'local' });
  });
});
