// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is CloudFormation Fn::Sub / DefinitionSubstitutions syntax, not JavaScript.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { supportOf } from '../../../../sandbox/deploy/resource-types.ts';
import { tableSpec } from '../../../../sandbox/deploy/resources/dynamodb-table.ts';
import { sqsEventSourceSpec } from '../../../../sandbox/deploy/resources/event-source-mapping.ts';
import { ruleIdentity, ruleSpec } from '../../../../sandbox/deploy/resources/events.ts';
import { lambdaFunctionSpec } from '../../../../sandbox/deploy/resources/lambda-function.ts';
import { notEmulatedIdentity } from '../../../../sandbox/deploy/resources/not-emulated.ts';
import { queueIdentity, queueSpec } from '../../../../sandbox/deploy/resources/sqs-queue.ts';
import type { StackScope } from '../../../../sandbox/deploy/resources/stack-scope.ts';
import { stateMachineSpec } from '../../../../sandbox/deploy/resources/state-machine.ts';

const scope: StackScope = {
  stackName: 'Shop',
  region: 'eu-west-1',
  accountId: '000000000000',
  edgeUrl: 'http://127.0.0.1:4566',
};

describe('tableSpec', () => {
  it('keeps keys, indexes and billing, and enables TTL separately as CloudFormation does', () => {
    const spec = tableSpec(
      'Orders',
      {
        TableName: 'orders',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: '5', WriteCapacityUnits: 2 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'bySk',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
      scope,
    );
    expect(spec.timeToLiveAttribute).toBe('expiresAt');
    expect(spec.createTable).toMatchObject({
      TableName: 'orders',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: [
        { IndexName: 'byStatus', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      ],
      LocalSecondaryIndexes: [{ IndexName: 'bySk' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('generates a name when none is given and sends no throughput on demand', () => {
    const spec = tableSpec(
      'Orders',
      { KeySchema: [], AttributeDefinitions: [], BillingMode: 'PAY_PER_REQUEST' },
      scope,
    );
    expect(spec.createTable.TableName).toMatch(/^Shop-Orders-[A-Z0-9]{12}$/);
    expect(spec.createTable.ProvisionedThroughput).toBeUndefined();
    expect(spec.timeToLiveAttribute).toBeUndefined();
  });
});

describe('queueSpec', () => {
  it('turns template properties into SQS attributes, the redrive policy as JSON', () => {
    const spec = queueSpec(
      'Work',
      {
        VisibilityTimeout: 30,
        MessageRetentionPeriod: 1209600,
        RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:000000000000:dlq', maxReceiveCount: 3 },
        Tags: [{ Key: 'team', Value: 'core' }],
      },
      scope,
    );
    expect(spec.attributes).toEqual({
      VisibilityTimeout: '30',
      MessageRetentionPeriod: '1209600',
      RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:000000000000:dlq","maxReceiveCount":3}',
    });
    expect(spec.tags).toEqual({ team: 'core' });
  });

  it('names generated FIFO queues with the .fifo ending SQS requires', () => {
    const spec = queueSpec('Ordered', { FifoQueue: true, ContentBasedDeduplication: true }, scope);
    expect(spec.queueName).toMatch(/^Shop-Ordered-[A-Z0-9]{12}\.fifo$/);
    expect(spec.attributes).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  });

  it('gives the URL at the edge as Ref and the ARN in the sandbox account', () => {
    expect(queueIdentity('jobs', scope)).toEqual({
      ref: 'http://127.0.0.1:4566/000000000000/jobs',
      attributes: {
        Arn: 'arn:aws:sqs:eu-west-1:000000000000:jobs',
        QueueName: 'jobs',
        QueueUrl: 'http://127.0.0.1:4566/000000000000/jobs',
      },
    });
  });
});

describe('ruleSpec', () => {
  it('serialises the pattern and keeps targets with their input transformer and dead-letter queue', () => {
    const spec = ruleSpec(
      'OrderPlaced',
      {
        EventBusName: 'shop-bus',
        EventPattern: { source: ['shop'] },
        State: 'ENABLED',
        Targets: [
          {
            Id: 'Target0',
            Arn: 'arn:aws:sqs:eu-west-1:000000000000:orders',
            InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"id":<id>}' },
            DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:000000000000:dlq' },
          },
        ],
      },
      scope,
    );
    expect(spec.putRule).toEqual({
      Name: expect.stringMatching(/^Shop-OrderPlaced-/),
      EventBusName: 'shop-bus',
      EventPattern: '{"source":["shop"]}',
      State: 'ENABLED',
    });
    expect(spec.putTargets?.Targets?.[0]).toMatchObject({
      InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"id":<id>}' },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:000000000000:dlq' },
    });
    expect(ruleIdentity(spec, scope).ref).toBe(`shop-bus|${spec.putRule.Name}`);
  });

  it('leaves the default bus implicit and keeps schedule rules', () => {
    const spec = ruleSpec(
      'Tick',
      {
        Name: 'tick',
        EventBusName: 'arn:aws:events:eu-west-1:000000000000:event-bus/default',
        ScheduleExpression: 'rate(1 minute)',
      },
      scope,
    );
    expect(spec.putRule).toEqual({ Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
    expect(spec.putTargets).toBeUndefined();
    expect(ruleIdentity(spec, scope)).toEqual({
      ref: 'tick',
      attributes: { Arn: 'arn:aws:events:eu-west-1:000000000000:rule/tick' },
    });
  });

  it('refuses target kinds that are not emulated', () => {
    expect(() =>
      ruleSpec('R', { Targets: [{ Id: 'T', Arn: 'arn:aws:ecs:x', EcsParameters: {} }] }, scope),
    ).toThrow(/R \(AWS::Events::Rule\): target T uses EcsParameters/);
  });
});

describe('stateMachineSpec', () => {
  it('replaces DefinitionSubstitutions in DefinitionString', () => {
    const spec = stateMachineSpec(
      'Flow',
      {
        RoleArn: 'arn:aws:iam::000000000000:role/flow',
        DefinitionString:
          '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${FnArn}","End":true}},"Comment":"${Unknown}"}',
        DefinitionSubstitutions: { FnArn: 'arn:aws:lambda:eu-west-1:000000000000:function:f' },
      },
      scope,
    );
    expect(JSON.parse(spec.definition!)).toEqual({
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:000000000000:function:f', End: true },
      },
      Comment: '${Unknown}',
    });
    expect(spec.name).toMatch(/^Flow-[A-Z0-9]{12}$/);
    expect(spec.type).toBe('STANDARD');
  });

  it('accepts Definition as an object and refuses S3 locations', () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    expect(
      JSON.parse(stateMachineSpec('F', { RoleArn: 'r', Definition: definition }, scope).definition!),
    ).toEqual(definition);
    expect(() =>
      stateMachineSpec('F', { RoleArn: 'r', DefinitionS3Location: { Bucket: 'b' } }, scope),
    ).toThrow(/DefinitionS3Location is not emulated/);
  });
});

describe('lambdaFunctionSpec', () => {
  const assemblyDir = mkdtempSync(join(tmpdir(), 'assembly-'));
  const codeDir = join(assemblyDir, 'asset.abc123');
  writeFileSync(join(assemblyDir, 'asset.zip123.zip'), '');
  mkdirSync(codeDir);

  it('reads code from the aws:asset:path metadata and applies Lambda defaults', () => {
    const spec = lambdaFunctionSpec(
      'Handler',
      { Type: 'AWS::Lambda::Function', Metadata: { 'aws:asset:path': 'asset.abc123' } },
      {
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Environment: { Variables: { TABLE: 'orders', RETRIES: 3 } },
      },
      scope,
      { assemblyDir, fileAssets: {} },
    );
    expect(spec).toEqual({
      logicalId: 'Handler',
      functionName: expect.stringMatching(/^Shop-Handler-[A-Z0-9]{12}$/),
      arn: expect.stringMatching(/^arn:aws:lambda:eu-west-1:000000000000:function:Shop-Handler-/),
      codeDir: expect.stringMatching(/asset\.abc123$/),
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      environment: { TABLE: 'orders', RETRIES: '3' },
      timeoutSeconds: 3,
      memorySizeMb: 128,
    });
  });

  it('finds the asset by the S3 key hash when metadata is absent, and keeps reserved concurrency', () => {
    const spec = lambdaFunctionSpec(
      'Handler',
      { Type: 'AWS::Lambda::Function' },
      {
        Handler: 'a.b',
        Runtime: 'nodejs22.x',
        Code: { S3Bucket: 'x', S3Key: 'abc123.zip' },
        ReservedConcurrentExecutions: 0,
        Timeout: 10,
      },
      scope,
      { assemblyDir, fileAssets: { abc123: codeDir } },
    );
    expect(spec.codeDir).toBe(codeDir);
    expect(spec.reservedConcurrency).toBe(0);
    expect(spec.timeoutSeconds).toBe(10);
  });

  it('refuses inline code and archives, naming the function', () => {
    const resource = { Type: 'AWS::Lambda::Function' };
    expect(() =>
      lambdaFunctionSpec('Inline', resource, { Code: { ZipFile: 'exports.handler=()=>1' } }, scope, {
        assemblyDir,
        fileAssets: {},
      }),
    ).toThrow(/Inline \(AWS::Lambda::Function\): inline code/);
    expect(() =>
      lambdaFunctionSpec(
        'Zipped',
        { ...resource, Metadata: { 'aws:asset:path': 'asset.zip123.zip' } },
        {},
        scope,
        {
          assemblyDir,
          fileAssets: {},
        },
      ),
    ).toThrow(/Zipped .* is an archive/);
  });
});

describe('sqsEventSourceSpec', () => {
  it('applies Lambda defaults for SQS and reads partial batch responses and scaling', () => {
    expect(
      sqsEventSourceSpec(
        'Mapping',
        {
          EventSourceArn: 'arn:aws:sqs:eu-west-1:000000000000:work',
          FunctionName: 'consumer',
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: 2 },
        },
        scope,
      ),
    ).toEqual({
      logicalId: 'Mapping',
      functionName: 'consumer',
      queueArn: 'arn:aws:sqs:eu-west-1:000000000000:work',
      queueUrl: 'http://127.0.0.1:4566/000000000000/work',
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      reportBatchItemFailures: true,
      maximumConcurrency: 2,
      enabled: true,
    });
  });

  it('refuses sources other than SQS and filter criteria', () => {
    expect(() =>
      sqsEventSourceSpec(
        'M',
        { EventSourceArn: 'arn:aws:dynamodb:eu-west-1:0:table/t/stream/x', FunctionName: 'f' },
        scope,
      ),
    ).toThrow(/only SQS sources/);
    expect(() =>
      sqsEventSourceSpec(
        'M',
        { EventSourceArn: 'arn:aws:sqs:eu-west-1:0:q', FunctionName: 'f', FilterCriteria: {} },
        scope,
      ),
    ).toThrow(/FilterCriteria is not emulated/);
  });
});

describe('resource support', () => {
  it('emulates, accepts without emulating, or refuses each type', () => {
    expect(supportOf('AWS::SQS::Queue')).toBe('emulated');
    expect(supportOf('AWS::ApiGatewayV2::Route')).toBe('emulated');
    expect(supportOf('AWS::IAM::Role')).toBe('not-emulated');
    expect(supportOf('AWS::Logs::LogGroup')).toBe('not-emulated');
    for (const type of [
      'AWS::CloudWatch::Alarm',
      'AWS::SNS::Topic',
      'AWS::SNS::TopicPolicy',
      'AWS::KMS::Key',
    ])
      expect(supportOf(type)).toBe('not-emulated');
    expect(supportOf('AWS::S3::Bucket')).toBe('unsupported');
    expect(supportOf('AWS::DynamoDB::GlobalTable')).toBe('unsupported');
  });

  it('gives accepted resources names and ARNs so references to them resolve', () => {
    expect(notEmulatedIdentity('AWS::IAM::Role', 'Role', {}, scope).attributes.Arn).toMatch(
      /^arn:aws:iam::000000000000:role\/Shop-Role-[A-Z0-9]{12}$/,
    );
    expect(notEmulatedIdentity('AWS::Logs::LogGroup', 'Logs', { LogGroupName: '/x' }, scope)).toEqual({
      ref: '/x',
      attributes: { Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:/x:*' },
    });
    // The alarms' topic: its Ref is its ARN, which the alarm actions and the stack output use.
    expect(notEmulatedIdentity('AWS::SNS::Topic', 'Topic', { TopicName: 'ops' }, scope)).toEqual({
      ref: 'arn:aws:sns:eu-west-1:000000000000:ops',
      attributes: { TopicArn: 'arn:aws:sns:eu-west-1:000000000000:ops', TopicName: 'ops' },
    });
    const key = notEmulatedIdentity('AWS::KMS::Key', 'Key', {}, scope);
    expect(key.ref).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(key.attributes).toEqual({
      Arn: `arn:aws:kms:eu-west-1:000000000000:key/${key.ref}`,
      KeyId: key.ref,
    });
    expect(notEmulatedIdentity('AWS::KMS::Key', 'Key', {}, scope)).toEqual(key);
  });
});
