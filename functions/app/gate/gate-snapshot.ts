// The gate's single read (docs/backend.md): one BatchGetItem for the workflow, the step's agent and the
// tenant's token bucket, strongly consistent, since each is about to be conditionally written on the
// strength of what was read — and the agent's memory meta item, whose absence tells the gate the agent has
// never had a memory, so it does not query for any. Keys DynamoDB leaves unprocessed (throttling) are asked
// for again.
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgentItem } from '../../data/agent-item.ts';
import { agentKey, META_SLOT } from '../../data/memory-repository.ts';
import type { WorkflowItem } from '../workflows/workflow-item.ts';
import { type BucketItem, bucketKey } from './bucket-item.ts';

export interface GateTables {
  agents: string;
  intents: string;
  proofs: string;
  workflows: string;
  gateState: string;
}

export interface GateSnapshot {
  workflow?: WorkflowItem;
  agent?: AgentItem;
  bucket?: BucketItem;
  /** Whether the agent has ever had a memory (its meta item exists). */
  agentHasMemory: boolean;
}

const UNPROCESSED_RETRY_MS = 25;

type KeysAndAttributes = { Keys: Record<string, unknown>[]; ConsistentRead: boolean };

export async function readGateSnapshot(
  client: DynamoDBDocumentClient,
  tables: GateTables,
  ids: { workflowId: string; tenantId: string; agentId: string },
  memoryTable: string,
): Promise<GateSnapshot> {
  let requestItems: Record<string, KeysAndAttributes> | undefined = {
    [tables.workflows]: { Keys: [{ workflowId: ids.workflowId }], ConsistentRead: true },
    [tables.agents]: { Keys: [{ tenantId: ids.tenantId, agentId: ids.agentId }], ConsistentRead: true },
    [tables.gateState]: { Keys: [{ key: bucketKey(ids.tenantId) }], ConsistentRead: true },
    [memoryTable]: {
      Keys: [{ agentKey: agentKey(ids.tenantId, ids.agentId), slot: META_SLOT }],
      ConsistentRead: true,
    },
  };
  const snapshot: GateSnapshot = { agentHasMemory: false };
  for (let attempt = 0; requestItems && Object.keys(requestItems).length > 0; attempt++) {
    if (attempt > 0) await pause(UNPROCESSED_RETRY_MS * attempt);
    const { Responses, UnprocessedKeys } = await client.send(
      new BatchGetCommand({ RequestItems: requestItems }),
    );
    const [workflow] = Responses?.[tables.workflows] ?? [];
    const [agent] = Responses?.[tables.agents] ?? [];
    const [bucket] = Responses?.[tables.gateState] ?? [];
    if (workflow) snapshot.workflow = workflow as WorkflowItem;
    if (agent) snapshot.agent = agent as AgentItem;
    if (bucket) snapshot.bucket = bucket as BucketItem;
    if ((Responses?.[memoryTable] ?? []).length > 0) snapshot.agentHasMemory = true;
    requestItems = UnprocessedKeys as Record<string, KeysAndAttributes> | undefined;
  }
  return snapshot;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
