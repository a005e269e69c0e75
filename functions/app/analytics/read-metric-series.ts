// Reads every stored series of the catalog's metrics (analytics-items.ts), optionally of one tenant.
// One paged Query per metric of the catalog, in parallel, rather than a Scan of the table: the table also
// holds an `#applied` marker per event of the last 15 days, which a Scan would read (and pay for) on every
// scrape only to skip; a Query of a metric's partition never touches them.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { METRIC_DEFINITIONS } from '../../core/analytics/metric-catalog.ts';
import type { StoredSeries } from './analytics-items.ts';

export async function readMetricSeries(
  client: DynamoDBDocumentClient,
  table: string,
  filter: { tenant?: string } = {},
): Promise<Map<string, StoredSeries[]>> {
  const entries = await Promise.all(
    METRIC_DEFINITIONS.map(
      async (definition) =>
        [definition.name, await queryMetric(client, table, definition.name, filter)] as const,
    ),
  );
  return new Map(entries);
}

async function queryMetric(
  client: DynamoDBDocumentClient,
  table: string,
  metric: string,
  filter: { tenant?: string },
): Promise<StoredSeries[]> {
  const series: StoredSeries[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'metric = :metric',
        ...(filter.tenant === undefined
          ? { ExpressionAttributeValues: { ':metric': metric } }
          : {
              FilterExpression: '#labels.#tenant = :tenant',
              ExpressionAttributeNames: { '#labels': 'labels', '#tenant': 'tenant' },
              ExpressionAttributeValues: { ':metric': metric, ':tenant': filter.tenant },
            }),
        ExclusiveStartKey: startKey,
      }),
    );
    series.push(...((page.Items ?? []) as StoredSeries[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return series;
}
