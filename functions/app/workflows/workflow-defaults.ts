// The settings a workflow runs with when its request leaves them out (docs/backend.md "Workflows: the
// contract"). The deployment chooses them (CDK context → the workflows API's environment); the built-in
// values apply where it chose none. The bounds are the request's bounds too, so a deployment cannot set a
// default that a caller would be refused for asking.

export interface WorkflowDefaults {
  escalation: { slaSeconds: number; maxLevel: number };
  queue: { maxAttempts: number; delaySeconds: number; backoffRate: number; maxDelaySeconds: number };
  parallelMaxConcurrency: number;
}

export const BUILT_IN_WORKFLOW_DEFAULTS: WorkflowDefaults = {
  escalation: { slaSeconds: 3600, maxLevel: 3 },
  queue: { maxAttempts: 5, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 300 },
  parallelMaxConcurrency: 10,
};

export interface OptionBounds {
  min: number;
  max: number;
  integer: boolean;
}

/** The allowed range of each setting, in a request and in the environment alike. */
export const WORKFLOW_OPTION_BOUNDS = {
  escalationSlaSeconds: { min: 1, max: 604_800, integer: true },
  escalationMaxLevel: { min: 1, max: 3, integer: true },
  queueMaxAttempts: { min: 1, max: 20, integer: true },
  queueDelaySeconds: { min: 1, max: 3600, integer: true },
  queueBackoffRate: { min: 1, max: 5, integer: false },
  queueMaxDelaySeconds: { min: 1, max: 3600, integer: true },
  parallelMaxConcurrency: { min: 1, max: 10, integer: true },
} as const satisfies Record<string, OptionBounds>;

/** How a range reads in an error message: "an integer from 1 to 3", "a number from 1 to 5". */
export function describeBounds(bounds: OptionBounds): string {
  return `${bounds.integer ? 'an integer' : 'a number'} from ${bounds.min} to ${bounds.max}`;
}

export function isWithinBounds(value: number, bounds: OptionBounds): boolean {
  return (
    Number.isFinite(value) &&
    value >= bounds.min &&
    value <= bounds.max &&
    (!bounds.integer || Number.isInteger(value))
  );
}

/**
 * The defaults the deployment set: ESCALATION_SLA_SECONDS, ESCALATION_MAX_LEVEL, QUEUE_MAX_ATTEMPTS,
 * QUEUE_DELAY_SECONDS, QUEUE_BACKOFF_RATE, QUEUE_MAX_DELAY_SECONDS, PARALLEL_MAX_CONCURRENCY. An absent
 * variable means the built-in value; a present one that is not a number in range is a deployment bug, so
 * it throws (the function fails to start) rather than running every workflow with a guess.
 */
export function workflowDefaultsFromEnvironment(env: NodeJS.ProcessEnv): WorkflowDefaults {
  const built = BUILT_IN_WORKFLOW_DEFAULTS;
  const read = (name: string, bounds: OptionBounds, fallback: number): number => {
    const text = env[name];
    if (text === undefined) return fallback;
    const value = text.trim() === '' ? Number.NaN : Number(text);
    if (!isWithinBounds(value, bounds)) {
      throw new RangeError(`environment variable ${name} must be ${describeBounds(bounds)}, got "${text}"`);
    }
    return value;
  };
  const bounds = WORKFLOW_OPTION_BOUNDS;
  return {
    escalation: {
      slaSeconds: read('ESCALATION_SLA_SECONDS', bounds.escalationSlaSeconds, built.escalation.slaSeconds),
      maxLevel: read('ESCALATION_MAX_LEVEL', bounds.escalationMaxLevel, built.escalation.maxLevel),
    },
    queue: {
      maxAttempts: read('QUEUE_MAX_ATTEMPTS', bounds.queueMaxAttempts, built.queue.maxAttempts),
      delaySeconds: read('QUEUE_DELAY_SECONDS', bounds.queueDelaySeconds, built.queue.delaySeconds),
      backoffRate: read('QUEUE_BACKOFF_RATE', bounds.queueBackoffRate, built.queue.backoffRate),
      maxDelaySeconds: read(
        'QUEUE_MAX_DELAY_SECONDS',
        bounds.queueMaxDelaySeconds,
        built.queue.maxDelaySeconds,
      ),
    },
    parallelMaxConcurrency: read(
      'PARALLEL_MAX_CONCURRENCY',
      bounds.parallelMaxConcurrency,
      built.parallelMaxConcurrency,
    ),
  };
}
