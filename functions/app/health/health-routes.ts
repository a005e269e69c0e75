// The probes (SPEC §6, docs/backend.md "Health probes"), unauthenticated:
//   GET /health   liveness: memory below 90 % of the function's limit
//   GET /ready    readiness: DynamoDB answers for every table, SQS for every queue, the queues' backlog is
//                 below 1 000 messages, the Cedar policies load
// 200 with `{ status: "ok", checks }` when every check passes; otherwise 503 with `status: "failing"`, the
// same checks and the API's error shape naming each failing check (`checks.<name>`), so a load balancer
// reads the status code and an operator the body. Never cached: every probe is a fresh look.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { HttpApiResponse } from '../../http/http-api-event.ts';
import type { PublicRouteHandler } from '../../http/http-router.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { logger } from '../../observability/powertools.ts';
import { dynamoDbCheck } from './dynamodb-check.ts';
import { failingChecks, type HealthCheck, type HealthReport } from './health-report.ts';
import { memoryCheck, memoryLimitMb } from './liveness.ts';
import type { MemoryInUse } from './memory-in-use.ts';
import { type PolicyDecider, policiesCheck } from './policies-check.ts';
import { queueChecks } from './queue-checks.ts';
import { READINESS_CHECK_TIMEOUT_MS, runChecks } from './readiness-checks.ts';

export interface HealthDependencies {
  /** `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` as the environment has it. */
  memoryLimit: string | undefined;
  memoryInUse: () => MemoryInUse;
  dynamodb: Pick<DynamoDBClient, 'send'>;
  /** Table name in docs/backend.md → physical name (READINESS_TABLES). */
  tables: Readonly<Record<string, string>>;
  sqs: Pick<SQSClient, 'send'>;
  /** Queue name → URL (READINESS_QUEUES). */
  queues: Readonly<Record<string, string>>;
  /** Builds the policy store the gate builds; called on the first GET /ready only. */
  loadPolicies: () => PolicyDecider;
  /** Deadline of each readiness check; READINESS_CHECK_TIMEOUT_MS unless given. */
  checkTimeoutMs?: number;
}

export function healthRoutes(deps: HealthDependencies): Record<string, PublicRouteHandler> {
  const timeoutMs = deps.checkTimeoutMs ?? READINESS_CHECK_TIMEOUT_MS;
  const memory: HealthCheck = () => {
    const limitMb = memoryLimitMb(deps.memoryLimit);
    if (limitMb === undefined)
      return { ok: false, error: 'the memory limit is unknown: AWS_LAMBDA_FUNCTION_MEMORY_SIZE is not set' };
    const used = deps.memoryInUse();
    return { ...memoryCheck({ usedBytes: used.bytes, limitMb }), measure: used.measure };
  };
  // One per environment: its policy store is built once.
  const policies = policiesCheck(deps.loadPolicies);
  return {
    'GET /health': async () => probeResponse(await runChecks({ memory }, timeoutMs), 'not_live'),
    'GET /ready': async () => {
      const queues = queueChecks(deps.sqs, deps.queues);
      const report = await runChecks(
        {
          dynamodb: dynamoDbCheck(deps.dynamodb, deps.tables),
          sqs: queues.sqs,
          queueBacklog: queues.queueBacklog,
          policies,
        },
        timeoutMs,
      );
      return probeResponse(report, 'not_ready');
    },
  };
}

function probeResponse(report: HealthReport, failingCode: 'not_live' | 'not_ready'): HttpApiResponse {
  const failing = failingChecks(report);
  const body =
    failing.length === 0
      ? report
      : {
          ...report,
          error: {
            code: failingCode,
            message: `failing: ${failing.join(', ')}`,
            details: failing.map((name) => ({
              field: `checks.${name}`,
              message: report.checks[name]!.error ?? 'failed',
            })),
          },
        };
  if (failing.length > 0) logger.warn(`probe ${failingCode}`, { failing, checks: report.checks });
  const response = jsonResponse(failing.length === 0 ? 200 : 503, body);
  return { ...response, headers: { ...response.headers, 'cache-control': 'no-store' } };
}
