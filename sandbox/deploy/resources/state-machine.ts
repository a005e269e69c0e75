import type { CreateStateMachineCommandInput } from '@aws-sdk/client-sfn';
import { generatedPhysicalName } from '../physical-names.ts';
import type { ResourceIdentity } from '../template-types.ts';
import { type StackScope, UnsupportedPropertyError } from './stack-scope.ts';

type Props = Record<string, unknown>;

const TYPE = 'AWS::StepFunctions::StateMachine';

/**
 * `AWS::StepFunctions::StateMachine` → CreateStateMachine input. The definition comes from
 * `DefinitionString` or `Definition`, with `${name}` placeholders replaced from DefinitionSubstitutions
 * exactly as CloudFormation does before handing it to Step Functions.
 */
export function stateMachineSpec(
  logicalId: string,
  properties: Props,
  scope: StackScope,
): CreateStateMachineCommandInput {
  if (properties.DefinitionS3Location !== undefined) {
    throw new UnsupportedPropertyError(
      logicalId,
      TYPE,
      'DefinitionS3Location is not emulated; use DefinitionString or Definition',
    );
  }
  const raw =
    properties.DefinitionString !== undefined
      ? String(properties.DefinitionString)
      : properties.Definition !== undefined
        ? JSON.stringify(properties.Definition)
        : undefined;
  if (raw === undefined)
    throw new UnsupportedPropertyError(logicalId, TYPE, 'the state machine has no definition');
  const substitutions = (properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  const definition = raw.replace(/\$\{([^}]+)\}/g, (placeholder, name: string) =>
    name in substitutions ? String(substitutions[name]) : placeholder,
  );
  if (properties.RoleArn === undefined)
    throw new UnsupportedPropertyError(logicalId, TYPE, 'RoleArn is required');
  return {
    name:
      (properties.StateMachineName as string | undefined) ??
      generatedPhysicalName(scope.stackName, logicalId, { maxLength: 80, includeStackName: false }),
    definition,
    roleArn: String(properties.RoleArn),
    type: (properties.StateMachineType as CreateStateMachineCommandInput['type']) ?? 'STANDARD',
  };
}

export function stateMachineIdentity(arn: string, name: string): ResourceIdentity {
  return { ref: arn, attributes: { Arn: arn, Name: name, StateMachineRevisionId: arn } };
}
