import { HTTP_API_PART_TYPES } from './resources/http-api.ts';
import { isNotEmulatedType } from './resources/not-emulated.ts';
import type { CfnTemplate } from './template-types.ts';

/** Resource types the sandbox deploys into a running service. */
export const EMULATED_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::StepFunctions::StateMachine',
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::ApiGatewayV2::Api',
  ...HTTP_API_PART_TYPES,
] as const;

export type ResourceSupport = 'emulated' | 'not-emulated' | 'unsupported';

export function supportOf(type: string): ResourceSupport {
  if ((EMULATED_TYPES as readonly string[]).includes(type)) return 'emulated';
  return isNotEmulatedType(type) ? 'not-emulated' : 'unsupported';
}

/**
 * Refuses an assembly holding a resource type the sandbox does not support, before anything starts,
 * unless the caller asked to skip such resources.
 */
export function assertSupported(
  stacks: { stackName: string; template: CfnTemplate }[],
  ignoreUnsupported: boolean,
): void {
  if (ignoreUnsupported) return;
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (supportOf(resource.Type) === 'unsupported')
        throw new UnsupportedResourceError(stack.stackName, logicalId, resource.Type);
    }
  }
}

export class UnsupportedResourceError extends Error {
  constructor(
    readonly stackName: string,
    readonly logicalId: string,
    readonly type: string,
  ) {
    super(
      `Resource ${logicalId} of stack ${stackName} has type ${type}, which the sandbox does not support. ` +
        'Remove it, or start the sandbox with --ignore-unsupported to deploy the rest without it.',
    );
  }
}
