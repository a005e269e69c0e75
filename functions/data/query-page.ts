// One page of a tenant's items through a Query, with the opaque nextToken of page-token.ts: the token must
// be one this API issued for the same tenant (else InvalidPageTokenError, a 400 through the router), and
// the page's LastEvaluatedKey becomes the next one. The list routes of agents, webhooks and API keys share it.
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { decodePageToken, encodePageToken } from './page-token.ts';

export interface PageRequest {
  limit: number;
  nextToken?: string;
}

export async function queryTenantPage<T>(
  client: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  page: PageRequest,
  token: { keyAttributes: readonly string[]; tenantId: string },
): Promise<{ items: T[]; nextToken?: string }> {
  const { Items, LastEvaluatedKey } = await client.send(
    new QueryCommand({
      ...query,
      Limit: page.limit,
      ExclusiveStartKey:
        page.nextToken === undefined
          ? undefined
          : decodePageToken(page.nextToken, token.keyAttributes, { tenantId: token.tenantId }, 'tenant'),
    }),
  );
  const items = (Items ?? []) as T[];
  return LastEvaluatedKey ? { items, nextToken: encodePageToken(LastEvaluatedKey) } : { items };
}
