// Runs a probe's checks at once, each under its own deadline: a dependency that hangs (a DynamoDB endpoint
// that accepts the connection and never answers) makes its check fail after READINESS_CHECK_TIMEOUT_MS
// rather than the probe hang until API Gateway gives up. The deadline also aborts the check's requests
// (the AWS SDK honours `abortSignal`), so nothing keeps running behind the answer. A check that throws is
// failing with the error's one-line description; the others are unaffected.
import {
  type CheckResult,
  describeError,
  type HealthCheck,
  type HealthReport,
  healthReport,
} from './health-report.ts';

/** Per check: well below API Gateway's 30 s integration timeout and the function's 10 s. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

export async function runChecks(
  checks: Readonly<Record<string, HealthCheck>>,
  timeoutMs: number = READINESS_CHECK_TIMEOUT_MS,
): Promise<HealthReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => runWithDeadline(checks[name]!, timeoutMs)));
  return healthReport(Object.fromEntries(names.map((name, index) => [name, results[index]!])));
}

async function runWithDeadline(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      const error = `no answer within ${timeoutMs} ms`;
      controller.abort(new Error(error));
      resolve({ ok: false, error });
    }, timeoutMs);
  });
  const outcome = (async (): Promise<CheckResult> => {
    try {
      return await check(controller.signal);
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  })();
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
