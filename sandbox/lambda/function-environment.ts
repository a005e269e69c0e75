// The environment variables of a function's execution environment: its own variables plus the
// reserved ones the Node.js Lambda runtime sets (which the function cannot override, as in AWS).
import type { LambdaFunctionSpec, SandboxEndpoints } from '../contracts.ts';

export function buildFunctionEnvironment(
  spec: LambdaFunctionSpec,
  endpoints: SandboxEndpoints,
): Record<string, string> {
  return {
    ...spec.environment,
    // Child processes a handler spawns need a PATH; AWS sets one too.
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    _HANDLER: spec.handler,
    AWS_REGION: endpoints.region,
    AWS_DEFAULT_REGION: endpoints.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    LAMBDA_TASK_ROOT: spec.codeDir,
    // The SDK's credential chain must find something; the sandbox's services do not check it. The session
    // token is the function's name, so the edge can count each function's requests (request-counter.ts), as
    // each function signs with its own role's credentials in AWS. Not the key id: DynamoDB Local refuses
    // access key ids with anything but letters and digits (UnrecognizedClientException).
    AWS_ACCESS_KEY_ID: 'sandbox',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_SESSION_TOKEN: spec.functionName,
    // SDK v3 sends every service client here when no service-specific endpoint is configured.
    AWS_ENDPOINT_URL: endpoints.edgeUrl,
  };
}
