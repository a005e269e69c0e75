// Wraps a Lambda handler in middy with the Powertools middlewares every function of the app uses:
//   captureLambdaHandler  X-Ray segment for the invocation, cold-start and service annotations (no response body)
//   injectLambdaContext   request id, function name and cold start on every log line
//   logMetrics            flushes the metrics added during the invocation (EMF) when it ends
//
// Usage (one line per entry file):
//   export const handler = observedHandler(async (event: HttpApiEvent) => …);

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, metrics, tracer } from './powertools.ts';

/**
 * The parts of the Lambda context object our code reads. `aws-lambda`'s types are not a dependency;
 * the runtime passes the full object and the middlewares read what they need from it.
 */
export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

export type LambdaHandler<TEvent, TResult> = (event: TEvent, context: LambdaContext) => Promise<TResult>;

export function observedHandler<TEvent, TResult>(
  handler: LambdaHandler<TEvent, TResult>,
): LambdaHandler<TEvent, TResult> {
  const wrapped = middy(handler)
    // Responses carry manifests and generated reports: tenant data that does not belong in trace metadata.
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger))
    // An invocation that added no metric must not fail for it.
    .use(logMetrics(metrics, { throwOnEmptyMetrics: false }));
  return wrapped as unknown as LambdaHandler<TEvent, TResult>;
}
