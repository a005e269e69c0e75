// AgentsTable access (item shape: agent-item.ts). Every read is scoped to one tenant by the partition
// key, so no call here can return another tenant's agent.
//
//   createAgent(client, table, item)                     Put if absent; AgentAlreadyExistsError otherwise
//   getAgent(client, table, tenantId, agentId)           the item or undefined (strongly consistent)
//   listAgents(client, table, tenantId, { limit, nextToken })  one page in agentId order + opaque nextToken
//   scanAgents(client, table, { limit, startKey })      one page of every tenant's agents (the decay sweep)
//   writeAgentTrust(client, table, write)               trust + applied signals (+ announcement) under the
//                                                       version lock; false when the version moved
//   writeTrustAnnouncement(client, table, write)        the announcement alone, under the same lock
//
// nextToken: page-token.ts; a token of another tenant is an InvalidPageTokenError (the API answers 400).

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TrustState } from '../core/trust/trust-state.ts';
import type { AgentItem, AppliedTrustSignal, TrustAnnouncement } from './agent-item.ts';
import { queryTenantPage } from './query-page.ts';

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
  const { items: agents, nextToken } = await queryTenantPage<AgentItem>(
    client,
    {
      TableName: table,
      KeyConditionExpression: 'tenantId = :tenantId',
      ExpressionAttributeValues: { ':tenantId': tenantId },
    },
    page,
    { keyAttributes: ['tenantId', 'agentId'], tenantId },
  );
  return nextToken ? { agents, nextToken } : { agents };
}

/** Where a scan continues: the LastEvaluatedKey of the previous page (internal callers only, never a client). */
export type AgentScanKey = Record<string, unknown>;

export interface AgentScanPage {
  agents: AgentItem[];
  nextKey?: AgentScanKey;
}

/** One page of agents across all tenants, eventually consistent: a stale version fails the writer's lock. */
export async function scanAgents(
  client: DynamoDBDocumentClient,
  table: string,
  page: { limit: number; startKey?: AgentScanKey },
): Promise<AgentScanPage> {
  const { Items, LastEvaluatedKey } = await client.send(
    new ScanCommand({ TableName: table, Limit: page.limit, ExclusiveStartKey: page.startKey }),
  );
  const agents = (Items ?? []) as AgentItem[];
  return LastEvaluatedKey ? { agents, nextKey: LastEvaluatedKey } : { agents };
}

interface VersionedWrite {
  tenantId: string;
  agentId: string;
  /** The version the caller read; the write happens only if the item still has it, and bumps it. */
  readVersion: number;
  /** ISO 8601. */
  updatedAt: string;
}

export interface AgentTrustWrite extends VersionedWrite {
  trust: TrustState;
  appliedTrustSignals: AppliedTrustSignal[];
  /** Omitted: the stored announcement stays as it is. */
  trustAnnouncement?: TrustAnnouncement;
}

/** Stores a trust signal's outcome. False when another writer (a signal, the gate's breaker) moved the version. */
export function writeAgentTrust(
  client: DynamoDBDocumentClient,
  table: string,
  write: AgentTrustWrite,
): Promise<boolean> {
  const announcement = write.trustAnnouncement === undefined ? '' : ', trustAnnouncement = :announcement';
  return versionedUpdate(
    client,
    table,
    write,
    `trust = :trust, appliedTrustSignals = :applied${announcement}`,
    {
      ':trust': write.trust,
      ':applied': write.appliedTrustSignals,
      ...(write.trustAnnouncement === undefined ? {} : { ':announcement': write.trustAnnouncement }),
    },
  );
}

/** Stores what the decay sweep announced. False when the version moved since the sweep read the agent. */
export function writeTrustAnnouncement(
  client: DynamoDBDocumentClient,
  table: string,
  write: VersionedWrite & { trustAnnouncement: TrustAnnouncement },
): Promise<boolean> {
  return versionedUpdate(client, table, write, 'trustAnnouncement = :announcement', {
    ':announcement': write.trustAnnouncement,
  });
}

async function versionedUpdate(
  client: DynamoDBDocumentClient,
  table: string,
  write: VersionedWrite,
  assignments: string,
  values: Record<string, unknown>,
): Promise<boolean> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { tenantId: write.tenantId, agentId: write.agentId },
        UpdateExpression: `SET ${assignments}, version = :nextVersion, updatedAt = :updatedAt`,
        ConditionExpression: 'version = :readVersion',
        ExpressionAttributeValues: {
          ...values,
          ':readVersion': write.readVersion,
          ':nextVersion': write.readVersion + 1,
          ':updatedAt': write.updatedAt,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
