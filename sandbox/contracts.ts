// Contracts between the sandbox's parts. The edge (sandbox/edge) routes each request to one service;
// the deployer (sandbox/deploy) reads the synthesized template and configures each service.
// Services talk to each other only through the AWS SDK v3 pointed at the edge, exactly as the
// deployed handlers do, so the path a request takes locally is the path it takes in AWS.

/** Fixed account id for every ARN the sandbox mints (the same one LocalStack uses). */
export const SANDBOX_ACCOUNT_ID = '000000000000';

/** An error in the shape AWS JSON protocols return: `{"__type": code, "message": ...}`. */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * A service that speaks the AWS JSON protocol (1.0 / 1.1): the operation comes from the
 * `X-Amz-Target: <targetPrefix>.<Operation>` header and the input is the JSON body.
 * Step Functions (`AWSStepFunctions`) and EventBridge (`AWSEvents`) implement it.
 */
export interface JsonProtocolService {
  readonly targetPrefix: string;
  /** Resolves to the JSON output, or rejects with an AwsServiceError. */
  handle(operation: string, input: Record<string, unknown>): Promise<unknown>;
  /** Stops timers and in-flight work; called once when the sandbox stops. */
  close(): Promise<void>;
}

/** A raw HTTP exchange, used by REST-style services (Lambda's Invoke API). */
export interface RestRequest {
  method: string;
  /** Path without the query string, e.g. `/2015-03-31/functions/my-fn/invocations`. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface RestResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Where the sandbox's services live, handed to every part that needs to call another. */
export interface SandboxEndpoints {
  /** The edge URL, e.g. `http://127.0.0.1:4566`: the value of AWS_ENDPOINT_URL for handlers and SDK clients. */
  edgeUrl: string;
  region: string;
}

// ---- Lambda --------------------------------------------------------------------------------

/** A function as the deployer reads it from `AWS::Lambda::Function`. */
export interface LambdaFunctionSpec {
  logicalId: string;
  functionName: string;
  arn: string;
  /** Absolute directory holding the function's code (the asset directory in cdk.out). */
  codeDir: string;
  /** `file.export`, e.g. `index.handler` (file resolved as .mjs, .js or .cjs like the Node.js runtime). */
  handler: string;
  runtime: string;
  /** The function's own variables, references already resolved. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySizeMb: number;
  /** Undefined: no reservation (account concurrency applies). 0 would throttle every call, as in AWS. */
  reservedConcurrency?: number;
}

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface LambdaInvokeResult {
  /** 200 for RequestResponse, 202 for Event, 204 for DryRun (as Lambda's Invoke API). */
  statusCode: number;
  /** The function's return value serialised as JSON, or the error object `{errorType, errorMessage, trace}`. */
  payload: string;
  /** Set when the function threw or timed out, as the `X-Amz-Function-Error` header. */
  functionError?: 'Unhandled';
}

/** The in-process Lambda runtime: deploys functions and invokes them. */
export interface LambdaRuntime {
  deploy(spec: LambdaFunctionSpec): Promise<void>;
  /** `functionName` may be a name, a full ARN or a partial ARN. Throws AwsServiceError
   *  `ResourceNotFoundException` (404) or `TooManyRequestsException` (429, throttled). */
  invoke(functionName: string, payload: string, invocationType?: InvocationType): Promise<LambdaInvokeResult>;
  close(): Promise<void>;
}

/** `AWS::Lambda::EventSourceMapping` with an SQS source. */
export interface SqsEventSourceSpec {
  logicalId: string;
  functionName: string;
  queueArn: string;
  queueUrl: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  /** ScalingConfig.MaximumConcurrency; undefined = no limit beyond the function's own. */
  maximumConcurrency?: number;
  enabled: boolean;
}

// ---- API Gateway HTTP API ------------------------------------------------------------------

export interface HttpApiAuthorizerSpec {
  authorizerId: string;
  name: string;
  /** Only Lambda REQUEST authorizers are emulated. */
  functionName: string;
  /** e.g. `['$request.header.Authorization']`; a request missing any of them is 401 without invoking. */
  identitySources: string[];
  payloadFormatVersion: '1.0' | '2.0';
  enableSimpleResponses: boolean;
  resultTtlSeconds: number;
}

export interface HttpApiRouteSpec {
  /** `GET /v1/agents/{id}`, `ANY /{proxy+}` or `$default`. */
  routeKey: string;
  /** Lambda proxy integration target. */
  functionName: string;
  payloadFormatVersion: '1.0' | '2.0';
  timeoutMs: number;
  authorizer?: HttpApiAuthorizerSpec;
}

export interface HttpApiCorsSpec {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAgeSeconds?: number;
}

export interface HttpApiSpec {
  logicalId: string;
  apiId: string;
  name: string;
  routes: HttpApiRouteSpec[];
  cors?: HttpApiCorsSpec;
  stageName: string;
  /** Stage default route throttling; undefined = not throttled. */
  throttling?: { burstLimit: number; rateLimit: number };
  /** Per-route overrides keyed by route key. */
  routeThrottling: Record<string, { burstLimit: number; rateLimit: number }>;
}
