// The deploy-time settings of the app, read from CDK context (`cdk.json`, `-c key=value`, or buildApp's
// `context`). Values given on the command line arrive as strings, so numbers are parsed here, and a bad
// value fails the synthesis naming its key instead of deploying something surprising.
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

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

/** The defaults of POST /v1/workflows' `escalation`, `queue` and `parallel` (docs/backend.md), same ranges. */
export interface WorkflowDefaults {
  readonly escalationSlaSeconds: number;
  readonly escalationMaxLevel: number;
  readonly queueMaxAttempts: number;
  readonly queueDelaySeconds: number;
  /** May be fractional. */
  readonly queueBackoffRate: number;
  readonly queueMaxDelaySeconds: number;
  readonly parallelMaxConcurrency: number;
}

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
  const integer = (key: string, fallback: number, max: number) =>
    readNumberInRange(node, key, fallback, { min: 1, max, integer: true });
  return {
    escalationSlaSeconds: integer('escalationSlaSeconds', 3600, 604_800),
    escalationMaxLevel: integer('escalationMaxLevel', 3, 3),
    queueMaxAttempts: integer('queueMaxAttempts', 5, 20),
    queueDelaySeconds: integer('queueDelaySeconds', 5, 3600),
    queueBackoffRate: readNumberInRange(node, 'queueBackoffRate', 2, { min: 1, max: 5, integer: false }),
    queueMaxDelaySeconds: integer('queueMaxDelaySeconds', 300, 3600),
    parallelMaxConcurrency: integer('parallelMaxConcurrency', 10, 10),
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

function readNumberInRange(
  node: Node,
  key: string,
  fallback: number,
  range: { min: number; max: number; integer: boolean },
): number {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return fallback;
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const kind = range.integer ? 'an integer' : 'a number';
  if (
    typeof parsed !== 'number' ||
    !Number.isFinite(parsed) ||
    (range.integer && !Number.isInteger(parsed)) ||
    parsed < range.min ||
    parsed > range.max
  )
    throw new Error(
      `context "${key}" must be ${kind} from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`,
    );
  return parsed;
}
