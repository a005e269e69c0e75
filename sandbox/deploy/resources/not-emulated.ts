import { createHash } from 'node:crypto';
import { generatedPhysicalName } from '../physical-names.ts';
import type { ResourceIdentity } from '../template-types.ts';
import type { StackScope } from './stack-scope.ts';

/**
 * Resource types the sandbox accepts without emulating them: permissions (nothing is authorised locally),
 * logging and alarms (with the alarms' topic and its key: only alarms publish to it, and nothing raises an
 * alarm locally), and CDK's own metadata. They get names and ARNs so references to them resolve.
 */
export const NOT_EMULATED_TYPES = [
  'AWS::IAM::*',
  'AWS::Logs::*',
  'AWS::CloudWatch::Alarm',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::KMS::Key',
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
    case 'AWS::SNS::Topic': {
      // A topic's Ref is its ARN.
      const name = String(properties.TopicName ?? generated);
      const arn = `arn:aws:sns:${scope.region}:${account}:${name}`;
      return { ref: arn, attributes: { TopicArn: arn, TopicName: name } };
    }
    case 'AWS::KMS::Key': {
      // A key's Ref is its id, a UUID.
      const keyId = keyIdOf(generated);
      return {
        ref: keyId,
        attributes: { Arn: `arn:aws:kms:${scope.region}:${account}:key/${keyId}`, KeyId: keyId },
      };
    }
    default:
      return { ref: generated, attributes: {} };
  }
}

/** A stable UUID-shaped key id derived from the generated name, so a redeploy gives the same id. */
function keyIdOf(generated: string): string {
  const hex = createHash('sha256').update(generated).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
