// EscalationsTable reads (item shape: escalation-item.ts). Tenancy is checked here: another tenant's
// escalation is reported as absent, and a page token only continues the listing it came from.
//
//   getTenantEscalation(client, table, tenantId, escalationId)   the item or undefined (strongly consistent)
//   listTenantEscalations(client, table, tenantId, { status, limit, nextToken })
//       one page of the byTenantStatus index, oldest first, + an opaque nextToken
//
// nextToken is the page's LastEvaluatedKey as base64url JSON. A token that does not decode, or that belongs
// to another tenant or status, is an InvalidPageTokenError (the API answers 400), never a cross-tenant read.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EscalationStatus } from '../workflows/workflow-item.ts';
import { type EscalationItem, tenantStatusKey } from './escalation-item.ts';

export const BY_TENANT_STATUS_INDEX = 'byTenantStatus';

export class InvalidPageTokenError extends Error {
  override readonly name = 'InvalidPageTokenError';
}

export interface EscalationPage {
  items: EscalationItem[];
  nextToken?: string;
}

/** The item whatever its tenant: for the backend's own callers that hold the id from a trusted source. */
export async function getEscalation(
  client: DynamoDBDocumentClient,
  table: string,
  escalationId: string,
): Promise<EscalationItem | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { escalationId }, ConsistentRead: true }),
  );
  return Item as EscalationItem | undefined;
}

export async function getTenantEscalation(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  escalationId: string,
): Promise<EscalationItem | undefined> {
  const item = await getEscalation(client, table, escalationId);
  return item?.tenantId === tenantId ? item : undefined;
}

export async function listTenantEscalations(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  page: { status: EscalationStatus; limit: number; nextToken?: string },
): Promise<EscalationPage> {
  const tenantStatus = tenantStatusKey(tenantId, page.status);
  const { Items, LastEvaluatedKey } = await client.send(
    new QueryCommand({
      TableName: table,
      IndexName: BY_TENANT_STATUS_INDEX,
      KeyConditionExpression: 'tenantStatus = :tenantStatus',
      ExpressionAttributeValues: { ':tenantStatus': tenantStatus },
      ScanIndexForward: true,
      Limit: page.limit,
      ExclusiveStartKey:
        page.nextToken === undefined ? undefined : decodePageToken(page.nextToken, tenantStatus),
    }),
  );
  const items = (Items ?? []) as EscalationItem[];
  return LastEvaluatedKey ? { items, nextToken: encodePageToken(LastEvaluatedKey) } : { items };
}

function encodePageToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodePageToken(token: string, tenantStatus: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageTokenError('nextToken is not a token this API issued');
  }
  if (!isIndexKey(key) || key.tenantStatus !== tenantStatus) {
    throw new InvalidPageTokenError('nextToken is not a token this API issued for this tenant and status');
  }
  // Only the key attributes go back to DynamoDB, whatever else the token carried.
  return { escalationId: key.escalationId, tenantStatus: key.tenantStatus, createdAt: key.createdAt };
}

function isIndexKey(
  value: unknown,
): value is { escalationId: string; tenantStatus: string; createdAt: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { escalationId, tenantStatus, createdAt } = value as Record<string, unknown>;
  return (
    typeof escalationId === 'string' && typeof tenantStatus === 'string' && typeof createdAt === 'string'
  );
}
