// What a probe answers (docs/backend.md "Health probes"): every check by name, each
// `{ ok, …its figures, error? }`, and `status` ok only when every check is. A failing check carries a
// one-line `error` for the operator; never a stack trace, which could name paths and internals to an
// unauthenticated caller.

export interface CheckResult {
  ok: boolean;
  /** Why the check failed, in one line; absent when it passed. */
  error?: string;
  /** The check's own figures (memory used, table status, queue depths, …). */
  [detail: string]: unknown;
}

/** One check: resolves its result, or rejects (then reported as failing with the error's message). */
export type HealthCheck = (signal: AbortSignal) => Promise<CheckResult> | CheckResult;

export interface HealthReport {
  status: 'ok' | 'failing';
  checks: Record<string, CheckResult>;
}

export function healthReport(checks: Record<string, CheckResult>): HealthReport {
  return { status: failingChecks({ checks }).length === 0 ? 'ok' : 'failing', checks };
}

/** The names of the checks that failed, in the order the report lists them. */
export function failingChecks(report: Pick<HealthReport, 'checks'>): string[] {
  return Object.entries(report.checks)
    .filter(([, result]) => !result.ok)
    .map(([name]) => name);
}

const MAX_ERROR_LENGTH = 300;

/**
 * An error as one short line: `<name>: <message>` (the SDK's exception name says most, e.g.
 * `ResourceNotFoundException`), the inner errors of an AggregateError (a refused connection to a host with
 * several addresses), never the stack.
 */
export function describeError(error: unknown): string {
  const text = (() => {
    if (error instanceof AggregateError && error.errors.length > 0 && !error.message)
      return [...new Set(error.errors.map(describeError))].join('; ');
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      const message = error.message || (typeof code === 'string' ? code : '');
      return error.name && error.name !== 'Error' ? `${error.name}: ${message}` : message || error.name;
    }
    return String(error);
  })();
  const line = text.replaceAll(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}

/**
 * Several targets' failures in one line, grouped by message: twelve tables refusing the same connection are
 * one `agents, intents, …: connect ECONNREFUSED …`, not twelve copies of it.
 */
export function describeFailures(failures: ReadonlyArray<{ target: string; error: unknown }>): string {
  const byMessage = new Map<string, string[]>();
  for (const { target, error } of failures) {
    const message = describeError(error);
    byMessage.set(message, [...(byMessage.get(message) ?? []), target]);
  }
  return [...byMessage].map(([message, targets]) => `${targets.join(', ')}: ${message}`).join('; ');
}

export interface Settled<T> {
  /** What each target that answered answered, by target. */
  values: Record<string, T>;
  failures: { target: string; error: unknown }[];
}

/** `read` for every target at once: the answers of those that answered and the failures of the others. */
export async function settleEach<T>(
  targets: readonly string[],
  read: (target: string) => Promise<T>,
): Promise<Settled<T>> {
  const answers = await Promise.allSettled(targets.map(read));
  const settled: Settled<T> = { values: {}, failures: [] };
  answers.forEach((answer, index) => {
    const target = targets[index]!;
    if (answer.status === 'fulfilled') settled.values[target] = answer.value;
    else settled.failures.push({ target, error: answer.reason });
  });
  return settled;
}
