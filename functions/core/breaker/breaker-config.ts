// Tuning of the circuit breaker of SPEC §6 (one per agent and one per provider).
//
// Defaults and why:
// - failureThreshold 5: five failures inside the window trip the breaker whatever the traffic. Agent calls
//   are slow and costly (LLM providers), so five failures in a minute is already an incident.
// - failureRateThreshold 0.5 over minimumRequests 6: half of the recent calls failing trips it once there
//   is enough evidence. minimumRequests is 6 rather than 10 on purpose: with a count threshold of 5, a
//   rate rule that needs 10 requests could never fire first (50 % of ≥ 10 is ≥ 5 failures), so it would
//   be dead weight. With 6, three failures out of six trip on the rate, five out of fifty on the count.
// - windowMs 60 s in 10 buckets of 6 s: outcomes are counted per bucket, so the window slides in 6 s steps
//   and its state stays at most 10 small records however many calls are made.
// - resetTimeoutMs 30 s, doubling on every trip that follows another without a successful close,
//   capped at maxResetTimeoutMs 5 min: a flapping dependency is probed less and less often.
// - halfOpenMaxProbes 1, successesToClose 1: one probe at a time; one success proves recovery.
// - probeTimeoutMs 60 s: a probe whose outcome never comes back (the caller timed out or crashed before
//   recording it) would otherwise hold its slot forever and wedge the breaker in HALF_OPEN.

export interface BreakerConfig {
  /** Failures within the window that trip the breaker regardless of the failure rate. */
  failureThreshold: number;
  /** Share of failures (0 < rate ≤ 1) within the window that trips the breaker… */
  failureRateThreshold: number;
  /** …once the window holds at least this many outcomes. */
  minimumRequests: number;
  /** Length of the sliding window of outcomes. */
  windowMs: number;
  /** The window is kept as this many equal buckets; windowMs must divide evenly. */
  windowBuckets: number;
  /** OPEN duration after the first trip; doubles on each consecutive trip. */
  resetTimeoutMs: number;
  /** Cap on the doubled OPEN duration. */
  maxResetTimeoutMs: number;
  /** Probes allowed in flight at once while HALF_OPEN. */
  halfOpenMaxProbes: number;
  /** Probe successes needed in HALF_OPEN to close the breaker. */
  successesToClose: number;
  /** After this long without news from any probe, in-flight probes are presumed lost and their slots freed. */
  probeTimeoutMs: number;
}

export const DEFAULT_BREAKER_CONFIG: Readonly<BreakerConfig> = breakerConfig();

/** Defaults overridden by `overrides`, validated once here so the hot path never re-checks them. */
export function breakerConfig(overrides: Partial<BreakerConfig> = {}): Readonly<BreakerConfig> {
  const config: BreakerConfig = {
    failureThreshold: 5,
    failureRateThreshold: 0.5,
    minimumRequests: 6,
    windowMs: 60_000,
    windowBuckets: 10,
    resetTimeoutMs: 30_000,
    maxResetTimeoutMs: 300_000,
    halfOpenMaxProbes: 1,
    successesToClose: 1,
    probeTimeoutMs: 60_000,
    ...overrides,
  };
  requirePositiveInteger(config, 'failureThreshold');
  requirePositiveInteger(config, 'minimumRequests');
  requirePositiveInteger(config, 'windowMs');
  requirePositiveInteger(config, 'windowBuckets');
  requirePositiveInteger(config, 'resetTimeoutMs');
  requirePositiveInteger(config, 'maxResetTimeoutMs');
  requirePositiveInteger(config, 'halfOpenMaxProbes');
  requirePositiveInteger(config, 'successesToClose');
  requirePositiveInteger(config, 'probeTimeoutMs');
  const rate = config.failureRateThreshold;
  if (!(rate > 0 && rate <= 1)) {
    throw new RangeError(`breaker failureRateThreshold must be within (0, 1], got ${rate}`);
  }
  if (config.windowMs % config.windowBuckets !== 0) {
    throw new RangeError(
      `breaker windowMs (${config.windowMs}) must be a multiple of windowBuckets (${config.windowBuckets})`,
    );
  }
  if (config.maxResetTimeoutMs < config.resetTimeoutMs) {
    throw new RangeError(
      `breaker maxResetTimeoutMs (${config.maxResetTimeoutMs}) must be ≥ resetTimeoutMs (${config.resetTimeoutMs})`,
    );
  }
  return Object.freeze(config);
}

function requirePositiveInteger(config: BreakerConfig, field: keyof BreakerConfig): void {
  const value = config[field];
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`breaker ${field} must be a positive integer, got ${value}`);
  }
}
