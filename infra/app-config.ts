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
import { type EmbedderConfig, EmbedderConfigSchema } from '../functions/core/memory/embedder.ts';

/** The provider kinds of functions/providers (docs/backend.md, `ProviderConfig`). */
const PROVIDER_KINDS = ['local', 'bedrock', 'openai'] as const;

export interface AppConfig {
  /** Deployment stage: part of every stack name; `dev` data may be destroyed with its stack. */
  readonly stage: string;
  /** HTTP API default-stage throttling (requests per second, bucket size). */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Seconds API Gateway caches the API-key authorizer's answer per Authorization header (0…3600): a
   * revoked key keeps working for at most this long; 0 asks the authorizer on every request.
   */
  readonly apiKeyCacheSeconds: number;
  /** Provider kind an agent registered without one uses (`DEFAULT_PROVIDER`). */
  readonly defaultProvider: (typeof PROVIDER_KINDS)[number];
  readonly logRetention: RetentionDays;
  /** RETAIN outside `dev`: tables and logs of a real stage outlive a mistaken `cdk destroy`. */
  readonly dataRemovalPolicy: RemovalPolicy;
  /** What a workflow that does not say otherwise runs with (the workflows API's environment). */
  readonly workflowDefaults: WorkflowDefaults;
  /** The event consumers and webhooks (docs/backend.md "Events"). */
  readonly events: EventsConfig;
  /**
   * Name of the SNS topic every operational alarm notifies (docs/backend.md "Alarms"): fixed by config rather
   * than generated, so operators can subscribe to it (or point a chat integration at it) before the first alarm.
   */
  readonly alarmTopicName: string;
  /**
   * What embeds memories and recall queries (docs/backend.md "Memory"): `{"kind":"local"}` (default, offline),
   * Bedrock Titan Text Embeddings V2 or an OpenAI-compatible `/embeddings` endpoint; `EMBEDDER` of the gate and
   * the memories API.
   */
  readonly embedder: EmbedderConfig;
}

export interface EventsConfig {
  /** Seconds between webhook delivery attempts; one more attempt than delays, then the DLQ (SPEC §5). */
  readonly webhookRetryDelaysSeconds: readonly number[];
  /**
   * Webhook URLs on loopback, private, link-local or metadata addresses (and plain http) are refused unless
   * this is set: the sandbox's receivers are on loopback; a deployment's never should be.
   */
  readonly webhookAllowPrivateUrls: boolean;
  /** A consumer retries a failed event after base, 2·base, 4·base, 8·base seconds, then the DLQ. */
  readonly consumerRetryBaseSeconds: number;
}

/** SPEC §5: 5, 15, 45, 135, 405 s. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_SECONDS = [5, 15, 45, 135, 405] as const;
/** SQS's largest DelaySeconds / a sane upper bound for one wait between attempts. */
const MAX_WEBHOOK_RETRY_DELAY_SECONDS = 900;

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
  const alarmTopicName = readString(node, 'alarmTopicName', `trustgate-${stage}-alarms`);
  // SNS's rule for standard topic names.
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(alarmTopicName))
    throw new Error(
      `context "alarmTopicName" must be 1 to 256 letters, digits, hyphens or underscores, got "${alarmTopicName}"`,
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
    apiKeyCacheSeconds: readNumberInRange(node, 'apiKeyCacheSeconds', 60, {
      min: 0,
      max: 3600,
      integer: true,
    }),
    defaultProvider,
    logRetention: logRetentionDays as RetentionDays,
    dataRemovalPolicy: stage === 'dev' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    workflowDefaults: readWorkflowDefaults(node),
    events: {
      webhookRetryDelaysSeconds: readRetryDelays(node, 'webhookRetryDelaysSeconds'),
      webhookAllowPrivateUrls: readBoolean(node, 'webhookAllowPrivateUrls', false),
      consumerRetryBaseSeconds: readNumberInRange(node, 'consumerRetryBaseSeconds', 2, {
        min: 1,
        max: 60,
        integer: true,
      }),
    },
    alarmTopicName,
    embedder: readEmbedder(node),
  };
}

/** Context `embedder`: an EmbedderConfig as an object or as its JSON (from `-c embedder='{…}'`). */
function readEmbedder(node: Node): EmbedderConfig {
  const value: unknown = node.tryGetContext('embedder');
  if (value === undefined) return { kind: 'local' };
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(`context "embedder" must be an embedder config as JSON, got ${JSON.stringify(value)}`);
    }
  }
  const result = EmbedderConfigSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(
      `context "embedder" is not a valid embedder config: ${issue.path.join('.') || 'embedder'} ${issue.message}`,
    );
  }
  return result.data;
}

/** A comma-separated list (or an array) of 1 to 10 whole seconds, each 1…900. */
function readRetryDelays(node: Node, key: string): readonly number[] {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return DEFAULT_WEBHOOK_RETRY_DELAYS_SECONDS;
  const parts = typeof value === 'string' ? value.split(',').map((part) => Number(part.trim())) : value;
  const valid =
    Array.isArray(parts) &&
    parts.length >= 1 &&
    parts.length <= 10 &&
    parts.every((delay) => Number.isInteger(delay) && delay >= 1 && delay <= MAX_WEBHOOK_RETRY_DELAY_SECONDS);
  if (!valid)
    throw new Error(
      `context "${key}" must be 1 to 10 whole seconds (1…${MAX_WEBHOOK_RETRY_DELAY_SECONDS}) separated by commas, got ${JSON.stringify(value)}`,
    );
  return parts as number[];
}

function readBoolean(node: Node, key: string, fallback: boolean): boolean {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context "${key}" must be true or false, got ${JSON.stringify(value)}`);
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
