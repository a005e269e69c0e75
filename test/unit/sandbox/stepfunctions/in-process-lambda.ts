import type { InvocationType, LambdaInvokeResult, LambdaRuntime } from '../../../../sandbox/contracts.ts';
import { AwsServiceError } from '../../../../sandbox/contracts.ts';
import type { StepFunctionsService } from '../../../../sandbox/stepfunctions/service.ts';
import { createStepFunctionsService } from '../../../../sandbox/stepfunctions/service.ts';

export type Handler = (event: unknown) => unknown;

/**
 * Runs plain functions as Lambda functions do for Step Functions: the payload is the JSON event,
 * the return value the JSON result, a throw the `{errorType, errorMessage, trace}` error payload.
 */
export function inProcessLambda(handlers: Record<string, Handler>): Pick<LambdaRuntime, 'invoke'> & {
  calls: { functionName: string; event: unknown; invocationType: InvocationType | undefined }[];
} {
  const calls: { functionName: string; event: unknown; invocationType: InvocationType | undefined }[] = [];
  return {
    calls,
    async invoke(functionName, payload, invocationType): Promise<LambdaInvokeResult> {
      const name = functionName.includes(':function:') ? (functionName.split(':')[6] ?? '') : functionName;
      const handler = handlers[name];
      if (!handler) {
        throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${functionName}`, 404);
      }
      const event = JSON.parse(payload) as unknown;
      calls.push({ functionName, event, invocationType });
      if (invocationType === 'Event') {
        void Promise.resolve().then(() => handler(event));
        return { statusCode: 202, payload: '' };
      }
      try {
        const result = await handler(event);
        return { statusCode: 200, payload: JSON.stringify(result ?? null) };
      } catch (error) {
        const failure = error as Error;
        return {
          statusCode: 200,
          payload: JSON.stringify({ errorType: failure.name, errorMessage: failure.message, trace: [] }),
          functionError: 'Unhandled',
        };
      }
    },
  };
}

export const REGION = 'eu-west-1';
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/StateMachineRole';

export function createService(
  lambda: Pick<LambdaRuntime, 'invoke'>,
  edgeUrl = 'http://127.0.0.1:9',
): StepFunctionsService {
  return createStepFunctionsService({ endpoints: { edgeUrl, region: REGION }, lambda });
}

/** Creates a state machine and returns its ARN. */
export async function createStateMachine(
  service: StepFunctionsService,
  name: string,
  definition: unknown,
  type: 'STANDARD' | 'EXPRESS' = 'STANDARD',
): Promise<string> {
  const output = (await service.handle('CreateStateMachine', {
    name,
    definition: JSON.stringify(definition),
    roleArn: ROLE_ARN,
    type,
  })) as { stateMachineArn: string };
  return output.stateMachineArn;
}

/** Starts an execution and resolves with DescribeExecution's output once it has closed. */
export async function runExecution(
  service: StepFunctionsService,
  stateMachineArn: string,
  input: unknown,
): Promise<Record<string, unknown>> {
  const { executionArn } = (await service.handle('StartExecution', {
    stateMachineArn,
    input: JSON.stringify(input),
  })) as { executionArn: string };
  return service.waitForExecution(executionArn);
}

export function lambdaArn(name: string): string {
  return `arn:aws:lambda:${REGION}:000000000000:function:${name}`;
}
