// Liveness (SPEC §6): the execution environment is alive while it uses less than 90 % of the function's
// memory limit. Past that, Lambda is close to killing it mid-invocation (Runtime.OutOfMemory); a probe that
// says so first lets an operator see the leak before the errors. Pure: the figures come from the caller.
import type { CheckResult } from './health-report.ts';

/** The share of the memory limit an environment may use and still be live (exclusive). */
export const MEMORY_LIMIT_FRACTION = 0.9;

const MIB = 1024 * 1024;

export interface MemoryFigures {
  /** Bytes the environment uses now (memory-in-use.ts). */
  usedBytes: number;
  /** The function's memory limit in MiB (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`). */
  limitMb: number;
}

/** ok while `usedBytes < 90 % of limitMb`; at or above it, failing. */
export function memoryCheck({ usedBytes, limitMb }: MemoryFigures): CheckResult {
  const usedMb = round1(usedBytes / MIB);
  const usedPercent = round1((usedBytes / (limitMb * MIB)) * 100);
  const figures = { usedMb, limitMb, usedPercent, limitPercent: MEMORY_LIMIT_FRACTION * 100 };
  if (usedBytes < MEMORY_LIMIT_FRACTION * limitMb * MIB) return { ok: true, ...figures };
  return {
    ok: false,
    ...figures,
    error:
      `${usedMb} MiB in use is ${usedPercent} % of the ${limitMb} MiB limit ` +
      `(live below ${MEMORY_LIMIT_FRACTION * 100} %)`,
  };
}

/**
 * The memory limit from `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, which Lambda always sets; undefined when it is
 * absent or not a positive number (then liveness cannot be judged and says so).
 */
export function memoryLimitMb(value: string | undefined): number | undefined {
  const limit = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(limit) && limit > 0 ? limit : undefined;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
