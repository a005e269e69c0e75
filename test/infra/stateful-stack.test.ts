import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdAt, type SynthesizedApp, synthesizeTrustgateApp } from './synthesized-app.ts';

let dev: SynthesizedApp;
let prod: SynthesizedApp;
beforeAll(async () => {
  dev = await synthesizeTrustgateApp();
  prod = await synthesizeTrustgateApp({ stage: 'prod' });
});

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
    attributes: [{ AttributeName: 'workflowId', AttributeType: 'S' }],
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
} as const;

function tableProperties(template: Template, logicalId: string): Record<string, unknown> {
  const tables = template.findResources('AWS::DynamoDB::Table');
  return tables[logicalId]?.Properties as Record<string, unknown>;
}

describe('stateful stack', () => {
  it('holds exactly the six tables of docs/backend.md', () => {
    dev.statefulTemplate.resourceCountIs('AWS::DynamoDB::Table', 6);
    expect(Object.keys(dev.statefulTemplate.toJSON().Resources).length).toBe(6);
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

  it('lets only gate state expire, on expiresAt', () => {
    const withTtl = dev.statefulTemplate.findResources('AWS::DynamoDB::Table', {
      Properties: { TimeToLiveSpecification: Match.anyValue() },
    });
    expect(Object.keys(withTtl)).toEqual([logicalIdAt(dev.stateful, 'GateStateTable')]);
    expect(Object.values(withTtl)[0]?.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });

  it('deletes dev tables with the stack', () => {
    const tables = Object.values(dev.statefulTemplate.findResources('AWS::DynamoDB::Table'));
    for (const table of tables) {
      expect(table).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    }
  });

  it('retains and protects the tables of any other stage', () => {
    const tables = Object.values(prod.statefulTemplate.findResources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(6);
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
