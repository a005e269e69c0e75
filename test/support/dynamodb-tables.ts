// Creates the app's DynamoDB tables with the keys docs/backend.md documents (and infra/ declares), for
// tests that run handlers against a real DynamoDB Local. Keep in sync with the "Tables" section there.
//
//   const names = uniqueTableNames('agents-api');
//   setTableEnvironment(names);                 // AGENTS_TABLE=…, before importing a handler
//   await createTables(new DynamoDBClient({}), names);
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type KeySchemaElement,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLE_ENV, type TableName } from '../../functions/data/table-names.ts';

export type TableNames = Record<TableName, string>;

type KeyType = 'S' | 'N';

interface TableKeys {
  partitionKey: [name: string, type: KeyType];
  sortKey?: [name: string, type: KeyType];
  globalIndexes?: {
    indexName: string;
    partitionKey: [name: string, type: KeyType];
    sortKey?: [name: string, type: KeyType];
  }[];
}

export const TABLE_KEYS: Readonly<Record<TableName, TableKeys>> = {
  agents: { partitionKey: ['tenantId', 'S'], sortKey: ['agentId', 'S'] },
  intents: {
    partitionKey: ['chainKey', 'S'],
    sortKey: ['sequence', 'N'],
    globalIndexes: [{ indexName: 'byIntentId', partitionKey: ['intentId', 'S'] }],
  },
  proofs: { partitionKey: ['resultHash', 'S'] },
  workflows: {
    partitionKey: ['workflowId', 'S'],
    globalIndexes: [{ indexName: 'byTenant', partitionKey: ['tenantId', 'S'], sortKey: ['createdAt', 'S'] }],
  },
  gateState: { partitionKey: ['key', 'S'] },
  escalations: {
    partitionKey: ['escalationId', 'S'],
    globalIndexes: [
      { indexName: 'byTenantStatus', partitionKey: ['tenantStatus', 'S'], sortKey: ['createdAt', 'S'] },
    ],
  },
  idempotency: { partitionKey: ['id', 'S'] },
  webhooks: { partitionKey: ['tenantId', 'S'], sortKey: ['webhookId', 'S'] },
  audit: { partitionKey: ['chainKey', 'S'], sortKey: ['sequence', 'N'] },
  analytics: { partitionKey: ['metric', 'S'], sortKey: ['series', 'S'] },
  alerts: { partitionKey: ['tenantId', 'S'], sortKey: ['alertId', 'S'] },
  apiKeys: {
    partitionKey: ['keyId', 'S'],
    globalIndexes: [{ indexName: 'byTenant', partitionKey: ['tenantId', 'S'], sortKey: ['keyId', 'S'] }],
  },
  memory: { partitionKey: ['agentKey', 'S'], sortKey: ['slot', 'S'] },
};

/** Names no other test file uses, so suites can share one DynamoDB Local. */
export function uniqueTableNames(prefix: string): TableNames {
  const suffix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const names = {} as TableNames;
  for (const table of Object.keys(TABLE_KEYS) as TableName[]) names[table] = `${prefix}-${table}-${suffix}`;
  return names;
}

/** Sets AGENTS_TABLE, INTENTS_TABLE, … for handlers imported afterwards. */
export function setTableEnvironment(names: TableNames): void {
  for (const [table, variable] of Object.entries(TABLE_ENV) as [TableName, string][]) {
    process.env[variable] = names[table];
  }
}

export async function createTables(client: DynamoDBClient, names: Partial<TableNames>): Promise<void> {
  const tables = Object.entries(names) as [TableName, string][];
  await Promise.all(
    tables.map(([table, name]) => client.send(new CreateTableCommand(definition(name, table)))),
  );
  await Promise.all(
    tables.map(([, name]) => waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name })),
  );
}

function definition(name: string, table: TableName): CreateTableCommandInput {
  const keys = TABLE_KEYS[table];
  const attributes = new Map<string, KeyType>([keys.partitionKey]);
  if (keys.sortKey) attributes.set(...keys.sortKey);
  for (const index of keys.globalIndexes ?? []) {
    attributes.set(...index.partitionKey);
    if (index.sortKey) attributes.set(...index.sortKey);
  }
  const AttributeDefinitions: AttributeDefinition[] = [...attributes].map(
    ([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    }),
  );
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions,
    KeySchema: keySchema(keys.partitionKey, keys.sortKey),
    GlobalSecondaryIndexes: keys.globalIndexes?.map((index) => ({
      IndexName: index.indexName,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

function keySchema(partitionKey: [string, KeyType], sortKey?: [string, KeyType]): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey[0], KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey[0], KeyType: 'RANGE' });
  return schema;
}
