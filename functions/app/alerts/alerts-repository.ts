// AlertsTable access (item shape: alert-item.ts). Reads are scoped to one tenant by the partition key.
//
//   putAlertIfAbsent(client, table, item)        Put unless the alert exists; the stored one when it did
//   markAlertPublished(client, table, alert, at)  publishedAt = at, once its alert.* event is on the bus
//   listTenantAlerts(client, table, tenantId, { kind?, severity?, since?, limit, nextToken? })
//       the tenant's alerts newest first (alertId descending), `since` as a key range, kind and severity as
//       filters; pages are filled up to `limit` across DynamoDB pages, + an opaque tenant-bound nextToken
//
// nextToken: functions/data/page-token.ts; a token of another tenant is an InvalidPageTokenError (the API
// answers 400).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AlertKind, AlertSeverity } from '../../core/alerts/alert-kinds.ts';
import { decodePageToken, encodePageToken, InvalidPageTokenError } from '../../data/page-token.ts';
import type { AlertItem } from './alert-item.ts';

export interface AlertQuery {
  kind?: AlertKind;
  severity?: AlertSeverity;
  /** ISO 8601 UTC with milliseconds (`toISOString()`), compared with the alertId's time prefix. */
  since?: string;
  limit: number;
  nextToken?: string;
}

export interface AlertPage {
  items: AlertItem[];
  nextToken?: string;
}

/** Queries per listing at most, so a filter that matches little cannot make one request read a whole partition. */
const MAX_QUERIES_PER_PAGE = 10;

export type PutAlertResult = { stored: 'new' } | { stored: 'existing'; existing: AlertItem };

export async function putAlertIfAbsent(
  client: DynamoDBDocumentClient,
  table: string,
  item: AlertItem,
): Promise<PutAlertResult> {
  try {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(alertId)',
      }),
    );
    return { stored: 'new' };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  // Alerts are never deleted, so the item that failed the condition is there to read.
  const { Item } = await client.send(
    new GetCommand({
      TableName: table,
      Key: { tenantId: item.tenantId, alertId: item.alertId },
      ConsistentRead: true,
    }),
  );
  return { stored: 'existing', existing: Item as AlertItem };
}

export async function markAlertPublished(
  client: DynamoDBDocumentClient,
  table: string,
  alert: Pick<AlertItem, 'tenantId' | 'alertId'>,
  publishedAtMs: number,
): Promise<void> {
  await client.send(
    new UpdateCommand({
      TableName: table,
      Key: { tenantId: alert.tenantId, alertId: alert.alertId },
      UpdateExpression: 'SET publishedAt = if_not_exists(publishedAt, :at)',
      ConditionExpression: 'attribute_exists(alertId)',
      ExpressionAttributeValues: { ':at': new Date(publishedAtMs).toISOString() },
    }),
  );
}

export async function listTenantAlerts(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  query: AlertQuery,
): Promise<AlertPage> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':tenantId': tenantId };
  let keyCondition = 'tenantId = :tenantId';
  if (query.since !== undefined) {
    keyCondition += ' AND alertId >= :since';
    values[':since'] = query.since;
  }
  const filters: string[] = [];
  if (query.kind !== undefined) {
    filters.push('#kind = :kind');
    names['#kind'] = 'kind';
    values[':kind'] = query.kind;
  }
  if (query.severity !== undefined) {
    filters.push('#severity = :severity');
    names['#severity'] = 'severity';
    values[':severity'] = query.severity;
  }

  const items: AlertItem[] = [];
  let startKey: Record<string, unknown> | undefined =
    query.nextToken === undefined
      ? undefined
      : decodePageToken(query.nextToken, ['tenantId', 'alertId'], { tenantId }, 'tenant');
  // A token of a page before `since` (issued without it, or for an earlier one) is outside the key
  // condition, which DynamoDB answers with a ValidationException: a 500 (found by the fuzz suite,
  // test/integration/fuzz). It is a token issued for another filter, a 400 like any other.
  if (startKey !== undefined && query.since !== undefined && String(startKey.alertId) < query.since) {
    throw new InvalidPageTokenError('nextToken is not a token this API issued for this since');
  }
  // Each Query evaluates at most the items still wanted, so the page never overshoots `limit` and the last
  // LastEvaluatedKey is exactly where the next page starts.
  for (let queries = 0; queries < MAX_QUERIES_PER_PAGE; queries++) {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: keyCondition,
        ...(filters.length > 0
          ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: query.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as AlertItem[]));
    startKey = page.LastEvaluatedKey;
    if (!startKey || items.length >= query.limit) break;
  }
  return startKey ? { items, nextToken: encodePageToken(startKey) } : { items };
}
