// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is CloudFormation Fn::Sub / DefinitionSubstitutions syntax, not JavaScript.
import { describe, expect, it } from 'vitest';
import { deploymentOrder } from '../../../../sandbox/deploy/deployment-order.ts';

describe('deploymentOrder', () => {
  it('puts every resource after the ones it refers to or depends on, depth first in template order', () => {
    const order = deploymentOrder({
      Resources: {
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: { Targets: [{ Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } }] },
        },
        Queue: {
          Type: 'AWS::SQS::Queue',
          Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': 'Dlq.Arn' } } },
        },
        Dlq: { Type: 'AWS::SQS::Queue' },
        Function: {
          Type: 'AWS::Lambda::Function',
          DependsOn: ['Policy'],
          Properties: { Role: { 'Fn::Sub': '${Role.Arn}' } },
        },
        Policy: { Type: 'AWS::IAM::Policy' },
        Role: { Type: 'AWS::IAM::Role' },
      },
    });
    expect(order).toEqual(['Dlq', 'Queue', 'Rule', 'Role', 'Policy', 'Function']);
  });

  it('refuses circular references, naming the cycle', () => {
    expect(() =>
      deploymentOrder({
        Resources: {
          A: { Type: 'AWS::SQS::Queue', Properties: { x: { Ref: 'B' } } },
          B: { Type: 'AWS::SQS::Queue', Properties: { x: { Ref: 'A' } } },
        },
      }),
    ).toThrow('Circular dependency between resources: A -> B -> A');
  });

  it('refuses DependsOn naming a resource that does not exist', () => {
    expect(() =>
      deploymentOrder({ Resources: { A: { Type: 'AWS::SQS::Queue', DependsOn: 'Missing' } } }),
    ).toThrow(/A DependsOn Missing/);
  });
});
