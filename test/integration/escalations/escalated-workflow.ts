// Arranges what the escalation functions start from: a RUNNING workflow whose second step the gate decided
// ESCALATE (as the gate records it: status DECIDED, decision, reasons, agentTier, intentId, authorityLevel),
// written straight to DynamoDB Local so these tests depend on the gate's contract, not on its code.
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EscalationItem } from '../../../functions/app/escalations/escalation-item.ts';
import type { StepState, WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import type { TableNames } from '../../support/dynamodb-tables.ts';

export const ESCALATED_STEP = 1;

export function escalatedWorkflowItem(
  tenantId: string,
  escalated: Partial<StepState> = {},
  workflow: Partial<WorkflowItem> = {},
): WorkflowItem {
  const now = new Date().toISOString();
  return {
    workflowId: randomUUID(),
    tenantId,
    template: 'escalation',
    type: 'sequential',
    input: { task: 'Draft the quarterly summary' },
    options: {
      preference: 'cost',
      escalation: { slaSeconds: 3600, maxLevel: 3 },
      queue: { maxAttempts: 5, delaySeconds: 5, backoffRate: 2, maxDelaySeconds: 300 },
    },
    steps: [
      {
        name: 'research',
        agentId: 'research-agent',
        requiredTier: 'T3',
        intent: 'search_web',
        resource: { id: 'web', type: 'web' },
        status: 'SUCCEEDED',
        decision: 'ALLOW',
        agentTier: 'T3',
        intentId: randomUUID(),
        output: 'findings',
      },
      {
        name: 'draft',
        agentId: 'writing-agent',
        requiredTier: 'T3',
        intent: 'generate_document',
        resource: { id: 'draft', type: 'document' },
        status: 'DECIDED',
        decision: 'ESCALATE',
        reasons: ['agent tier T2 is below the required tier T3'],
        agentTier: 'T2',
        intentId: randomUUID(),
        authorityLevel: 1,
        ...escalated,
      },
    ],
    status: 'RUNNING',
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:sequential:run',
    createdAt: now,
    updatedAt: now,
    ...workflow,
  };
}

export async function putWorkflow(
  documents: DynamoDBDocumentClient,
  tables: TableNames,
  item: WorkflowItem,
): Promise<WorkflowItem> {
  await documents.send(new PutCommand({ TableName: tables.workflows, Item: item }));
  return item;
}

export async function readWorkflow(
  documents: DynamoDBDocumentClient,
  tables: TableNames,
  workflowId: string,
): Promise<WorkflowItem> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tables.workflows, Key: { workflowId }, ConsistentRead: true }),
  );
  return Item as WorkflowItem;
}

export async function readEscalation(
  documents: DynamoDBDocumentClient,
  tables: TableNames,
  escalationId: string,
): Promise<EscalationItem | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tables.escalations, Key: { escalationId }, ConsistentRead: true }),
  );
  return Item as EscalationItem | undefined;
}

/** The escalate function's input for the escalated step of `workflow`. */
export function escalateEvent(
  workflow: WorkflowItem,
  overrides: Partial<{
    mode: 'open' | 'raise';
    slaSeconds: number;
    maxLevel: number;
    taskToken: string;
  }> = {},
) {
  return {
    workflowId: workflow.workflowId,
    tenantId: workflow.tenantId,
    stepIndex: ESCALATED_STEP,
    mode: 'open' as 'open' | 'raise',
    slaSeconds: 3600,
    maxLevel: 3,
    taskToken: `token-${randomUUID()}`,
    ...overrides,
  };
}
