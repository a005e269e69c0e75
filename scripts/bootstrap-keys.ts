// The first keys of a deployment, written straight into its ApiKeysTable with the AWS SDK: no key exists
// yet to call POST /v1/api-keys with, so whoever holds the AWS credentials makes it (`npm start` does this
// for the sandbox; `npm run api-keys -- bootstrap` for a deployment).
//   platform key   admin of the `platform` tenant: makes every other tenant's keys, replays DLQs
//   tenant key     admin + operator + reviewer (level 3) of one tenant, for a person trying things out
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { issueApiKey } from '../functions/app/auth/issue-api-key.ts';
import { keyEnvForStage } from '../functions/core/auth/api-key.ts';
import { PLATFORM_TENANT } from '../functions/core/auth/caller.ts';

export interface KeyTable {
  dynamodb: DynamoDBClient;
  table: string;
  stage: string;
}

async function bootstrapKey(target: KeyTable, request: Parameters<typeof issueApiKey>[1]): Promise<string> {
  const client = DynamoDBDocumentClient.from(target.dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const deps = {
    apiKeys: { client, table: target.table },
    env: keyEnvForStage(target.stage),
    clock: Date.now,
  };
  const { key } = await issueApiKey(deps, request, 'bootstrap');
  return key;
}

export function bootstrapPlatformKey(target: KeyTable, name = 'platform-admin'): Promise<string> {
  return bootstrapKey(target, { tenantId: PLATFORM_TENANT, name, roles: ['admin'] });
}

export function bootstrapTenantKey(target: KeyTable, tenantId: string, name: string): Promise<string> {
  return bootstrapKey(target, {
    tenantId,
    name,
    roles: ['admin', 'operator', 'reviewer'],
    reviewerLevel: 3,
  });
}

/** A DynamoDB client for a sandbox's edge endpoint. */
export function sandboxDynamoDb(edgeUrl: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: edgeUrl,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
}

export interface FirstKeys {
  /** Admin + operator + reviewer (level 3) of tenant `default`. */
  adminKey: string;
  platformKey: string;
}

/** The first keys of a running sandbox of stage `stage`, in the table its stateful stack outputs. */
export async function firstSandboxKeys(
  sandbox: { edgeUrl: string; outputs: Record<string, Record<string, unknown>> },
  stage = 'dev',
): Promise<FirstKeys> {
  const table = sandbox.outputs[`Trustgate-${stage}-Stateful`]?.ApiKeysTableName;
  if (typeof table !== 'string') throw new Error('the deployed app has no ApiKeysTableName output');
  const dynamodb = sandboxDynamoDb(sandbox.edgeUrl);
  try {
    const target = { dynamodb, table, stage };
    return {
      adminKey: await bootstrapTenantKey(target, 'default', 'sandbox-admin'),
      platformKey: await bootstrapPlatformKey(target),
    };
  } finally {
    dynamodb.destroy();
  }
}
