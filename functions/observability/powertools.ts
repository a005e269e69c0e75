// One Powertools Logger, Metrics and Tracer per execution environment (created once, at cold start, and
// shared by every module of a bundle), configured from the environment the stack sets:
//   POWERTOOLS_SERVICE_NAME       service name on logs, metrics and traces (docs/backend.md: trustgate)
//   POWERTOOLS_METRICS_NAMESPACE  CloudWatch namespace (docs/backend.md: Trustgate)
//   POWERTOOLS_LOG_LEVEL          optional, INFO by default
// The fallbacks below only matter outside a deployed function (tests, scripts): they keep the names the
// stack sets, so a metric emitted there lands in the same namespace instead of Powertools' default.
//
// Tracing: the Tracer enables itself only inside a Lambda execution environment (AWS_EXECUTION_ENV) and
// turns itself off with POWERTOOLS_TRACE_ENABLED=false. An invocation that arrives without X-Ray trace
// data (no `_X_AMZN_TRACE_ID`: a runtime without an X-Ray daemon, such as `npm start`'s sandbox or a
// local invoke) has no trace to add segments to; the X-Ray SDK's default answer is an error with a stack
// trace on every invocation and every traced AWS call, so such invocations are simply not traced. In AWS
// the Lambda service always passes trace data, so nothing is lost there.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'trustgate';

export const logger = new Logger({ serviceName });

export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Trustgate',
  // Its warnings (e.g. an invocation that added no metric) as structured log lines, like everything else.
  logger,
});

export const tracer = new Tracer({ serviceName });
tracer.provider.setContextMissingStrategy('IGNORE_ERROR');
