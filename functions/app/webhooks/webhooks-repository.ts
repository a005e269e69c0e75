// WebhooksTable access (item shape: webhook-item.ts). Every call is scoped to one tenant's partition.
//
//   createWebhook      the subscription and the tenant's quota count in one transaction (WebhookLimitError)
//   getWebhook         strongly consistent; undefined for an id the tenant does not have
//   listWebhooks       a page of the tenant's webhooks, oldest id order, + an opaque nextToken
//   deleteWebhook      the subscription and its quota count in one transaction; false when absent
//   activeWebhooks     every ACTIVE webhook of a tenant (at most MAX_WEBHOOKS_PER_TENANT), for the dispatcher
//   wasDelivered / recordDelivered / recordFailure / disableWebhook   the delivery worker's bookkeeping

import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { LastDelivery } from '../../core/webhooks/delivery-outcome.ts';
import { queryTenantPage } from '../../data/query-page.ts';
import { deliveredMarkerKey, QUOTA_SORT_KEY, WEBHOOK_ID_PREFIX, type WebhookItem } from './webhook-item.ts';

export interface WebhooksTable {
  client: DynamoDBDocumentClient;
  table: string;
}

export class WebhookLimitError extends Error {
  override readonly name = 'WebhookLimitError';
}

export async function createWebhook(
  db: WebhooksTable,
  item: WebhookItem,
  maxPerTenant: number,
): Promise<void> {
  try {
    await db.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: db.table,
              Key: { tenantId: item.tenantId, webhookId: QUOTA_SORT_KEY },
              UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one',
              ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': maxPerTenant },
            },
          },
          {
            Put: {
              TableName: db.table,
              Item: item,
              ConditionExpression: 'attribute_not_exists(webhookId)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') {
      throw new WebhookLimitError(`a tenant may have at most ${maxPerTenant} webhooks`);
    }
    throw error;
  }
}

export async function getWebhook(
  db: WebhooksTable,
  tenantId: string,
  webhookId: string,
): Promise<WebhookItem | undefined> {
  if (!webhookId.startsWith(WEBHOOK_ID_PREFIX)) return undefined;
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.table, Key: { tenantId, webhookId }, ConsistentRead: true }),
  );
  return Item as WebhookItem | undefined;
}

export async function listWebhooks(
  db: WebhooksTable,
  tenantId: string,
  page: { limit: number; nextToken?: string },
): Promise<{ items: WebhookItem[]; nextToken?: string }> {
  return queryTenantPage<WebhookItem>(
    db.client,
    {
      TableName: db.table,
      KeyConditionExpression: 'tenantId = :tenantId AND begins_with(webhookId, :prefix)',
      ExpressionAttributeValues: { ':tenantId': tenantId, ':prefix': WEBHOOK_ID_PREFIX },
    },
    page,
    { keyAttributes: ['tenantId', 'webhookId'], tenantId },
  );
}

export async function deleteWebhook(
  db: WebhooksTable,
  tenantId: string,
  webhookId: string,
): Promise<boolean> {
  if (!webhookId.startsWith(WEBHOOK_ID_PREFIX)) return false;
  try {
    await db.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: db.table,
              Key: { tenantId, webhookId },
              ConditionExpression: 'attribute_exists(webhookId)',
            },
          },
          {
            Update: {
              TableName: db.table,
              Key: { tenantId, webhookId: QUOTA_SORT_KEY },
              UpdateExpression: 'ADD #count :minusOne',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':minusOne': -1 },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

export async function activeWebhooks(db: WebhooksTable, tenantId: string): Promise<WebhookItem[]> {
  const items: WebhookItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.client.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'tenantId = :tenantId AND begins_with(webhookId, :prefix)',
        FilterExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':tenantId': tenantId,
          ':prefix': WEBHOOK_ID_PREFIX,
          ':active': 'ACTIVE',
        },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as WebhookItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException';
}

/**
 * A delivered attempt, in one transaction: the failing run, if any, is over, and the delivery's marker
 * (deliveredMarkerKey) says this message reached this webhook. False when the webhook is gone.
 */
export async function recordDelivered(
  db: WebhooksTable,
  key: { tenantId: string; webhookId: string },
  messageId: string,
  lastDelivery: LastDelivery,
  markerExpiresAt: number,
): Promise<boolean> {
  try {
    await db.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: db.table,
              Key: key,
              UpdateExpression: 'SET lastDelivery = :last REMOVE failingSince',
              ConditionExpression: 'attribute_exists(webhookId)',
              ExpressionAttributeValues: { ':last': lastDelivery },
            },
          },
          {
            Put: {
              TableName: db.table,
              Item: {
                tenantId: key.tenantId,
                webhookId: deliveredMarkerKey(key.webhookId, messageId),
                deliveredAt: lastDelivery.at,
                expiresAt: markerExpiresAt,
              },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** Whether `messageId` has already been delivered to the webhook (a duplicate dispatch). */
export async function wasDelivered(
  db: WebhooksTable,
  key: { tenantId: string; webhookId: string },
  messageId: string,
): Promise<boolean> {
  const { Item } = await db.client.send(
    new GetCommand({
      TableName: db.table,
      Key: { tenantId: key.tenantId, webhookId: deliveredMarkerKey(key.webhookId, messageId) },
      ConsistentRead: true,
    }),
  );
  return Item !== undefined;
}

/** A failed attempt; the item afterwards (its `failingSince` the first failure of the run), undefined when gone. */
export async function recordFailure(
  db: WebhooksTable,
  key: { tenantId: string; webhookId: string },
  lastDelivery: LastDelivery,
): Promise<WebhookItem | undefined> {
  try {
    const { Attributes } = await db.client.send(
      new UpdateCommand({
        TableName: db.table,
        Key: key,
        UpdateExpression: 'SET lastDelivery = :last, failingSince = if_not_exists(failingSince, :at)',
        ConditionExpression: 'attribute_exists(webhookId)',
        ExpressionAttributeValues: { ':last': lastDelivery, ':at': lastDelivery.at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes as WebhookItem;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** ACTIVE → DISABLED; false when it was not ACTIVE any more (disabled by another attempt, or deleted). */
export async function disableWebhook(
  db: WebhooksTable,
  key: { tenantId: string; webhookId: string },
  disabledAt: string,
): Promise<boolean> {
  try {
    await db.client.send(
      new UpdateCommand({
        TableName: db.table,
        Key: key,
        UpdateExpression: 'SET #status = :disabled, disabledAt = :at',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':disabled': 'DISABLED', ':active': 'ACTIVE', ':at': disabledAt },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
