// A real DynamoDB Local for the API integration tests, with the app's tables created, and a real event bus
// (test/support/test-event-bus.ts) in front of it; the process environment is set the way the stack sets a
// function's (table variables, region, AWS_ENDPOINT_URL = the bus's edge, EVENT_BUS_NAME), so the handlers
// imported afterwards run unchanged against them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../../sandbox/emulators/dynamodb-local.ts';
import {
  createTables,
  setTableEnvironment,
  type TableNames,
  uniqueTableNames,
} from '../../support/dynamodb-tables.ts';
import {
  setEventBusEnvironment,
  startTestEventBus,
  type TestEventBus,
} from '../../support/test-event-bus.ts';

export interface ApiTestEnvironment {
  tables: TableNames;
  /** A document client of the test's own, for arranging and inspecting items directly. */
  documents: DynamoDBDocumentClient;
  /** What the handlers published, read back from the bus. */
  bus: TestEventBus;
  stop(): Promise<void>;
}

export async function startApiTestEnvironment(prefix: string): Promise<ApiTestEnvironment> {
  const emulator = await startDynamoDbLocal({ port: 0 });
  const bus = await startTestEventBus({ dynamoDbUrl: emulator.url });
  setEventBusEnvironment(bus);
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  // The handlers' EMF lines would bury the test output; the metrics themselves are not under test here.
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const tables = uniqueTableNames(prefix);
  setTableEnvironment(tables);
  const client = new DynamoDBClient({});
  await createTables(client, tables);
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    tables,
    documents,
    bus,
    stop: async () => {
      client.destroy();
      await bus.stop();
      await emulator.stop();
    },
  };
}
