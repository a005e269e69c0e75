// Latency sampling shared by the benchmarks: warm up, time each call with the monotonic clock, and
// report percentiles. Figures are printed, never asserted: a shared 2-core machine makes timings noisy.

export interface LatencySummary {
  samples: number;
  p50: number;
  p99: number;
  mean: number;
}

/** Times `run` `iterations` times after `warmup` untimed calls; returns microseconds. */
export function sampleMicros(
  run: () => unknown,
  iterations: number,
  warmup = Math.min(10_000, iterations),
): LatencySummary {
  for (let i = 0; i < warmup; i++) run();
  const micros = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const started = process.hrtime.bigint();
    run();
    micros[i] = Number(process.hrtime.bigint() - started) / 1000;
  }
  return summarize(micros);
}

/** Like sampleMicros for asynchronous work; returns milliseconds. */
export async function sampleMillisAsync(
  run: () => Promise<unknown>,
  iterations: number,
  warmup = 3,
): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await run();
  const millis = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const started = process.hrtime.bigint();
    await run();
    millis[i] = Number(process.hrtime.bigint() - started) / 1e6;
  }
  return summarize(millis);
}

export function summarize(values: Float64Array): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { samples: sorted.length, p50: at(0.5), p99: at(0.99), mean };
}

export function formatFigure(value: number, unit: string): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ${unit}`;
}
