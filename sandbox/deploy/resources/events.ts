import type { PutRuleCommandInput, PutTargetsCommandInput, Target } from '@aws-sdk/client-eventbridge';
import { generatedPhysicalName } from '../physical-names.ts';
import type { ResourceIdentity } from '../template-types.ts';
import { type StackScope, UnsupportedPropertyError } from './stack-scope.ts';

type Props = Record<string, unknown>;

/** `AWS::Events::EventBus`: CloudFormation requires the name. Event sources (partner buses) are not emulated. */
export function eventBusName(logicalId: string, properties: Props): string {
  if (properties.EventSourceName !== undefined) {
    throw new UnsupportedPropertyError(
      logicalId,
      'AWS::Events::EventBus',
      'partner event sources are not emulated',
    );
  }
  return String(properties.Name);
}

export function eventBusIdentity(name: string, scope: StackScope): ResourceIdentity {
  const arn = `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/${name}`;
  return { ref: name, attributes: { Arn: arn, Name: name } };
}

export interface RuleSpec {
  putRule: PutRuleCommandInput;
  /** Undefined when the rule has no targets. */
  putTargets?: PutTargetsCommandInput;
}

/** `AWS::Events::Rule` → PutRule + PutTargets. Event patterns are objects in templates, JSON in the API. */
export function ruleSpec(logicalId: string, properties: Props, scope: StackScope): RuleSpec {
  const name =
    (properties.Name as string | undefined) ??
    generatedPhysicalName(scope.stackName, logicalId, { maxLength: 64 });
  const eventBusName = busNameOf(properties.EventBusName);
  const pattern = properties.EventPattern;
  const putRule: PutRuleCommandInput = {
    Name: name,
    ...(eventBusName ? { EventBusName: eventBusName } : {}),
    ...(pattern !== undefined
      ? { EventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern) }
      : {}),
    ...(properties.ScheduleExpression !== undefined
      ? { ScheduleExpression: String(properties.ScheduleExpression) }
      : {}),
    ...(properties.State !== undefined ? { State: properties.State as PutRuleCommandInput['State'] } : {}),
    ...(properties.Description !== undefined ? { Description: String(properties.Description) } : {}),
  };
  const targets = (properties.Targets as Props[] | undefined) ?? [];
  return {
    putRule,
    ...(targets.length > 0
      ? {
          putTargets: {
            Rule: name,
            ...(eventBusName ? { EventBusName: eventBusName } : {}),
            Targets: targets.map((target) => toTarget(logicalId, target)),
          },
        }
      : {}),
  };
}

/** The template's target shape is the API's, except that input transformers and SQS parameters keep their keys. */
function toTarget(logicalId: string, target: Props): Target {
  for (const unsupported of [
    'EcsParameters',
    'BatchParameters',
    'KinesisParameters',
    'RunCommandParameters',
    'HttpParameters',
    'RedshiftDataParameters',
    'SageMakerPipelineParameters',
    'AppSyncParameters',
  ]) {
    if (target[unsupported] !== undefined) {
      throw new UnsupportedPropertyError(
        logicalId,
        'AWS::Events::Rule',
        `target ${String(target.Id)} uses ${unsupported}, which is not emulated`,
      );
    }
  }
  return target as unknown as Target;
}

/** EventBusName may be a name or an ARN; the default bus is left implicit. */
function busNameOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const name = String(value).split('/').at(-1)!;
  return name === 'default' ? undefined : name;
}

export function ruleIdentity(spec: RuleSpec, scope: StackScope): ResourceIdentity {
  const bus = spec.putRule.EventBusName;
  const name = spec.putRule.Name!;
  const arn = `arn:aws:events:${scope.region}:${scope.accountId}:rule/${bus ? `${bus}/` : ''}${name}`;
  // CloudFormation returns `bus|rule` for rules on a custom bus, the bare name on the default one.
  return { ref: bus ? `${bus}|${name}` : name, attributes: { Arn: arn } };
}
