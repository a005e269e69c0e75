import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CONSUMERS } from '../../infra/event-consumers.ts';
import { logicalIdAt, type SynthesizedApp, synthesizeTrustgateApp } from './synthesized-app.ts';

let dev: SynthesizedApp;
let prod: SynthesizedApp;
beforeAll(async () => {
  dev = await synthesizeTrustgateApp();
  prod = await synthesizeTrustgateApp({ stage: 'prod' });
});

const CONSUMERS = Object.keys(EVENT_CONSUMERS) as (keyof typeof EVENT_CONSUMERS)[];

/** Key schema and attribute types of docs/backend.md, table by table. */
const TABLES = {
  AgentsTable: {
    keys: [
      { AttributeName: 'tenantId', KeyType: 'HASH' },
      { AttributeName: 'agentId', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'tenantId', AttributeType: 'S' },
      { AttributeName: 'agentId', AttributeType: 'S' },
    ],
  },
  IntentsTable: {
    keys: [
      { AttributeName: 'chainKey', KeyType: 'HASH' },
      { AttributeName: 'sequence', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'chainKey', AttributeType: 'S' },
      { AttributeName: 'sequence', AttributeType: 'N' },
      { AttributeName: 'intentId', AttributeType: 'S' },
    ],
  },
  ProofsTable: {
    keys: [{ AttributeName: 'resultHash', KeyType: 'HASH' }],
    attributes: [{ AttributeName: 'resultHash', AttributeType: 'S' }],
  },
  WorkflowsTable: {
    keys: [{ AttributeName: 'workflowId', KeyType: 'HASH' }],
    attributes: [
      { AttributeName: 'workflowId', AttributeType: 'S' },
      { AttributeName: 'tenantId', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
    ],
  },
  GateStateTable: {
    keys: [{ AttributeName: 'key', KeyType: 'HASH' }],
    attributes: [{ AttributeName: 'key', AttributeType: 'S' }],
  },
  EscalationsTable: {
    keys: [{ AttributeName: 'escalationId', KeyType: 'HASH' }],
    attributes: [
      { AttributeName: 'escalationId', AttributeType: 'S' },
      { AttributeName: 'tenantStatus', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
    ],
  },
  IdempotencyTable: {
    keys: [{ AttributeName: 'id', KeyType: 'HASH' }],
    attributes: [{ AttributeName: 'id', AttributeType: 'S' }],
  },
  WebhooksTable: {
    keys: [
      { AttributeName: 'tenantId', KeyType: 'HASH' },
      { AttributeName: 'webhookId', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'tenantId', AttributeType: 'S' },
      { AttributeName: 'webhookId', AttributeType: 'S' },
    ],
  },
  AuditTable: {
    keys: [
      { AttributeName: 'chainKey', KeyType: 'HASH' },
      { AttributeName: 'sequence', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'chainKey', AttributeType: 'S' },
      { AttributeName: 'sequence', AttributeType: 'N' },
    ],
  },
  AnalyticsTable: {
    keys: [
      { AttributeName: 'metric', KeyType: 'HASH' },
      { AttributeName: 'series', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'metric', AttributeType: 'S' },
      { AttributeName: 'series', AttributeType: 'S' },
    ],
  },
  AlertsTable: {
    keys: [
      { AttributeName: 'tenantId', KeyType: 'HASH' },
      { AttributeName: 'alertId', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'tenantId', AttributeType: 'S' },
      { AttributeName: 'alertId', AttributeType: 'S' },
    ],
  },
  ApiKeysTable: {
    keys: [{ AttributeName: 'keyId', KeyType: 'HASH' }],
    attributes: [
      { AttributeName: 'keyId', AttributeType: 'S' },
      { AttributeName: 'tenantId', AttributeType: 'S' },
    ],
  },
  // One partition per agent (`<tenant>#<agent>`), one item per memory slot.
  MemoryTable: {
    keys: [
      { AttributeName: 'agentKey', KeyType: 'HASH' },
      { AttributeName: 'slot', KeyType: 'RANGE' },
    ],
    attributes: [
      { AttributeName: 'agentKey', AttributeType: 'S' },
      { AttributeName: 'slot', AttributeType: 'S' },
    ],
  },
} as const;
const TABLE_COUNT = Object.keys(TABLES).length;

function tableProperties(template: Template, logicalId: string): Record<string, unknown> {
  const tables = template.findResources('AWS::DynamoDB::Table');
  return tables[logicalId]?.Properties as Record<string, unknown>;
}

describe('stateful stack', () => {
  it('holds exactly the thirteen tables of docs/backend.md, the bus, the consumer rules and the queues', () => {
    dev.statefulTemplate.resourceCountIs('AWS::DynamoDB::Table', TABLE_COUNT);
    dev.statefulTemplate.resourceCountIs('AWS::Events::EventBus', 1);
    dev.statefulTemplate.resourceCountIs('AWS::Events::Rule', CONSUMERS.length);
    // Each consumer's queue and DLQ, those of webhook deliveries and undelivered events, and the rules' DLQ.
    dev.statefulTemplate.resourceCountIs('AWS::SQS::Queue', 2 * (CONSUMERS.length + 2) + 1);
  });

  it.each(Object.entries(TABLES))('%s has the documented keys, on-demand billing and PITR', (id, table) => {
    const properties = tableProperties(dev.statefulTemplate, logicalIdAt(dev.stateful, id));
    expect(properties).toMatchObject({
      KeySchema: table.keys,
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(properties.AttributeDefinitions).toEqual(expect.arrayContaining([...table.attributes]));
    expect(properties.AttributeDefinitions).toHaveLength(table.attributes.length);
    expect(properties.ProvisionedThroughput).toBeUndefined();
  });

  it('indexes API keys by tenant, for the admin listing (the authorizer reads by keyId)', () => {
    const properties = tableProperties(dev.statefulTemplate, logicalIdAt(dev.stateful, 'ApiKeysTable'));
    expect(properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byTenant',
        KeySchema: [
          { AttributeName: 'tenantId', KeyType: 'HASH' },
          { AttributeName: 'keyId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('indexes workflows by tenant, newest first by createdAt, with every attribute (GET /v1/workflows)', () => {
    const properties = tableProperties(dev.statefulTemplate, logicalIdAt(dev.stateful, 'WorkflowsTable'));
    expect(properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byTenant',
        KeySchema: [
          { AttributeName: 'tenantId', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('indexes intents by intent id', () => {
    const properties = tableProperties(dev.statefulTemplate, logicalIdAt(dev.stateful, 'IntentsTable'));
    expect(properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byIntentId',
        KeySchema: [{ AttributeName: 'intentId', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('indexes escalations by tenant and status, oldest first, with every attribute', () => {
    const properties = tableProperties(dev.statefulTemplate, logicalIdAt(dev.stateful, 'EscalationsTable'));
    expect(properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byTenantStatus',
        KeySchema: [
          { AttributeName: 'tenantStatus', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('lets only gate state, idempotency records, webhook and analytics markers and short-term memories expire; records never do', () => {
    const withTtl = dev.statefulTemplate.findResources('AWS::DynamoDB::Table', {
      Properties: { TimeToLiveSpecification: Match.anyValue() },
    });
    const ttlOf = Object.fromEntries(
      Object.entries(withTtl).map(([id, table]) => [id, table.Properties.TimeToLiveSpecification]),
    );
    const on = (AttributeName: string) => ({ AttributeName, Enabled: true });
    expect(ttlOf).toEqual({
      [logicalIdAt(dev.stateful, 'GateStateTable')]: on('expiresAt'),
      // Powertools idempotency's own attribute name.
      [logicalIdAt(dev.stateful, 'IdempotencyTable')]: on('expiration'),
      [logicalIdAt(dev.stateful, 'WebhooksTable')]: on('expiresAt'),
      [logicalIdAt(dev.stateful, 'AnalyticsTable')]: on('expiresAt'),
      // Only short-term memories carry expiresAt; long-term ones are kept until deleted.
      [logicalIdAt(dev.stateful, 'MemoryTable')]: on('expiresAt'),
    });
  });

  it('reads an agent’s memories from its one partition: no index, no stream', () => {
    const properties = tableProperties(dev.statefulTemplate, logicalIdAt(dev.stateful, 'MemoryTable'));
    expect(properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(properties.LocalSecondaryIndexes).toBeUndefined();
    expect(properties.StreamSpecification).toBeUndefined();
  });

  it('deletes dev tables with the stack', () => {
    const tables = Object.values(dev.statefulTemplate.findResources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(TABLE_COUNT);
    for (const table of tables) {
      expect(table).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    }
  });

  it('retains and protects the tables of any other stage', () => {
    const tables = Object.values(prod.statefulTemplate.findResources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(TABLE_COUNT);
    for (const table of tables) {
      expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('names the stacks after the stage', () => {
    expect(prod.stateful.stackName).toBe('Trustgate-prod-Stateful');
    expect(prod.stateless.stackName).toBe('Trustgate-prod-Stateless');
  });

  it('outputs every table name', () => {
    for (const id of Object.keys(TABLES)) {
      dev.statefulTemplate.hasOutput(`${id}Name`, { Value: { Ref: logicalIdAt(dev.stateful, id) } });
    }
  });
});

/** The rules of docs/backend.md "Events", as EventBridge reads them. */
const EVERY_TRUSTGATE_EVENT = { source: [{ prefix: 'trustgate.' }] };
const RULE_PATTERNS: Record<(typeof CONSUMERS)[number], unknown> = {
  TrustCalculator: {
    source: ['trustgate.intents', 'trustgate.ingest'],
    'detail-type': [
      'execution.succeeded',
      'execution.failed',
      'compliance.violation',
      'compliance.audit_passed',
      'compliance.remediation',
    ],
  },
  WebhookDispatcher: EVERY_TRUSTGATE_EVENT,
  Analytics: EVERY_TRUSTGATE_EVENT,
  AuditLogger: EVERY_TRUSTGATE_EVENT,
  AlertService: {
    'detail-type': [
      'circuit.opened',
      'trust.tier_changed',
      'escalation.timed_out',
      'dlq.not_empty',
      'budget.exceeded',
      'webhook.disabled',
    ],
  },
};

describe('events (docs/backend.md "Events")', () => {
  const resourcesOf = (type: string) => dev.statefulTemplate.findResources(type);
  const queueProperties = (path: string) =>
    resourcesOf('AWS::SQS::Queue')[logicalIdAt(dev.stateful, path)]?.Properties;
  const arnOf = (path: string) => ({ 'Fn::GetAtt': [logicalIdAt(dev.stateful, path), 'Arn'] });

  it('has one custom bus named after the stage, and outputs its name', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: 'trustgate-dev' });
    prod.statefulTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: 'trustgate-prod' });
    dev.statefulTemplate.hasOutput('EventBusName', {
      Value: { Ref: logicalIdAt(dev.stateful, 'EventBus') },
    });
  });

  it.each(CONSUMERS)(
    '%s: its rule on the bus sends its pattern to its own queue, failures to the rule DLQ',
    (id) => {
      const rule = resourcesOf('AWS::Events::Rule')[logicalIdAt(dev.stateful, `${id}Rule`)]?.Properties;
      expect(rule.EventBusName).toEqual({ Ref: logicalIdAt(dev.stateful, 'EventBus') });
      expect(rule.EventPattern).toEqual(RULE_PATTERNS[id]);
      expect(rule.Targets).toEqual([
        expect.objectContaining({
          Arn: arnOf(`${id}Events/Queue`),
          DeadLetterConfig: { Arn: arnOf('RuleDeliveryDlq') },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        }),
      ]);
    },
  );

  it.each(CONSUMERS)(
    '%s: its queue outlasts 6 × the 30 s function timeout and dead-letters at the 5th receive',
    (id) => {
      expect(queueProperties(`${id}Events/Queue`)).toMatchObject({
        VisibilityTimeout: 180,
        RedrivePolicy: { deadLetterTargetArn: arnOf(`${id}Events/DeadLetterQueue`), maxReceiveCount: 5 },
        SqsManagedSseEnabled: true,
      });
      expect(queueProperties(`${id}Events/DeadLetterQueue`)).toMatchObject({
        MessageRetentionPeriod: 14 * 86_400,
      });
    },
  );

  it('gives webhook deliveries one receive per retry delay plus the first attempt, from context', async () => {
    expect(queueProperties('WebhookDeliveries/Queue')).toMatchObject({
      RedrivePolicy: { deadLetterTargetArn: arnOf('WebhookDeliveries/DeadLetterQueue'), maxReceiveCount: 6 },
    });
    const tuned = await synthesizeTrustgateApp({ webhookRetryDelaysSeconds: '1,1' });
    const deliveries =
      tuned.statefulTemplate.findResources('AWS::SQS::Queue')[
        logicalIdAt(tuned.stateful, 'WebhookDeliveries/Queue')
      ]?.Properties;
    expect(deliveries.RedrivePolicy.maxReceiveCount).toBe(3);
  });

  it('lets only TLS requests reach any queue', () => {
    const policies = Object.values(resourcesOf('AWS::SQS::QueuePolicy'));
    const queues = Object.keys(resourcesOf('AWS::SQS::Queue'));
    const covered = policies.flatMap((policy) =>
      (policy.Properties.Queues as { Ref: string }[]).map((queue) => queue.Ref),
    );
    for (const queue of queues) expect(covered, queue).toContain(queue);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
  });

  it('keeps the queues of any stage but dev when the stack goes', () => {
    for (const queue of Object.values(prod.statefulTemplate.findResources('AWS::SQS::Queue')))
      expect(queue).toMatchObject({ DeletionPolicy: 'Retain' });
    for (const queue of Object.values(resourcesOf('AWS::SQS::Queue')))
      expect(queue).toMatchObject({ DeletionPolicy: 'Delete' });
  });
});
