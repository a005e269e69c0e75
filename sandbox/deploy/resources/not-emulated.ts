import { generatedPhysicalName } from '../physical-names.ts';
import type { ResourceIdentity } from '../template-types.ts';
import type { StackScope } from './stack-scope.ts';

/**
 * Resource types the sandbox accepts without emulating them: permissions (nothing is authorised locally),
 * logging and alarms, and CDK's own metadata. They get names and ARNs so references to them resolve.
 */
export const NOT_EMULATED_TYPES = [
  'AWS::IAM::*',
  'AWS::Logs::*',
  'AWS::CloudWatch::Alarm',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::SQS::QueuePolicy',
  'AWS::CDK::Metadata',
] as const;

export function isNotEmulatedType(type: string): boolean {
  return NOT_EMULATED_TYPES.some((accepted) =>
    accepted.endsWith('::*') ? type.startsWith(accepted.slice(0, -1)) : type === accepted,
  );
}

export function notEmulatedIdentity(
  type: string,
  logicalId: string,
  properties: Record<string, unknown>,
  scope: StackScope,
): ResourceIdentity {
  const account = scope.accountId;
  const generated = generatedPhysicalName(scope.stackName, logicalId, { maxLength: 64 });
  switch (type) {
    case 'AWS::IAM::Role': {
      const name = String(properties.RoleName ?? generated);
      return {
        ref: name,
        attributes: { Arn: `arn:aws:iam::${account}:role/${name}`, RoleId: `AROA${generated.slice(-12)}` },
      };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const arn = `arn:aws:iam::${account}:policy/${String(properties.ManagedPolicyName ?? generated)}`;
      return { ref: arn, attributes: { PolicyArn: arn } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = String(properties.LogGroupName ?? generated);
      return {
        ref: name,
        attributes: { Arn: `arn:aws:logs:${scope.region}:${account}:log-group:${name}:*` },
      };
    }
    case 'AWS::CloudWatch::Alarm': {
      const name = String(properties.AlarmName ?? generated);
      return {
        ref: name,
        attributes: { Arn: `arn:aws:cloudwatch:${scope.region}:${account}:alarm:${name}` },
      };
    }
    default:
      return { ref: generated, attributes: {} };
  }
}
