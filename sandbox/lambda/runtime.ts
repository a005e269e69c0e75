// The sandbox's Lambda service: deploys functions and invokes them in worker-thread execution
// environments, with AWS's invocation types, throttling and error shapes.
import {
  AwsServiceError,
  type InvocationType,
  type LambdaFunctionSpec,
  type LambdaInvokeResult,
  type LambdaRuntime,
  type SandboxEndpoints,
} from '../contracts.ts';
import { DeployedFunction } from './deployed-function.ts';
import type { FunctionLogSink } from './execution-environment.ts';
import { buildFunctionEnvironment } from './function-environment.ts';
import { parseFunctionIdentifier } from './function-identifier.ts';

export interface LambdaRuntimeOptions {
  endpoints: SandboxEndpoints;
  /** Where function output goes; defaults to the sandbox's stdout prefixed with `[functionName]`. Pass a no-op to silence it. */
  log?: FunctionLogSink;
  /**
   * Where one function's output goes, chosen when it is deployed (a file per function, say: see
   * function-log-files.ts): each line it writes to stdout or stderr. Takes the place of `log`.
   */
  functionLog?: (spec: LambdaFunctionSpec) => (line: string) => void;
  /** Worker threads per function without reserved concurrency (AWS would allow up to the account's 1000). */
  maxEnvironmentsPerFunction?: number;
  /** Delays before the two retries of a failed 'Event' invocation; AWS waits about 1 and 2 minutes. */
  asyncRetryDelaysMs?: readonly number[];
}

/** Lambda's synchronous request and response payload limits. */
const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
const MAX_SYNC_RESPONSE_BYTES = 6_291_556;

/** The default destination of function output: the sandbox's stdout, each line prefixed `[functionName]`. */
export const printFunctionLogLine: FunctionLogSink = (functionName, line) => {
  process.stdout.write(`[${functionName}] ${line}\n`);
};

/** The runtime as the sandbox holds it: the LambdaRuntime contract and how busy its functions are. */
export interface SandboxLambdaRuntime extends LambdaRuntime {
  /** Invocations not finished yet across all functions: running, waiting for an environment, queued
   *  ('Event') or awaiting a retry. 0 when every function is idle. */
  invocationsInFlight(): number;
}

export function createLambdaRuntime(options: LambdaRuntimeOptions): SandboxLambdaRuntime {
  const functions = new Map<string, DeployedFunction>();
  const log = options.log ?? printFunctionLogLine;

  function find(functionName: string): { deployed: DeployedFunction; invokedFunctionArn: string } {
    const identifier = parseFunctionIdentifier(functionName);
    const deployed = functions.get(identifier.name);
    const arnParts = deployed?.spec.arn.split(':');
    const matches =
      deployed !== undefined &&
      (identifier.region === undefined || identifier.region === arnParts?.[3]) &&
      (identifier.account === undefined || identifier.account === arnParts?.[4]) &&
      (identifier.qualifier === undefined || identifier.qualifier === '$LATEST');
    if (!matches) {
      const arn =
        deployed?.spec.arn ??
        `arn:aws:lambda:${options.endpoints.region}:000000000000:function:${identifier.name}`;
      const qualified = identifier.qualifier === undefined ? arn : `${arn}:${identifier.qualifier}`;
      throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${qualified}`, 404);
    }
    const invokedFunctionArn =
      identifier.qualifier === undefined ? deployed.spec.arn : `${deployed.spec.arn}:${identifier.qualifier}`;
    return { deployed, invokedFunctionArn };
  }

  function logFor(spec: LambdaFunctionSpec): FunctionLogSink {
    if (options.functionLog === undefined) return log;
    const write = options.functionLog(spec);
    return (_functionName, line) => write(line);
  }

  return {
    async deploy(spec: LambdaFunctionSpec): Promise<void> {
      const previous = functions.get(spec.functionName);
      functions.set(
        spec.functionName,
        new DeployedFunction(spec, {
          environment: buildFunctionEnvironment(spec, options.endpoints),
          log: logFor(spec),
          maxEnvironments: options.maxEnvironmentsPerFunction ?? 8,
          asyncRetryDelaysMs: options.asyncRetryDelaysMs ?? [1_000, 2_000],
        }),
      );
      await previous?.close();
    },

    async invoke(
      functionName: string,
      payload: string,
      invocationType: InvocationType = 'RequestResponse',
    ): Promise<LambdaInvokeResult> {
      const { deployed, invokedFunctionArn } = find(functionName);
      const event = validatePayload(payload);
      if (invocationType === 'DryRun') return { statusCode: 204, payload: '' };
      if (invocationType === 'Event') {
        deployed.enqueueEvent(event, invokedFunctionArn);
        return { statusCode: 202, payload: '' };
      }
      const outcome = await deployed.invoke(event, invokedFunctionArn);
      if (!outcome.ok)
        return { statusCode: 200, payload: JSON.stringify(outcome.error), functionError: 'Unhandled' };
      if (Buffer.byteLength(outcome.payload) > MAX_SYNC_RESPONSE_BYTES) {
        const error = {
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_RESPONSE_BYTES} bytes).`,
          errorType: 'Function.ResponseSizeTooLarge',
        };
        return { statusCode: 200, payload: JSON.stringify(error), functionError: 'Unhandled' };
      }
      return { statusCode: 200, payload: outcome.payload };
    },

    invocationsInFlight(): number {
      let busy = 0;
      for (const deployed of functions.values()) busy += deployed.busy;
      return busy;
    },

    async close(): Promise<void> {
      await Promise.all([...functions.values()].map((deployed) => deployed.close()));
      functions.clear();
    },
  };
}

/** An empty payload is the event `{}`; anything else must be JSON, as Lambda requires. */
function validatePayload(payload: string): string {
  if (Buffer.byteLength(payload) > MAX_SYNC_PAYLOAD_BYTES) {
    throw new AwsServiceError(
      'RequestTooLargeException',
      `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      413,
    );
  }
  if (payload.trim() === '') return '{}';
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new AwsServiceError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message}`,
      400,
    );
  }
  return payload;
}
