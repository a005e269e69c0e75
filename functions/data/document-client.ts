// The DynamoDB document client every function shares (one per execution environment, created on first
// use), and (re-exported from table-names.ts) the table names from the environment docs/backend.md defines.
// No endpoint code: the SDK itself honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB, which is how
// the sandbox, LocalStack and the integration tests point the same code at a local DynamoDB.
// The client is traced (a subsegment per call) when the Tracer is enabled; otherwise it is untouched.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability/powertools.ts';

// Re-exported so handlers get client and table names from one module.
export { TABLE_ENV, type TableName, tableName } from './table-names.ts';

let sharedClient: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  sharedClient ??= createDocumentClient();
  return sharedClient;
}

export function createDocumentClient(): DynamoDBDocumentClient {
  const client = tracer.captureAWSv3Client(new DynamoDBClient({}));
  return DynamoDBDocumentClient.from(client, {
    // Optional attributes (an absent `escalation`, `nextToken`, …) are simply not written.
    marshallOptions: { removeUndefinedValues: true },
  });
}
