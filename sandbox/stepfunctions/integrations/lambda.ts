import { randomUUID } from 'node:crypto';
import type { InvocationType, LambdaInvokeResult, LambdaRuntime } from '../../contracts.ts';
import { AwsServiceError } from '../../contracts.ts';
import type { JsonValue } from '../json.ts';
import { isJsonObject, parseJsonDocument } from '../json.ts';
import { StatesRuntimeFailure, TaskFailure } from '../task-errors.ts';
import { sdkResponseMetadata } from './sdk-metadata.ts';

type LambdaInvoker = Pick<LambdaRuntime, 'invoke'>;

/**
 * `arn:aws:states:::lambda:invoke`: Parameters carry `FunctionName`, `Payload` and optionally
 * `InvocationType` / `Qualifier`; the result is the Invoke response as Step Functions wraps it.
 */
export async function invokeLambdaIntegration(
  lambda: LambdaInvoker,
  parameters: JsonValue,
): Promise<JsonValue> {
  if (!isJsonObject(parameters) || typeof parameters.FunctionName !== 'string') {
    throw new StatesRuntimeFailure(
      "The Parameters of a 'lambda:invoke' task must set 'FunctionName' to a string",
    );
  }
  const qualifier = typeof parameters.Qualifier === 'string' ? `:${parameters.Qualifier}` : '';
  const invocationType = (parameters.InvocationType ?? 'RequestResponse') as InvocationType;
  // Without a Payload the function receives an empty JSON object.
  const payload = JSON.stringify(parameters.Payload ?? {});
  const result = await invokeOrFail(
    lambda,
    `${parameters.FunctionName}${qualifier}`,
    payload,
    invocationType,
  );
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: result.payload === '' ? '' : (parseJsonDocument(result.payload) ?? result.payload),
    ...(sdkResponseMetadata(result.statusCode, requestId, {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
      'X-Amzn-Trace-Id': `root=1-${requestId}`,
    }) as { SdkHttpMetadata: JsonValue; SdkResponseMetadata: JsonValue }),
    StatusCode: result.statusCode,
  };
}

/** The original `Resource: <function ARN>` form: the state input is the event, the result the raw payload. */
export async function invokeLambdaFunction(
  lambda: LambdaInvoker,
  functionArn: string,
  input: JsonValue,
): Promise<JsonValue> {
  const result = await invokeOrFail(lambda, functionArn, JSON.stringify(input), 'RequestResponse');
  return parseJsonDocument(result.payload) ?? result.payload;
}

async function invokeOrFail(
  lambda: LambdaInvoker,
  functionName: string,
  payload: string,
  invocationType: InvocationType,
): Promise<LambdaInvokeResult> {
  let result: LambdaInvokeResult;
  try {
    result = await lambda.invoke(functionName, payload, invocationType);
  } catch (error) {
    throw lambdaServiceFailure(error);
  }
  if (result.functionError !== undefined) throw functionFailure(result.payload);
  return result;
}

/**
 * A function error fails the task with the function's `errorType` and the error payload as the
 * cause; without an errorType (timeouts, crashes) AWS reports `Lambda.Unknown`.
 */
function functionFailure(payload: string): TaskFailure {
  const parsed = parseJsonDocument(payload);
  const errorType =
    isJsonObject(parsed) && typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
  return new TaskFailure(errorType ?? 'Lambda.Unknown', payload);
}

/** Invoke API errors (unknown function, throttling) are named `Lambda.<ExceptionName>`. */
function lambdaServiceFailure(error: unknown): TaskFailure {
  const code = error instanceof AwsServiceError ? error.code : 'AWSLambdaException';
  const status = error instanceof AwsServiceError ? error.statusCode : 500;
  const message = error instanceof Error ? error.message : String(error);
  return new TaskFailure(
    `Lambda.${code}`,
    `${message} (Service: AWSLambda; Status Code: ${status}; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}
