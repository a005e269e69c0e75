// ApiKeysTable access (item shape: api-key-item.ts).
//   putApiKey      a new key; never overwrites (a keyId collision is astronomically unlikely, and refused)
//   getApiKey      strongly consistent, by keyId: what the authorizer reads
//   listApiKeys    a page of one tenant's keys through byTenant, keyId order, + an opaque nextToken
//   revokeApiKey   sets revokedAt once; the record stays, so a listing shows who revoked it and when

import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { KEY_ID_PATTERN } from '../../core/auth/api-key.ts';
import { queryTenantPage } from '../../data/query-page.ts';
import type { ApiKeyItem } from './api-key-item.ts';

export interface ApiKeysTable {
  client: DynamoDBDocumentClient;
  table: string;
}

export const API_KEYS_BY_TENANT_INDEX = 'byTenant';

export async function putApiKey(db: ApiKeysTable, item: ApiKeyItem): Promise<void> {
  await db.client.send(
    new PutCommand({ TableName: db.table, Item: item, ConditionExpression: 'attribute_not_exists(keyId)' }),
  );
}

export async function getApiKey(db: ApiKeysTable, keyId: string): Promise<ApiKeyItem | undefined> {
  if (!KEY_ID_PATTERN.test(keyId)) return undefined;
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.table, Key: { keyId }, ConsistentRead: true }),
  );
  return Item as ApiKeyItem | undefined;
}

export async function listApiKeys(
  db: ApiKeysTable,
  tenantId: string,
  page: { limit: number; nextToken?: string },
): Promise<{ items: ApiKeyItem[]; nextToken?: string }> {
  return queryTenantPage<ApiKeyItem>(
    db.client,
    {
      TableName: db.table,
      IndexName: API_KEYS_BY_TENANT_INDEX,
      KeyConditionExpression: 'tenantId = :tenantId',
      ExpressionAttributeValues: { ':tenantId': tenantId },
    },
    page,
    { keyAttributes: ['tenantId', 'keyId'], tenantId },
  );
}

/** The revoked record; undefined when the key does not exist. Revoking a revoked key changes nothing. */
export async function revokeApiKey(
  db: ApiKeysTable,
  keyId: string,
  revocation: { revokedAt: string; revokedBy: string },
): Promise<ApiKeyItem | undefined> {
  if (!KEY_ID_PATTERN.test(keyId)) return undefined;
  try {
    const { Attributes } = await db.client.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { keyId },
        UpdateExpression: 'SET revokedAt = :at, revokedBy = :by',
        ConditionExpression: 'attribute_exists(keyId) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':at': revocation.revokedAt, ':by': revocation.revokedBy },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes as ApiKeyItem;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    return getApiKey(db, keyId);
  }
}
