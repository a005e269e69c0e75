// The DLQ monitor's episode records (core/alerts/dlq-episode.ts), kept in AlertsTable under the partition
// `#dlq-episodes` — not a valid tenant id, so no API route can ever list them among a tenant's alerts:
//
//   { tenantId: "#dlq-episodes", alertId: <queue>, queue, startedAt, messages, announced }
//
//   readEpisode(client, table, queue)            the open episode or undefined (strongly consistent)
//   recordEpisode(client, table, episode)        Put if no episode is open; false when one is (a concurrent run)
//   markAnnounced(client, table, episode)        announced = true, on that very episode only
//   endEpisode(client, table, episode)           Delete, on that very episode only
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DlqEpisode } from '../../core/alerts/dlq-episode.ts';

export const DLQ_EPISODES_PARTITION = '#dlq-episodes';

interface EpisodeItem extends DlqEpisode {
  tenantId: typeof DLQ_EPISODES_PARTITION;
  alertId: string;
}

function key(queue: string): { tenantId: typeof DLQ_EPISODES_PARTITION; alertId: string } {
  return { tenantId: DLQ_EPISODES_PARTITION, alertId: queue };
}

export async function readEpisode(
  client: DynamoDBDocumentClient,
  table: string,
  queue: string,
): Promise<DlqEpisode | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: key(queue), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { queue: name, startedAt, messages, announced } = Item as EpisodeItem;
  return { queue: name, startedAt, messages, announced };
}

export async function recordEpisode(
  client: DynamoDBDocumentClient,
  table: string,
  episode: DlqEpisode,
): Promise<boolean> {
  const item: EpisodeItem = { ...key(episode.queue), ...episode };
  return conditional(() =>
    client.send(
      new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(alertId)' }),
    ),
  );
}

export async function markAnnounced(
  client: DynamoDBDocumentClient,
  table: string,
  episode: DlqEpisode,
): Promise<boolean> {
  return conditional(() =>
    client.send(
      new UpdateCommand({
        TableName: table,
        Key: key(episode.queue),
        UpdateExpression: 'SET announced = :true',
        ConditionExpression: 'startedAt = :startedAt',
        ExpressionAttributeValues: { ':true': true, ':startedAt': episode.startedAt },
      }),
    ),
  );
}

export async function endEpisode(
  client: DynamoDBDocumentClient,
  table: string,
  episode: DlqEpisode,
): Promise<boolean> {
  return conditional(() =>
    client.send(
      new DeleteCommand({
        TableName: table,
        Key: key(episode.queue),
        ConditionExpression: 'startedAt = :startedAt',
        ExpressionAttributeValues: { ':startedAt': episode.startedAt },
      }),
    ),
  );
}

async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
