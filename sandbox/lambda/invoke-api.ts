// Lambda's REST Invoke API as the AWS SDK v3 LambdaClient calls it:
// POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=...] with X-Amz-Invocation-Type.
import {
  AwsServiceError,
  type InvocationType,
  type LambdaRuntime,
  type RestRequest,
  type RestResponse,
} from '../contracts.ts';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const INVOCATION_TYPES: readonly InvocationType[] = ['RequestResponse', 'Event', 'DryRun'];

export async function handleLambdaInvokeRequest(
  runtime: LambdaRuntime,
  req: RestRequest,
): Promise<RestResponse> {
  try {
    const match = INVOKE_PATH.exec(req.path);
    if (req.method !== 'POST' || !match) {
      throw new AwsServiceError(
        'UnknownOperationException',
        `Unsupported Lambda operation: ${req.method} ${req.path}`,
        404,
      );
    }
    const functionName = qualified(decodeURIComponent(match[1]!), req.query.get('Qualifier'));
    const invocationType = parseInvocationType(req.headers['x-amz-invocation-type']);
    const result = await runtime.invoke(functionName, req.body.toString('utf8'), invocationType);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (invocationType === 'RequestResponse') headers['x-amz-executed-version'] = '$LATEST';
    if (result.functionError !== undefined) headers['x-amz-function-error'] = result.functionError;
    return { statusCode: result.statusCode, headers, body: result.payload };
  } catch (error) {
    return errorResponse(error);
  }
}

function qualified(functionName: string, qualifier: string | null): string {
  return qualifier === null ? functionName : `${functionName}:${qualifier}`;
}

function parseInvocationType(header: string | undefined): InvocationType {
  if (header === undefined || header === '') return 'RequestResponse';
  const invocationType = INVOCATION_TYPES.find((candidate) => candidate === header);
  if (invocationType === undefined) {
    throw new AwsServiceError(
      'InvalidParameterValueException',
      `1 validation error detected: Value '${header}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  return invocationType;
}

/**
 * Lambda's error body is `{"Type": "User" | "Service", "Message": ...}`; the SDK takes the exception
 * class from the `x-amzn-ErrorType` header, so LambdaClient raises e.g. ResourceNotFoundException.
 */
function errorResponse(error: unknown): RestResponse {
  const serviceError =
    error instanceof AwsServiceError ? error : new AwsServiceError('ServiceException', String(error), 500);
  const body: Record<string, string> = {
    Type: serviceError.statusCode >= 500 ? 'Service' : 'User',
    Message: serviceError.message,
  };
  // The only throttle the sandbox raises is the function's reserved concurrency.
  if (serviceError.code === 'TooManyRequestsException')
    body.Reason = 'ReservedFunctionConcurrentInvocationLimitExceeded';
  return {
    statusCode: serviceError.statusCode,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': serviceError.code },
    body: JSON.stringify(body),
  };
}
