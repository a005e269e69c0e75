// The deploy-time settings of the app, read from CDK context (`cdk.json`, `-c key=value`, or buildApp's
// `context`). Values given on the command line arrive as strings, so numbers are parsed here, and a bad
// value fails the synthesis naming its key instead of deploying something surprising.
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import {
  BUILT_IN_WORKFLOW_DEFAULTS as BUILT_IN,
  describeBounds,
  isWithinBounds,
  type OptionBounds,
  WORKFLOW_OPTION_BOUNDS,
} from '../functions/app/workflows/workflow-defaults.ts';

/** The provider kinds of functions/providers (docs/backend.md, `ProviderConfig`). */
const PROVIDER_KINDS = ['local', 'bedrock', 'openai'] as const;

export interface AppConfig {
  /** Deployment stage: part of every stack name; `dev` data may be destroyed with its stack. */
  readonly stage: string;
  /** HTTP API default-stage throttling (requests per second, bucket size). */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Provider kind an agent registered without one uses (`DEFAULT_PROVIDER`). */
  readonly defaultProvider: (typeof PROVIDER_KINDS)[number];
  readonly logRetention: RetentionDays;
  /** RETAIN outside `dev`: tables and logs of a real stage outlive a mistaken `cdk destroy`. */
  readonly dataRemovalPolicy: RemovalPolicy;
  /** What a workflow that does not say otherwise runs with (the workflows API's environment). */
  readonly workflowDefaults: WorkflowDefaults;
}

/**
 * The defaults of POST /v1/workflows' `escalation`, `queue` and `parallel` (docs/backend.md), one per key of
 * the workflows API's WORKFLOW_OPTION_BOUNDS and within those bounds (`queueBackoffRate` may be fractional).
 */
export type WorkflowDefaults = { readonly [K in keyof typeof WORKFLOW_OPTION_BOUNDS]: number };

export function readAppConfig(node: Node): AppConfig {
  const stage = readString(node, 'stage', 'dev');
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage))
    throw new Error(`context "stage" must be lowercase letters, digits and dashes (≤ 20), got "${stage}"`);
  const defaultProvider = readString(node, 'defaultProvider', 'local');
  if (!isProviderKind(defaultProvider))
    throw new Error(
      `context "defaultProvider" must be one of ${PROVIDER_KINDS.join(', ')}, got "${defaultProvider}"`,
    );
  const logRetentionDays = readPositiveInteger(node, 'logRetentionDays', 30);
  if (!Object.values(RetentionDays).includes(logRetentionDays))
    throw new Error(
      `context "logRetentionDays" must be a CloudWatch Logs retention, got ${logRetentionDays}`,
    );
  return {
    stage,
    apiThrottle: {
      rateLimit: readPositiveInteger(node, 'apiThrottleRateLimit', 50),
      burstLimit: readPositiveInteger(node, 'apiThrottleBurstLimit', 100),
    },
    defaultProvider,
    logRetention: logRetentionDays as RetentionDays,
    dataRemovalPolicy: stage === 'dev' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    workflowDefaults: readWorkflowDefaults(node),
  };
}

function readWorkflowDefaults(node: Node): WorkflowDefaults {
  const read = (key: keyof WorkflowDefaults, fallback: number) =>
    readNumberInRange(node, key, fallback, WORKFLOW_OPTION_BOUNDS[key]);
  return {
    escalationSlaSeconds: read('escalationSlaSeconds', BUILT_IN.escalation.slaSeconds),
    escalationMaxLevel: read('escalationMaxLevel', BUILT_IN.escalation.maxLevel),
    queueMaxAttempts: read('queueMaxAttempts', BUILT_IN.queue.maxAttempts),
    queueDelaySeconds: read('queueDelaySeconds', BUILT_IN.queue.delaySeconds),
    queueBackoffRate: read('queueBackoffRate', BUILT_IN.queue.backoffRate),
    queueMaxDelaySeconds: read('queueMaxDelaySeconds', BUILT_IN.queue.maxDelaySeconds),
    parallelMaxConcurrency: read('parallelMaxConcurrency', BUILT_IN.parallelMaxConcurrency),
  };
}

function isProviderKind(value: string): value is AppConfig['defaultProvider'] {
  return (PROVIDER_KINDS as readonly string[]).includes(value);
}

function readString(node: Node, key: string, fallback: string): string {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return fallback;
  if (typeof value !== 'string')
    throw new Error(`context "${key}" must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function readPositiveInteger(node: Node, key: string, fallback: number): number {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return fallback;
  const parsed = typeof value === 'string' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed <= 0)
    throw new Error(`context "${key}" must be a positive integer, got ${JSON.stringify(value)}`);
  return parsed;
}

/** A number in the bounds the workflows API also holds requests and its environment to. */
function readNumberInRange(node: Node, key: string, fallback: number, bounds: OptionBounds): number {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return fallback;
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof parsed !== 'number' || !isWithinBounds(parsed, bounds))
    throw new Error(`context "${key}" must be ${describeBounds(bounds)}, got ${JSON.stringify(value)}`);
  return parsed;
}
