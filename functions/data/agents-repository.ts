// AgentsTable access (item shape: agent-item.ts). Every read is scoped to one tenant by the partition
// key, so no call here can return another tenant's agent.
//
//   createAgent(client, table, item)                     Put if absent; AgentAlreadyExistsError otherwise
//   getAgent(client, table, tenantId, agentId)           the item or undefined (strongly consistent)
//   listAgents(client, table, tenantId, { limit, nextToken })  one page in agentId order + opaque nextToken
//
// nextToken: page-token.ts; a token of another tenant is an InvalidPageTokenError (the API answers 400).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AgentItem } from './agent-item.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';

export class AgentAlreadyExistsError extends Error {
  override readonly name = 'AgentAlreadyExistsError';
  constructor(
    readonly tenantId: string,
    readonly agentId: string,
  ) {
    super(`agent "${agentId}" already exists in tenant "${tenantId}"`);
  }
}

export interface AgentPage {
  agents: AgentItem[];
  nextToken?: string;
}

export async function createAgent(
  client: DynamoDBDocumentClient,
  table: string,
  item: AgentItem,
): Promise<void> {
  try {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(agentId)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new AgentAlreadyExistsError(item.tenantId, item.agentId);
    }
    throw error;
  }
}

export async function getAgent(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  agentId: string,
): Promise<AgentItem | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { tenantId, agentId }, ConsistentRead: true }),
  );
  return Item as AgentItem | undefined;
}

export async function listAgents(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  page: { limit: number; nextToken?: string },
): Promise<AgentPage> {
  const { Items, LastEvaluatedKey } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'tenantId = :tenantId',
      ExpressionAttributeValues: { ':tenantId': tenantId },
      Limit: page.limit,
      ExclusiveStartKey:
        page.nextToken === undefined
          ? undefined
          : decodePageToken(page.nextToken, ['tenantId', 'agentId'], { tenantId }, 'tenant'),
    }),
  );
  const agents = (Items ?? []) as AgentItem[];
  return LastEvaluatedKey ? { agents, nextToken: encodePageToken(LastEvaluatedKey) } : { agents };
}
