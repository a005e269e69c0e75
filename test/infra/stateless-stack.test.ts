import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CONSUMERS } from '../../infra/event-consumers.ts';
import { type FlowName, stateMachineDefinition } from '../../infra/state-machine-definition.ts';
import { supportOf } from '../../sandbox/deploy/resource-types.ts';
import { logicalIdAt, type SynthesizedApp, synthesizeTrustgateApp } from './synthesized-app.ts';
import { permissionsOfRole, renderReference } from './template-references.ts';

/** A Bedrock embedder (docs/backend.md "Memory"), as `-c embedder='{…}'` passes it: JSON text. */
const BEDROCK_EMBEDDER = { kind: 'bedrock', modelId: 'amazon.titan-embed-text-v2:0', dimensions: 512 };
/** The one model ARN a Bedrock embedder may invoke, rendered: in the stack's region (the config names none). */
const embeddingModelArn = (app: SynthesizedApp) =>
  `arn:AWS::Partition:bedrock:${app.stateless.region}::foundation-model/amazon.titan-embed-text-v2:0`;

let dev: SynthesizedApp;
let tuned: SynthesizedApp;
beforeAll(async () => {
  dev = await synthesizeTrustgateApp();
  // As `cdk -c key=value` passes them: strings, even for numbers.
  tuned = await synthesizeTrustgateApp({
    apiThrottleRateLimit: '7',
    apiThrottleBurstLimit: 3,
    defaultProvider: 'bedrock',
    logRetentionDays: '90',
    escalationSlaSeconds: '600',
    queueBackoffRate: '1.5',
    webhookRetryDelaysSeconds: '1,2,3',
    webhookAllowPrivateUrls: 'true',
    consumerRetryBaseSeconds: '7',
    apiKeyCacheSeconds: '5',
    embedder: JSON.stringify(BEDROCK_EMBEDDER),
  });
});

const FUNCTIONS = {
  Gate: { entry: 'workflow/gate', memory: 1024, timeout: 130 },
  Finish: { entry: 'workflow/finish', memory: 512, timeout: 30 },
  AgentsApi: { entry: 'api/agents', memory: 512, timeout: 10 },
  MemoriesApi: { entry: 'api/memories', memory: 1024, timeout: 10 },
  IntentsApi: { entry: 'api/intents', memory: 512, timeout: 10 },
  ProofsApi: { entry: 'api/proofs', memory: 512, timeout: 10 },
  WorkflowsApi: { entry: 'api/workflows', memory: 512, timeout: 10 },
  Route: { entry: 'workflow/route', memory: 512, timeout: 30 },
  Decompose: { entry: 'workflow/decompose', memory: 512, timeout: 30 },
  RecordStepFailure: { entry: 'workflow/record-step-failure', memory: 512, timeout: 30 },
  Escalate: { entry: 'workflow/escalate', memory: 512, timeout: 30 },
  PlanCompensation: { entry: 'workflow/plan-compensation', memory: 512, timeout: 30 },
  Compensate: { entry: 'workflow/compensate', memory: 512, timeout: 30 },
  EscalationsApi: { entry: 'api/escalations', memory: 512, timeout: 10 },
} as const;
/** The functions of the events half (docs/backend.md "Events"): each gets only the environment it reads. */
const EVENT_FUNCTIONS = {
  TrustCalculator: { entry: 'consumers/trust-calculator', memory: 512, timeout: 30 },
  WebhookDispatcher: { entry: 'consumers/webhook-dispatcher', memory: 512, timeout: 30 },
  WebhookDelivery: { entry: 'consumers/webhook-delivery', memory: 512, timeout: 30 },
  Analytics: { entry: 'consumers/analytics', memory: 512, timeout: 30 },
  AuditLogger: { entry: 'consumers/audit-logger', memory: 512, timeout: 30 },
  AlertService: { entry: 'consumers/alert-service', memory: 512, timeout: 30 },
  DlqMonitor: { entry: 'scheduled/dlq-monitor', memory: 512, timeout: 30 },
  DecaySweep: { entry: 'scheduled/decay-sweep', memory: 512, timeout: 300 },
  EventsApi: { entry: 'api/events', memory: 512, timeout: 10 },
  WebhooksApi: { entry: 'api/webhooks', memory: 512, timeout: 10 },
  AuditApi: { entry: 'api/audit', memory: 512, timeout: 10 },
  AlertsApi: { entry: 'api/alerts', memory: 512, timeout: 10 },
  MetricsApi: { entry: 'api/metrics', memory: 512, timeout: 10 },
  HealthApi: { entry: 'api/health', memory: 512, timeout: 10 },
  ApiKeyAuthorizer: { entry: 'api/authorizer', memory: 512, timeout: 10 },
  ApiKeysApi: { entry: 'api/api-keys', memory: 512, timeout: 10 },
} as const;
const ALL_FUNCTIONS = { ...FUNCTIONS, ...EVENT_FUNCTIONS };
type FunctionId = keyof typeof ALL_FUNCTIONS;
type EventFunctionId = keyof typeof EVENT_FUNCTIONS;
/** The five bus consumers, by construct id, with their consumer names (infra/event-consumers.ts). */
const CONSUMERS = [
  'TrustCalculator',
  'WebhookDispatcher',
  'Analytics',
  'AuditLogger',
  'AlertService',
] as const;

const ROUTES: Record<string, FunctionId> = {
  'POST /v1/agents': 'AgentsApi',
  'GET /v1/agents': 'AgentsApi',
  'GET /v1/agents/{id}': 'AgentsApi',
  'POST /v1/agents/{id}/memories': 'MemoriesApi',
  'GET /v1/agents/{id}/memories': 'MemoriesApi',
  'DELETE /v1/agents/{id}/memories/{memoryId}': 'MemoriesApi',
  'POST /v1/intents': 'IntentsApi',
  'GET /v1/agents/{id}/intents/verify': 'IntentsApi',
  'GET /v1/proofs/{hash}': 'ProofsApi',
  'POST /v1/workflows': 'WorkflowsApi',
  'GET /v1/workflows': 'WorkflowsApi',
  'GET /v1/workflows/{id}': 'WorkflowsApi',
  'GET /v1/escalations': 'EscalationsApi',
  'GET /v1/escalations/{id}': 'EscalationsApi',
  'POST /v1/escalations/{id}/approve': 'EscalationsApi',
  'POST /v1/escalations/{id}/reject': 'EscalationsApi',
  'POST /v1/events': 'EventsApi',
  'POST /v1/events/redrive': 'EventsApi',
  'POST /v1/webhooks': 'WebhooksApi',
  'GET /v1/webhooks': 'WebhooksApi',
  'GET /v1/webhooks/{id}': 'WebhooksApi',
  'DELETE /v1/webhooks/{id}': 'WebhooksApi',
  'POST /v1/webhooks/redrive': 'WebhooksApi',
  'GET /v1/audit': 'AuditApi',
  'GET /v1/audit/verify': 'AuditApi',
  'GET /v1/alerts': 'AlertsApi',
  'GET /metrics': 'MetricsApi',
  'POST /v1/api-keys': 'ApiKeysApi',
  'GET /v1/api-keys': 'ApiKeysApi',
  'GET /v1/api-keys/{keyId}': 'ApiKeysApi',
  'DELETE /v1/api-keys/{keyId}': 'ApiKeysApi',
  'GET /v1/tenants/{tenantId}/plan': 'ApiKeysApi',
  'PUT /v1/tenants/{tenantId}/plan': 'ApiKeysApi',
  'GET /health': 'HealthApi',
  'GET /openapi.json': 'HealthApi',
  'GET /ready': 'HealthApi',
};

/** The three flows by construct id, with the functions each invokes (docs/backend.md "Flows"). */
const FLOWS = {
  SequentialPipeline: { flow: 'sequential-pipeline', invokes: ['Finish'] },
  ParallelFanout: { flow: 'parallel-fanout', invokes: ['Decompose', 'Finish'] },
  Saga: { flow: 'saga', invokes: ['Finish', 'PlanCompensation', 'Compensate'] },
} as const satisfies Record<string, { flow: FlowName; invokes: readonly FunctionId[] }>;
type FlowId = keyof typeof FLOWS;
const GATED_STEP_FUNCTIONS = ['Gate', 'Route', 'Escalate', 'RecordStepFailure'] as const;
const stateMachine = (id: FlowId) => logicalIdAt(dev.stateless, `${id}/StateMachine`);

const READ = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
];
/** What Powertools' DynamoDB persistence layer does with an idempotency record. */
const IDEMPOTENCY_RECORDS = [
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];
const READ_WRITE = [
  ...READ,
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
].sort();
const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const SEND = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
const CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];

function functionProperties(app: SynthesizedApp, id: FunctionId): Record<string, unknown> {
  const logicalId = logicalIdAt(app.stateless, `${id}/Function`);
  return app.statelessTemplate.findResources('AWS::Lambda::Function')[logicalId]?.Properties;
}

/** `AgentsTable` → the rendered stateful logical id (with `.Arn` for the table ARN). */
function table(id: string, attribute?: 'Arn'): string {
  const logicalId = logicalIdAt(dev.stateful, id);
  return attribute ? `${logicalId}.${attribute}` : logicalId;
}

function permissionsOf(
  id: FunctionId | `${FlowId}/StateMachine`,
  app: SynthesizedApp = dev,
): Record<string, string[]> {
  return permissionsOfRole(
    app.statelessTemplate,
    logicalIdAt(app.stateless, `${id}/Role`),
    app.statefulTemplate,
  );
}

/** A stateful resource's rendered logical id, by its construct path (`TrustCalculatorEvents/Queue`). */
function statefulId(path: string, attribute?: 'Arn'): string {
  const logicalId = logicalIdAt(dev.stateful, path);
  return attribute ? `${logicalId}.${attribute}` : logicalId;
}

const consumerQueue = (id: (typeof CONSUMERS)[number], attribute?: 'Arn') =>
  statefulId(`${id}Events/Queue`, attribute);
/** A consumer's queue by its consumer name (`trust-calculator`). */
const consumerQueueNamed = (consumer: string) =>
  consumerQueue(CONSUMERS.find((id) => EVENT_CONSUMERS[id].consumer === consumer)!);
/** Every table of the app, by its name in docs/backend.md, with its construct id: what GET /ready describes. */
const HEALTH_TABLES = {
  agents: 'AgentsTable',
  intents: 'IntentsTable',
  proofs: 'ProofsTable',
  workflows: 'WorkflowsTable',
  gateState: 'GateStateTable',
  escalations: 'EscalationsTable',
  idempotency: 'IdempotencyTable',
  webhooks: 'WebhooksTable',
  audit: 'AuditTable',
  analytics: 'AnalyticsTable',
  alerts: 'AlertsTable',
  apiKeys: 'ApiKeysTable',
  memory: 'MemoryTable',
} as const;
const consumerDlq = (id: (typeof CONSUMERS)[number], attribute?: 'Arn') =>
  statefulId(`${id}Events/DeadLetterQueue`, attribute);

/** What every publisher may do: put on the bus, park on the undelivered-events queue. */
function publishing(): Record<string, string[]> {
  return {
    [statefulId('EventBus', 'Arn')]: ['events:PutEvents'],
    [statefulId('UndeliveredEvents/Queue', 'Arn')]: SEND,
  };
}

function ownLogs(id: FunctionId): Record<string, string[]> {
  return {
    [`${logicalIdAt(dev.stateless, `${id}/LogGroup`)}.Arn`]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  };
}

describe('functions', () => {
  it('bundles every entry point the stack deploys', () => {
    expect(dev.entries).toEqual(expect.arrayContaining(Object.values(ALL_FUNCTIONS).map((fn) => fn.entry)));
    dev.statelessTemplate.resourceCountIs('AWS::Lambda::Function', Object.keys(ALL_FUNCTIONS).length);
  });

  it.each(Object.entries(ALL_FUNCTIONS))(
    '%s runs its own bundle on Node.js 22, arm64, traced',
    (id, expected) => {
      const properties = functionProperties(dev, id as FunctionId);
      expect(properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: expected.memory,
        Timeout: expected.timeout,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logicalIdAt(dev.stateless, `${id}/LogGroup`) } },
      });
      // The code asset `<hash>.zip` is staged from the assembly's `asset.<hash>` directory; the bundle's source
      // map names the entry point it was built from.
      const assetHash = (properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const sourceMap = JSON.parse(
        readFileSync(join(dev.assembly.directory, `asset.${assetHash}`, 'index.mjs.map'), 'utf8'),
      ) as { sources: string[] };
      const handlers = sourceMap.sources.filter((source) => source.endsWith('.handler.ts'));
      expect(handlers.map((source) => source.replace(/^(\.\.\/)+/, ''))).toEqual([
        `functions/${expected.entry}.handler.ts`,
      ]);
    },
  );

  it.each(Object.keys(FUNCTIONS))('%s gets the environment of docs/backend.md', (id) => {
    const variables = (
      functionProperties(dev, id as FunctionId).Environment as { Variables: Record<string, never> }
    ).Variables;
    const rendered = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [name, renderReference(value, dev.statefulTemplate)]),
    );
    expect(rendered).toEqual({
      AGENTS_TABLE: table('AgentsTable'),
      INTENTS_TABLE: table('IntentsTable'),
      PROOFS_TABLE: table('ProofsTable'),
      WORKFLOWS_TABLE: table('WorkflowsTable'),
      GATE_STATE_TABLE: table('GateStateTable'),
      ESCALATIONS_TABLE: table('EscalationsTable'),
      STAGE: 'dev',
      DEFAULT_PROVIDER: 'local',
      POWERTOOLS_SERVICE_NAME: 'trustgate',
      POWERTOOLS_METRICS_NAMESPACE: 'Trustgate',
      NODE_OPTIONS: '--enable-source-maps',
      EVENT_BUS_NAME: statefulId('EventBus'),
      UNDELIVERED_EVENTS_QUEUE_URL: statefulId('UndeliveredEvents/Queue'),
      // The gate recalls and remembers; the memories API serves the memories routes.
      ...(id === 'Gate' || id === 'MemoriesApi'
        ? { MEMORY_TABLE: table('MemoryTable'), EMBEDDER: '{"kind":"local"}' }
        : {}),
      ...(id === 'WorkflowsApi'
        ? {
            SEQUENTIAL_STATE_MACHINE_ARN: stateMachine('SequentialPipeline'),
            PARALLEL_STATE_MACHINE_ARN: stateMachine('ParallelFanout'),
            SAGA_STATE_MACHINE_ARN: stateMachine('Saga'),
            ESCALATION_SLA_SECONDS: '3600',
            ESCALATION_MAX_LEVEL: '3',
            QUEUE_MAX_ATTEMPTS: '5',
            QUEUE_DELAY_SECONDS: '5',
            QUEUE_BACKOFF_RATE: '2',
            QUEUE_MAX_DELAY_SECONDS: '300',
            PARALLEL_MAX_CONCURRENCY: '10',
          }
        : {}),
    });
  });

  it.each(Object.keys(EVENT_FUNCTIONS) as EventFunctionId[])(
    '%s gets only the environment it reads',
    (id) => {
      const variables = (functionProperties(dev, id).Environment as { Variables: Record<string, never> })
        .Variables;
      const rendered = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [
          name,
          renderReference(value, dev.statefulTemplate),
        ]),
      );
      const publisher = {
        EVENT_BUS_NAME: statefulId('EventBus'),
        UNDELIVERED_EVENTS_QUEUE_URL: statefulId('UndeliveredEvents/Queue'),
      };
      const consumer = (consumerId: (typeof CONSUMERS)[number]) => ({
        IDEMPOTENCY_TABLE: table('IdempotencyTable'),
        CONSUMER_QUEUE_URL: consumerQueue(consumerId),
        CONSUMER_DLQ_URL: consumerDlq(consumerId),
        CONSUMER_RETRY_BASE_SECONDS: '2',
      });
      const webhooks = {
        WEBHOOKS_TABLE: table('WebhooksTable'),
        WEBHOOK_DELIVERY_QUEUE_URL: statefulId('WebhookDeliveries/Queue'),
        WEBHOOK_DLQ_URL: statefulId('WebhookDeliveries/DeadLetterQueue'),
        WEBHOOK_ALLOW_PRIVATE_URLS: 'false',
      };
      // The API functions' rate limit (and the authorizer's plans) are in GateStateTable.
      const rateLimited = { GATE_STATE_TABLE: table('GateStateTable') };
      const dlqs = Object.fromEntries([
        ['trust-calculator', consumerDlq('TrustCalculator')],
        ['webhook-dispatcher', consumerDlq('WebhookDispatcher')],
        ['analytics', consumerDlq('Analytics')],
        ['audit-logger', consumerDlq('AuditLogger')],
        ['alert-service', consumerDlq('AlertService')],
      ] as const);
      const expected: Record<EventFunctionId, Record<string, string>> = {
        TrustCalculator: { ...publisher, AGENTS_TABLE: table('AgentsTable'), ...consumer('TrustCalculator') },
        // It reads the subscriptions and queues deliveries; the DLQ and the URL policy are the worker's.
        WebhookDispatcher: {
          WEBHOOKS_TABLE: table('WebhooksTable'),
          WEBHOOK_DELIVERY_QUEUE_URL: statefulId('WebhookDeliveries/Queue'),
          ...consumer('WebhookDispatcher'),
        },
        WebhookDelivery: {
          ...publisher,
          ...webhooks,
          WEBHOOK_RETRY_DELAYS_SECONDS: '5,15,45,135,405',
          WEBHOOK_TIMEOUT_MS: '10000',
          WEBHOOK_DISABLE_AFTER_SECONDS: String(5 * 24 * 3600),
        },
        Analytics: { ANALYTICS_TABLE: table('AnalyticsTable'), ...consumer('Analytics') },
        AuditLogger: { AUDIT_TABLE: table('AuditTable'), ...consumer('AuditLogger') },
        AlertService: { ...publisher, ALERTS_TABLE: table('AlertsTable'), ...consumer('AlertService') },
        DlqMonitor: {
          ...publisher,
          ALERTS_TABLE: table('AlertsTable'),
          MONITORED_DLQ_URLS: JSON.stringify({
            ...dlqs,
            'webhook-deliveries': statefulId('WebhookDeliveries/DeadLetterQueue'),
            'undelivered-events': statefulId('UndeliveredEvents/Queue'),
            'undelivered-events-dlq': statefulId('UndeliveredEvents/DeadLetterQueue'),
            'rule-delivery': statefulId('RuleDeliveryDlq'),
          }),
        },
        DecaySweep: { ...publisher, AGENTS_TABLE: table('AgentsTable') },
        EventsApi: {
          ...publisher,
          ...rateLimited,
          AGENTS_TABLE: table('AgentsTable'),
          CONSUMER_QUEUES: JSON.stringify(
            Object.fromEntries(
              CONSUMERS.map((consumerId) => [
                Object.entries(dlqs).find(([, dlq]) => dlq === consumerDlq(consumerId))![0],
                { queueUrl: consumerQueue(consumerId), deadLetterQueueUrl: consumerDlq(consumerId) },
              ]),
            ),
          ),
        },
        WebhooksApi: { ...webhooks, ...rateLimited },
        AuditApi: { AUDIT_TABLE: table('AuditTable'), ...rateLimited },
        AlertsApi: { ALERTS_TABLE: table('AlertsTable'), ...rateLimited },
        MetricsApi: { ANALYTICS_TABLE: table('AnalyticsTable'), ...rateLimited },
        ApiKeyAuthorizer: { API_KEYS_TABLE: table('ApiKeysTable'), ...rateLimited },
        ApiKeysApi: { API_KEYS_TABLE: table('ApiKeysTable'), ...rateLimited },
        HealthApi: {
          READINESS_TABLES: JSON.stringify(
            Object.fromEntries(Object.entries(HEALTH_TABLES).map(([name, id]) => [name, table(id)])),
          ),
          READINESS_QUEUES: JSON.stringify({
            ...Object.fromEntries(Object.entries(dlqs).map(([name]) => [name, consumerQueueNamed(name)])),
            'webhook-deliveries': statefulId('WebhookDeliveries/Queue'),
          }),
        },
      };
      expect(rendered).toEqual({
        STAGE: 'dev',
        POWERTOOLS_SERVICE_NAME: 'trustgate',
        POWERTOOLS_METRICS_NAMESPACE: 'Trustgate',
        NODE_OPTIONS: '--enable-source-maps',
        ...expected[id],
      });
    },
  );

  it('takes the webhook retry schedule, the private-URL allowance and the consumer backoff from context', () => {
    expect(functionProperties(tuned, 'WebhookDelivery')).toMatchObject({
      Environment: {
        Variables: { WEBHOOK_RETRY_DELAYS_SECONDS: '1,2,3', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
      },
    });
    expect(functionProperties(tuned, 'AuditLogger')).toMatchObject({
      Environment: { Variables: { CONSUMER_RETRY_BASE_SECONDS: '7' } },
    });
  });

  it('gives the workflows API the workflow defaults from context', () => {
    expect(functionProperties(tuned, 'WorkflowsApi')).toMatchObject({
      Environment: { Variables: { ESCALATION_SLA_SECONDS: '600', QUEUE_BACKOFF_RATE: '1.5' } },
    });
  });

  it('takes the default provider from context', () => {
    expect(functionProperties(tuned, 'Gate')).toMatchObject({
      Environment: { Variables: { DEFAULT_PROVIDER: 'bedrock' } },
    });
  });

  it.each(['Gate', 'MemoriesApi'] as const)('gives %s the embedder of context as EMBEDDER', (id) => {
    const variables = (functionProperties(tuned, id).Environment as { Variables: Record<string, string> })
      .Variables;
    expect(JSON.parse(variables.EMBEDDER!)).toEqual(BEDROCK_EMBEDDER);
    expect(renderReference(variables.MEMORY_TABLE!, tuned.statefulTemplate)).toBe(
      logicalIdAt(tuned.stateful, 'MemoryTable'),
    );
  });
});

/** Every API function: one conditional update of its tenant's request bucket (docs/backend.md "Rate limits"). */
const API_REQUEST_BUCKET = ['dynamodb:UpdateItem'];
/** The keys API on the tenants' plans. */
const TENANT_PLANS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'];
const API_FUNCTIONS = [
  'AgentsApi',
  'MemoriesApi',
  'IntentsApi',
  'ProofsApi',
  'WorkflowsApi',
  'EscalationsApi',
  'EventsApi',
  'WebhooksApi',
  'AuditApi',
  'AlertsApi',
  'MetricsApi',
  'ApiKeysApi',
] as const;

/** The statements of a function's role on GateStateTable: actions and condition. */
function gateStateStatements(id: FunctionId): { Action: string[]; Condition: unknown }[] {
  return Object.values(dev.statelessTemplate.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      policy.Properties.Roles.some(
        (role: unknown) =>
          JSON.stringify(role) === JSON.stringify({ Ref: logicalIdAt(dev.stateless, `${id}/Role`) }),
      ),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement) =>
      [statement.Resource]
        .flat()
        .some(
          (resource: unknown) =>
            renderReference(resource as Parameters<typeof renderReference>[0], dev.statefulTemplate) ===
            table('GateStateTable', 'Arn'),
        ),
    )
    .map((statement) => ({ Action: [statement.Action].flat().sort(), Condition: statement.Condition }));
}

const leadingKeys = (pattern: string) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [pattern] },
});

describe('permissions', () => {
  it.each(API_FUNCTIONS)(
    '%s may update only the API request buckets of GateStateTable (LeadingKeys)',
    (id) => {
      const bucketOnly = { Action: API_REQUEST_BUCKET, Condition: leadingKeys('api-bucket#*') };
      const plans = { Action: TENANT_PLANS, Condition: leadingKeys('plan#*') };
      const queue = { Action: ['dynamodb:UpdateItem'], Condition: leadingKeys('queue#*') };
      const others: Record<string, unknown[]> = { ApiKeysApi: [plans], WorkflowsApi: [queue] };
      const expected = [bucketOnly, ...(others[id] ?? [])];
      expect(gateStateStatements(id)).toEqual(expect.arrayContaining(expected));
      expect(gateStateStatements(id)).toHaveLength(expected.length);
    },
  );

  it('finish may only give back open-workflow slots of GateStateTable (LeadingKeys)', () => {
    expect(gateStateStatements('Finish')).toEqual([
      { Action: ['dynamodb:UpdateItem'], Condition: leadingKeys('queue#*') },
    ]);
  });

  it('the authorizer may only read the plans of GateStateTable (LeadingKeys)', () => {
    expect(gateStateStatements('ApiKeyAuthorizer')).toEqual([
      { Action: ['dynamodb:GetItem'], Condition: leadingKeys('plan#*') },
    ]);
  });

  it('gives roles no managed policies: every permission is a grant', () => {
    for (const role of Object.values(dev.statelessTemplate.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
    }
  });

  it('agents API: the agents table', () => {
    expect(permissionsOf('AgentsApi')).toEqual({
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      [table('AgentsTable', 'Arn')]: READ_WRITE,
      ...ownLogs('AgentsApi'),
      '*': XRAY,
    });
  });

  it('memories API: reads agents, reads and writes memories; no Bedrock with the local embedder', () => {
    const permissions = permissionsOf('MemoriesApi');
    expect(permissions).toEqual({
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      [table('AgentsTable', 'Arn')]: READ,
      [table('MemoryTable', 'Arn')]: READ_WRITE,
      ...ownLogs('MemoriesApi'),
      '*': XRAY,
    });
    expect(
      Object.values(permissions)
        .flat()
        .filter((action) => action.startsWith('bedrock:')),
    ).toEqual([]);
  });

  it('memories API with a Bedrock embedder: InvokeModel on exactly the configured model, nothing more', () => {
    expect(permissionsOf('MemoriesApi', tuned)).toEqual({
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      [table('AgentsTable', 'Arn')]: READ,
      [table('MemoryTable', 'Arn')]: READ_WRITE,
      [embeddingModelArn(tuned)]: ['bedrock:InvokeModel'],
      ...ownLogs('MemoriesApi'),
      '*': XRAY,
    });
  });

  it('intents API: agents and intents (chain head and record in one transaction), Query on byIntentId', () => {
    expect(permissionsOf('IntentsApi')).toEqual({
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      [table('AgentsTable', 'Arn')]: READ_WRITE,
      [table('IntentsTable', 'Arn')]: READ_WRITE,
      [`${table('IntentsTable', 'Arn')}/index/byIntentId`]: ['dynamodb:Query'],
      ...ownLogs('IntentsApi'),
      '*': XRAY,
    });
  });

  it('proofs API: reads proofs and writes nothing', () => {
    expect(permissionsOf('ProofsApi')).toEqual({
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      [table('ProofsTable', 'Arn')]: READ,
      ...ownLogs('ProofsApi'),
      '*': XRAY,
    });
  });

  it('workflows API: workflows (Query on byTenant only), reads agents, starts the three flows', () => {
    expect(permissionsOf('WorkflowsApi')).toEqual({
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      [`${table('WorkflowsTable', 'Arn')}/index/byTenant`]: ['dynamodb:Query'],
      [table('AgentsTable', 'Arn')]: READ,
      [stateMachine('SequentialPipeline')]: ['states:StartExecution'],
      [stateMachine('ParallelFanout')]: ['states:StartExecution'],
      [stateMachine('Saga')]: ['states:StartExecution'],
      ...publishing(),
      ...ownLogs('WorkflowsApi'),
      '*': XRAY,
    });
  });

  it('escalations API: escalations (Query on byTenantStatus only), workflows, answers the three flows’ tasks', () => {
    const taskResponse = ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'];
    expect(permissionsOf('EscalationsApi')).toEqual({
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      [table('EscalationsTable', 'Arn')]: READ_WRITE,
      [`${table('EscalationsTable', 'Arn')}/index/byTenantStatus`]: ['dynamodb:Query'],
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      [stateMachine('SequentialPipeline')]: taskResponse,
      [stateMachine('ParallelFanout')]: taskResponse,
      [stateMachine('Saga')]: taskResponse,
      ...publishing(),
      ...ownLogs('EscalationsApi'),
      '*': XRAY,
    });
  });

  it('route: reads agents, writes workflows', () => {
    expect(permissionsOf('Route')).toEqual({
      [table('AgentsTable', 'Arn')]: READ,
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      ...ownLogs('Route'),
      '*': XRAY,
    });
  });

  it.each(['Decompose', 'RecordStepFailure', 'Compensate'] as const)('%s: workflows only', (id) => {
    expect(permissionsOf(id)).toEqual({
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      ...ownLogs(id),
      '*': XRAY,
    });
  });

  it('plan compensation: reads workflows, writes nothing', () => {
    expect(permissionsOf('PlanCompensation')).toEqual({
      [table('WorkflowsTable', 'Arn')]: READ,
      ...ownLogs('PlanCompensation'),
      '*': XRAY,
    });
  });

  it('escalate: workflows and escalations, by key (no index)', () => {
    expect(permissionsOf('Escalate')).toEqual({
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      [table('EscalationsTable', 'Arn')]: READ_WRITE,
      ...publishing(),
      ...ownLogs('Escalate'),
      '*': XRAY,
    });
  });

  it('gate: every table, and Bedrock InvokeModel on foundation models and inference profiles only', () => {
    expect(permissionsOf('Gate')).toEqual({
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      [table('AgentsTable', 'Arn')]: READ_WRITE,
      [table('IntentsTable', 'Arn')]: READ_WRITE,
      [`${table('IntentsTable', 'Arn')}/index/byIntentId`]: ['dynamodb:Query'],
      [table('ProofsTable', 'Arn')]: READ_WRITE,
      [table('GateStateTable', 'Arn')]: READ_WRITE,
      [table('MemoryTable', 'Arn')]: READ_WRITE,
      'arn:AWS::Partition:bedrock:*::foundation-model/*': ['bedrock:InvokeModel'],
      'arn:AWS::Partition:bedrock:*:AWS::AccountId:inference-profile/*': ['bedrock:InvokeModel'],
      ...publishing(),
      ...ownLogs('Gate'),
      '*': XRAY,
    });
  });

  // `tuned` synthesizes the same constructs, so its logical ids are dev's: the helpers above apply to both.
  it('gate with a Bedrock embedder: one more grant, InvokeModel on exactly the configured model', () => {
    expect(permissionsOf('Gate', tuned)).toEqual({
      ...permissionsOf('Gate'),
      [embeddingModelArn(tuned)]: ['bedrock:InvokeModel'],
    });
  });

  it('finish: workflows and proofs, gives back the queue slot', () => {
    expect(permissionsOf('Finish')).toEqual({
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      [table('ProofsTable', 'Arn')]: READ_WRITE,
      [table('GateStateTable', 'Arn')]: ['dynamodb:UpdateItem'],
      ...publishing(),
      ...ownLogs('Finish'),
      '*': XRAY,
    });
  });

  const consumerBasics = (id: (typeof CONSUMERS)[number]) => ({
    [consumerQueue(id, 'Arn')]: CONSUME,
    [consumerDlq(id, 'Arn')]: SEND,
    [table('IdempotencyTable', 'Arn')]: IDEMPOTENCY_RECORDS,
    ...ownLogs(id),
    '*': XRAY,
  });

  it.each(CONSUMERS)('%s may touch only its own idempotency records (LeadingKeys)', (id) => {
    const statements = Object.values(dev.statelessTemplate.findResources('AWS::IAM::Policy'))
      .filter((policy) =>
        policy.Properties.Roles.some(
          (role: unknown) =>
            JSON.stringify(role) === JSON.stringify({ Ref: logicalIdAt(dev.stateless, `${id}/Role`) }),
        ),
      )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) =>
        [statement.Resource]
          .flat()
          .some((resource: unknown) =>
            renderReference(
              resource as Parameters<typeof renderReference>[0],
              dev.statefulTemplate,
            ).startsWith(table('IdempotencyTable')),
          ),
      );
    expect(
      statements.map((statement) => ({
        Action: [statement.Action].flat().sort(),
        Condition: statement.Condition,
      })),
    ).toEqual([
      {
        Action: IDEMPOTENCY_RECORDS,
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [`trustgate.${EVENT_CONSUMERS[id].consumer}#*`],
          },
        },
      },
    ]);
  });

  it('trust calculator: its queue, agents, publishes', () => {
    expect(permissionsOf('TrustCalculator')).toEqual({
      ...consumerBasics('TrustCalculator'),
      [table('AgentsTable', 'Arn')]: READ_WRITE,
      ...publishing(),
    });
  });

  it('webhook dispatcher: its queue, reads webhooks, queues deliveries; publishes nothing', () => {
    expect(permissionsOf('WebhookDispatcher')).toEqual({
      ...consumerBasics('WebhookDispatcher'),
      [table('WebhooksTable', 'Arn')]: READ,
      [statefulId('WebhookDeliveries/Queue', 'Arn')]: SEND,
    });
  });

  it('webhook delivery: the deliveries queue and its DLQ, webhooks, publishes (webhook.disabled)', () => {
    expect(permissionsOf('WebhookDelivery')).toEqual({
      [statefulId('WebhookDeliveries/Queue', 'Arn')]: CONSUME,
      [statefulId('WebhookDeliveries/DeadLetterQueue', 'Arn')]: SEND,
      [table('WebhooksTable', 'Arn')]: READ_WRITE,
      ...publishing(),
      ...ownLogs('WebhookDelivery'),
      '*': XRAY,
    });
  });

  it('analytics: its queue and the analytics table only', () => {
    expect(permissionsOf('Analytics')).toEqual({
      ...consumerBasics('Analytics'),
      [table('AnalyticsTable', 'Arn')]: READ_WRITE,
    });
  });

  it('audit logger: its queue, and on the audit table get, query and put only (append-only)', () => {
    expect(permissionsOf('AuditLogger')).toEqual({
      ...consumerBasics('AuditLogger'),
      [table('AuditTable', 'Arn')]: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    });
  });

  it('alert service: its queue, alerts, publishes', () => {
    expect(permissionsOf('AlertService')).toEqual({
      ...consumerBasics('AlertService'),
      [table('AlertsTable', 'Arn')]: READ_WRITE,
      ...publishing(),
    });
  });

  it('DLQ monitor: reads the depth of every dead-letter queue, alerts, publishes', () => {
    const depth = ['sqs:GetQueueAttributes'];
    expect(permissionsOf('DlqMonitor')).toEqual({
      ...Object.fromEntries(CONSUMERS.map((id) => [consumerDlq(id, 'Arn'), depth])),
      [statefulId('WebhookDeliveries/DeadLetterQueue', 'Arn')]: depth,
      [statefulId('RuleDeliveryDlq', 'Arn')]: depth,
      [statefulId('UndeliveredEvents/DeadLetterQueue', 'Arn')]: depth,
      [table('AlertsTable', 'Arn')]: READ_WRITE,
      ...publishing(),
      ...ownLogs('DlqMonitor'),
      '*': XRAY,
    });
  });

  it('decay sweep: agents, publishes', () => {
    expect(permissionsOf('DecaySweep')).toEqual({
      [table('AgentsTable', 'Arn')]: READ_WRITE,
      ...publishing(),
      ...ownLogs('DecaySweep'),
      '*': XRAY,
    });
  });

  it('events API: reads agents, publishes, moves each consumer DLQ back to its queue and the parked events', () => {
    expect(permissionsOf('EventsApi')).toEqual({
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      [table('AgentsTable', 'Arn')]: READ,
      [statefulId('EventBus', 'Arn')]: ['events:PutEvents'],
      [statefulId('UndeliveredEvents/Queue', 'Arn')]: [...CONSUME, 'sqs:SendMessage'].sort(),
      ...Object.fromEntries(
        CONSUMERS.flatMap((id) => [
          [consumerDlq(id, 'Arn'), CONSUME],
          [consumerQueue(id, 'Arn'), SEND],
        ]),
      ),
      ...ownLogs('EventsApi'),
      '*': XRAY,
    });
  });

  it('webhooks API: webhooks, moves the delivery DLQ back to the deliveries queue', () => {
    expect(permissionsOf('WebhooksApi')).toEqual({
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      [table('WebhooksTable', 'Arn')]: READ_WRITE,
      [statefulId('WebhookDeliveries/DeadLetterQueue', 'Arn')]: CONSUME,
      [statefulId('WebhookDeliveries/Queue', 'Arn')]: SEND,
      ...ownLogs('WebhooksApi'),
      '*': XRAY,
    });
  });

  it.each([
    ['AuditApi', 'AuditTable'],
    ['AlertsApi', 'AlertsTable'],
    ['MetricsApi', 'AnalyticsTable'],
  ] as const)('%s: reads %s and writes nothing but its request bucket', (id, tableId) => {
    expect(permissionsOf(id)).toEqual({
      [table(tableId, 'Arn')]: READ,
      [table('GateStateTable', 'Arn')]: API_REQUEST_BUCKET,
      ...ownLogs(id),
      '*': XRAY,
    });
  });

  it('API-key authorizer: GetItem on the keys table and on the plans, nothing else (no index, no write)', () => {
    expect(permissionsOf('ApiKeyAuthorizer')).toEqual({
      [table('GateStateTable', 'Arn')]: ['dynamodb:GetItem'],
      [table('ApiKeysTable', 'Arn')]: ['dynamodb:GetItem'],
      ...ownLogs('ApiKeyAuthorizer'),
      '*': XRAY,
    });
  });

  it('API keys API: get, put and update keys, query byTenant, set plans; never delete a key record', () => {
    expect(permissionsOf('ApiKeysApi')).toEqual({
      [table('GateStateTable', 'Arn')]: [...TENANT_PLANS, ...API_REQUEST_BUCKET].sort(),
      [table('ApiKeysTable', 'Arn')]: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      [`${table('ApiKeysTable', 'Arn')}/index/byTenant`]: ['dynamodb:Query'],
      ...ownLogs('ApiKeysApi'),
      '*': XRAY,
    });
  });

  it('health API: DescribeTable on every table and the depth of the queues work waits in, nothing else', () => {
    expect(permissionsOf('HealthApi')).toEqual({
      ...Object.fromEntries(
        Object.values(HEALTH_TABLES).map((id) => [table(id, 'Arn'), ['dynamodb:DescribeTable']]),
      ),
      ...Object.fromEntries(CONSUMERS.map((id) => [consumerQueue(id, 'Arn'), ['sqs:GetQueueAttributes']])),
      [statefulId('WebhookDeliveries/Queue', 'Arn')]: ['sqs:GetQueueAttributes'],
      ...ownLogs('HealthApi'),
      '*': XRAY,
    });
  });

  it.each(Object.keys(FLOWS) as FlowId[])(
    '%s state machine: invokes the gated step’s functions and its own, no other',
    (id) => {
      const functionArns = [...GATED_STEP_FUNCTIONS, ...FLOWS[id].invokes].flatMap((fn) => {
        const arn = `${logicalIdAt(dev.stateless, `${fn}/Function`)}.Arn`;
        return [arn, `${arn}:*`];
      });
      const permissions = permissionsOf(`${id}/StateMachine`);
      const invocable = Object.entries(permissions)
        .filter(([, actions]) => actions.includes('lambda:InvokeFunction'))
        .map(([resource]) => resource)
        .sort();
      expect(invocable).toEqual(functionArns.sort());
      expect(Object.keys(permissions).sort()).toEqual([...invocable, '*'].sort());
      expect(permissions['*']).not.toContain('lambda:InvokeFunction');
    },
  );
});

describe('flows', () => {
  const propertiesOf = (id: FlowId) =>
    dev.statelessTemplate.findResources('AWS::StepFunctions::StateMachine')[stateMachine(id)]?.Properties;

  it('are the three Standard state machines', () => {
    const stateMachines = dev.statelessTemplate.findResources('AWS::StepFunctions::StateMachine');
    expect(Object.keys(stateMachines).sort()).toEqual(
      (Object.keys(FLOWS) as FlowId[]).map((id) => stateMachine(id)).sort(),
    );
    for (const machine of Object.values(stateMachines))
      expect(machine.Properties.StateMachineType).toBe('STANDARD');
  });

  it.each(Object.keys(FLOWS) as FlowId[])(
    '%s runs its flow with the gated step included, the function ARNs substituted',
    (id) => {
      const properties = propertiesOf(id);
      const definition = JSON.parse(properties.DefinitionString);
      expect(definition).toEqual(JSON.parse(stateMachineDefinition(FLOWS[id].flow)));
      // The gated step's states are in the deployed definition, not only its placeholder.
      const serialized = JSON.stringify(definition);
      for (const state of ['HasAgent', 'Route', 'Gate', 'AwaitApproval', 'StepFailed', 'FailStep'])
        expect(serialized).toContain(`"${state}":{`);
      expect(serialized).not.toContain('"GatedStep"');
      expect(properties.DefinitionSubstitutions).toEqual(
        Object.fromEntries(
          [...GATED_STEP_FUNCTIONS, ...FLOWS[id].invokes].map((fn) => [
            `${fn}FunctionArn`,
            { 'Fn::GetAtt': [logicalIdAt(dev.stateless, `${fn}/Function`), 'Arn'] },
          ]),
        ),
      );
      const placeholders = [...(properties.DefinitionString as string).matchAll(/\$\{(\w+)\}/g)].map(
        (m) => m[1],
      );
      for (const placeholder of placeholders)
        expect(properties.DefinitionSubstitutions).toHaveProperty(placeholder!);
    },
  );

  it.each(Object.entries(FLOWS))('%s logs every event without execution data, and traces', (id, { flow }) => {
    expect(propertiesOf(id as FlowId)).toMatchObject({
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalIdAt(dev.stateless, `${id}/LogGroup`), 'Arn'] },
            },
          },
        ],
      },
      TracingConfiguration: { Enabled: true },
    });
    dev.statelessTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/vendedlogs/states/trustgate-dev-${flow}`,
    });
  });

  it.each(Object.keys(FLOWS) as FlowId[])('outputs the ARN of %s', (id) => {
    dev.statelessTemplate.hasOutput(`${id}Arn`, { Value: { Ref: stateMachine(id) } });
  });
});

describe('HTTP API', () => {
  it('routes every documented route key to its function through a payload 2.0 proxy integration', () => {
    const template = dev.statelessTemplate.toJSON();
    const integrations = dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Integration');
    for (const integration of Object.values(integrations)) {
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    }
    const routed = Object.fromEntries(
      Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Route')).map((route) => {
        const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
        const uri = template.Resources[integrationId.Ref].Properties.IntegrationUri;
        return [route.Properties.RouteKey, renderReference(uri, dev.statefulTemplate)];
      }),
    );
    expect(routed).toEqual(
      Object.fromEntries(
        Object.entries(ROUTES).map(([key, id]) => [
          key,
          `${logicalIdAt(dev.stateless, `${id}/Function`)}.Arn`,
        ]),
      ),
    );
  });

  it('lets the health probes alone answer without the API-key authorizer', () => {
    const routes = Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Route'));
    const unauthenticated = routes
      .filter((route) => route.Properties.AuthorizationType === 'NONE')
      .map((route) => route.Properties.RouteKey)
      .sort();
    expect(unauthenticated).toEqual(['GET /health', 'GET /openapi.json', 'GET /ready']);
  });

  it('puts the memories routes behind the API-key authorizer, on the memories API', () => {
    const [authorizerId] = Object.keys(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Authorizer'));
    const memoryRoutes = Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Route'))
      .map((route) => route.Properties)
      .filter((route) => (route.RouteKey as string).includes('/memories'));
    expect(memoryRoutes.map((route) => route.RouteKey).sort()).toEqual([
      'DELETE /v1/agents/{id}/memories/{memoryId}',
      'GET /v1/agents/{id}/memories',
      'POST /v1/agents/{id}/memories',
    ]);
    for (const route of memoryRoutes)
      expect(route).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
  });

  it('puts every other route behind the API-key authorizer: REQUEST, simple responses, cached per key', () => {
    const authorizers = dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Authorizer');
    expect(Object.keys(authorizers)).toHaveLength(1);
    const [authorizerId, authorizer] = Object.entries(authorizers)[0]!;
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 60,
    });
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(
      logicalIdAt(dev.stateless, 'ApiKeyAuthorizer/Function'),
    );
    const routes = Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Route'));
    for (const route of routes.filter((candidate) => candidate.Properties.AuthorizationType !== 'NONE')) {
      expect(route.Properties).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: authorizerId },
      });
    }
    const tunedAuthorizer = Object.values(
      tuned.statelessTemplate.findResources('AWS::ApiGatewayV2::Authorizer'),
    )[0];
    expect(tunedAuthorizer?.Properties.AuthorizerResultTtlInSeconds).toBe(5);
  });

  it('answers browser preflights for the trustgate headers', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      Name: 'trustgate-dev',
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowMethods: Match.arrayEquals(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']),
        AllowHeaders: Match.arrayEquals(['content-type', 'authorization']),
        ExposeHeaders: Match.arrayEquals([
          'x-ratelimit-limit',
          'x-ratelimit-remaining',
          'x-ratelimit-reset',
          'retry-after',
        ]),
      },
    });
  });

  it('throttles its one auto-deployed $default stage from context', () => {
    dev.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    dev.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    tuned.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 3 },
    });
  });

  it('writes JSON access logs to its own log group', () => {
    const stage = Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0]
      ?.Properties;
    expect(stage.AccessLogSettings.DestinationArn).toEqual({
      'Fn::GetAtt': [logicalIdAt(dev.stateless, 'HttpApi/AccessLogs'), 'Arn'],
    });
    expect(JSON.parse(stage.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
  });

  it('outputs the endpoint the API answers on', () => {
    dev.statelessTemplate.hasOutput('ApiUrl', {
      Value: { 'Fn::GetAtt': [logicalIdAt(dev.stateless, 'HttpApi/Api'), 'ApiEndpoint'] },
    });
  });
});

describe('event sources and schedules', () => {
  it('feeds each consumer from its own queue, and the delivery worker from the deliveries queue, in batches of 10 with partial batch responses', () => {
    const mappings = Object.values(dev.statelessTemplate.findResources('AWS::Lambda::EventSourceMapping'));
    const byFunction = Object.fromEntries(
      mappings.map((mapping) => [
        renderReference(mapping.Properties.FunctionName, dev.statefulTemplate),
        mapping.Properties,
      ]),
    );
    const expected = {
      ...Object.fromEntries(CONSUMERS.map((id) => [id, `${consumerQueue(id, 'Arn')}`])),
      WebhookDelivery: statefulId('WebhookDeliveries/Queue', 'Arn'),
    };
    expect(mappings).toHaveLength(Object.keys(expected).length);
    for (const [id, queueArn] of Object.entries(expected)) {
      const mapping = byFunction[logicalIdAt(dev.stateless, `${id}/Function`)];
      expect(mapping, id).toBeDefined();
      expect(renderReference(mapping.EventSourceArn, dev.statefulTemplate)).toBe(queueArn);
      expect(mapping).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    }
  });

  it.each([
    ['DlqMonitor', 'DlqMonitorSchedule', 'rate(1 minute)'],
    ['DecaySweep', 'DecaySweepSchedule', 'rate(1 hour)'],
  ] as const)('runs %s on its schedule', (id, ruleId, expression) => {
    const rule = dev.statelessTemplate.findResources('AWS::Events::Rule')[logicalIdAt(dev.stateless, ruleId)];
    expect(rule?.Properties.ScheduleExpression).toBe(expression);
    expect(rule?.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [logicalIdAt(dev.stateless, `${id}/Function`), 'Arn'] },
      }),
    ]);
  });
});

describe('log groups', () => {
  it('keeps every log group for the retention in context (30 days by default)', () => {
    const groups = Object.values(dev.statelessTemplate.findResources('AWS::Logs::LogGroup'));
    // One per function, one per state machine, and the API's access logs.
    expect(groups).toHaveLength(Object.keys(ALL_FUNCTIONS).length + Object.keys(FLOWS).length + 1);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
    for (const group of Object.values(tuned.statelessTemplate.findResources('AWS::Logs::LogGroup')))
      expect(group.Properties.RetentionInDays).toBe(90);
  });
});

describe('local sandbox', () => {
  it('can deploy every resource of both stacks (no custom resources, no function URLs)', () => {
    for (const template of [dev.statefulTemplate, dev.statelessTemplate]) {
      const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map(
        (r) => r.Type,
      );
      expect(types.filter((type) => supportOf(type) === 'unsupported')).toEqual([]);
    }
  });
});
