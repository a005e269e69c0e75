// EscalationsTable reads (item shape: escalation-item.ts). Tenancy is checked here: another tenant's
// escalation is reported as absent, and a page token only continues the listing it came from.
//
//   getEscalation(client, table, escalationId)                   the item whatever its tenant (the escalate function's)
//   getTenantEscalation(client, table, tenantId, escalationId)   the item or undefined (strongly consistent)
//   listTenantEscalations(client, table, tenantId, { status, limit, nextToken })
//       one page of the byTenantStatus index, oldest first, + an opaque nextToken
//
// nextToken: functions/data/page-token.ts; a token of another tenant or status is an InvalidPageTokenError
// (the API answers 400).
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodePageToken, encodePageToken } from '../../data/page-token.ts';
import type { EscalationStatus } from '../workflows/workflow-item.ts';
import { type EscalationItem, tenantStatusKey } from './escalation-item.ts';

const BY_TENANT_STATUS_INDEX = 'byTenantStatus';

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
        page.nextToken === undefined
          ? undefined
          : decodePageToken(
              page.nextToken,
              ['escalationId', 'tenantStatus', 'createdAt'],
              { tenantStatus },
              'tenant and status',
            ),
    }),
  );
  const items = (Items ?? []) as EscalationItem[];
  return LastEvaluatedKey ? { items, nextToken: encodePageToken(LastEvaluatedKey) } : { items };
}
