// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is CloudFormation Fn::Sub / DefinitionSubstitutions syntax, not JavaScript.
import { describe, expect, it } from 'vitest';
import {
  type ResolutionContext,
  referencedLogicalIds,
  resolveIntrinsics,
} from '../../../../sandbox/deploy/intrinsic-functions.ts';
import type { CfnTemplate } from '../../../../sandbox/deploy/template-types.ts';

const template: CfnTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'dev' },
    Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
    Required: { Type: 'String' },
  },
  Mappings: { Sizes: { dev: { memory: 256 } } },
  Conditions: {
    IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] },
    IsProd: { 'Fn::Not': [{ Condition: 'IsDev' }] },
    DevAndNotProd: { 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Not': [{ Condition: 'IsProd' }] }] },
  },
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue' },
    Table: { Type: 'AWS::DynamoDB::Table' },
  },
};

const context: ResolutionContext = {
  stackName: 'Shop',
  region: 'eu-west-1',
  accountId: '000000000000',
  template,
  resourceRef: (logicalId) => {
    if (logicalId === 'Queue') return 'http://edge/000000000000/shop-queue';
    throw new Error(`no ${logicalId}`);
  },
  resourceAttribute: (logicalId, attribute) => `${logicalId}.${attribute}-value`,
  importValue: (name) => (name === 'Shared-TableName' ? 'shared-table' : undefined),
};

const resolve = (value: unknown) => resolveIntrinsics(value, context);

describe('resolveIntrinsics', () => {
  it('resolves pseudo parameters as CloudFormation does in the sandbox account', () => {
    expect(
      resolve({
        region: { Ref: 'AWS::Region' },
        account: { Ref: 'AWS::AccountId' },
        partition: { Ref: 'AWS::Partition' },
        suffix: { Ref: 'AWS::URLSuffix' },
        stack: { Ref: 'AWS::StackName' },
      }),
    ).toEqual({
      region: 'eu-west-1',
      account: '000000000000',
      partition: 'aws',
      suffix: 'amazonaws.com',
      stack: 'Shop',
    });
  });

  it('resolves parameters from their defaults and refuses one without', () => {
    expect(resolve({ Ref: 'Stage' })).toBe('dev');
    expect(resolve({ Ref: 'Zones' })).toEqual(['a', 'b']);
    expect(() => resolve({ Ref: 'Required' })).toThrow(/Required has no default/);
  });

  it('resolves Ref and both forms of Fn::GetAtt on resources', () => {
    expect(resolve({ Ref: 'Queue' })).toBe('http://edge/000000000000/shop-queue');
    expect(resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('Queue.Arn-value');
    expect(resolve({ 'Fn::GetAtt': 'Table.StreamArn' })).toBe('Table.StreamArn-value');
  });

  it('joins, selects and splits', () => {
    expect(resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs']] })).toBe('arn:aws:sqs');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
    expect(() => resolve({ 'Fn::Select': [5, ['x']] })).toThrow(/out of range/);
  });

  it('substitutes in the string form, with attributes, pseudo parameters and escaped literals', () => {
    expect(resolve({ 'Fn::Sub': '${AWS::StackName}-${Queue.QueueName}-${Stage}-${!Literal}' })).toBe(
      'Shop-Queue.QueueName-value-dev-${Literal}',
    );
  });

  it('substitutes in the variable-map form, variables taking precedence', () => {
    expect(resolve({ 'Fn::Sub': ['${Name} in ${AWS::Region}', { Name: { Ref: 'Stage' } }] })).toBe(
      'dev in eu-west-1',
    );
  });

  it('evaluates conditions and drops AWS::NoValue from objects and lists', () => {
    expect(
      resolve({
        Memory: { 'Fn::If': ['IsDev', { 'Fn::FindInMap': ['Sizes', 'dev', 'memory'] }, 1024] },
        Retention: { 'Fn::If': ['IsProd', 30, { Ref: 'AWS::NoValue' }] },
        List: ['kept', { 'Fn::If': ['IsProd', 'prod-only', { Ref: 'AWS::NoValue' }] }],
        Both: { 'Fn::If': ['DevAndNotProd', 'yes', 'no'] },
        Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] },
      }),
    ).toEqual({ Memory: 256, List: ['kept'], Both: 'yes', Either: true });
  });

  it('imports values exported by other stacks of the assembly', () => {
    expect(resolve({ 'Fn::ImportValue': { 'Fn::Sub': 'Shared-TableName' } })).toBe('shared-table');
  });

  it('names an intrinsic function it does not support', () => {
    expect(() => resolve({ 'Fn::Transform': { Name: 'AWS::Include' } })).toThrow(
      /Fn::Transform is not supported/,
    );
  });

  it('leaves plain objects with several keys alone', () => {
    expect(resolve({ Ref: 'Queue', Other: 1 })).toEqual({ Ref: 'Queue', Other: 1 });
  });
});

describe('referencedLogicalIds', () => {
  it('finds resources named by Ref, Fn::GetAtt and Fn::Sub, not parameters or pseudo parameters', () => {
    const found = referencedLogicalIds(
      {
        a: { Ref: 'Queue' },
        b: { 'Fn::GetAtt': 'Table.Arn' },
        c: { 'Fn::Sub': '${Queue.Arn}/${AWS::Region}/${Stage}/${!Table}' },
        d: { Ref: 'Stage' },
      },
      template,
    );
    expect([...found].sort()).toEqual(['Queue', 'Table']);
  });
});
