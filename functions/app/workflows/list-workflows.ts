// GET /v1/workflows: a page of the tenant's workflows, newest first, through the WorkflowsTable's `byTenant`
// index (PK tenantId, SK createdAt), with the opaque nextToken of functions/data/query-page.ts (bound to the
// tenant: another tenant's token is a 400).
//
// `status` filters on the status the view shows (workflow-view.ts). A final status is stored as such and is
// a FilterExpression; RUNNING, QUEUED and WAITING_APPROVAL are all stored RUNNING and are told apart by
// their steps, so those read the RUNNING ones and keep the matching ones. DynamoDB counts `Limit` before
// filtering, so each read asks for no more items than the page still lacks (a page never overshoots and
// its token never skips one), and up to MAX_READS_PER_PAGE reads fill it. A filter that matches little of
// a long history may therefore answer a short page, even an empty one, with a nextToken: continue with it.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryTenantPage } from '../../data/query-page.ts';
import type { WorkflowItem, WorkflowViewStatus } from './workflow-item.ts';
import { viewStatus, type WorkflowSummaryView, workflowSummaryView } from './workflow-view.ts';

export const WORKFLOWS_BY_TENANT_INDEX = 'byTenant';
/** The attributes of a byTenant page's LastEvaluatedKey: the table's key and the index's. */
const PAGE_KEY_ATTRIBUTES = ['workflowId', 'tenantId', 'createdAt'] as const;
export const MAX_READS_PER_PAGE = 10;

/** The status a workflow shown as `status` is stored with. */
function storedStatus(status: WorkflowViewStatus): WorkflowItem['status'] {
  return status === 'QUEUED' || status === 'WAITING_APPROVAL' ? 'RUNNING' : status;
}

export async function listTenantWorkflows(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  request: { limit: number; nextToken?: string; status?: WorkflowViewStatus },
): Promise<{ items: WorkflowSummaryView[]; nextToken?: string }> {
  const { status } = request;
  const query = {
    TableName: table,
    IndexName: WORKFLOWS_BY_TENANT_INDEX,
    KeyConditionExpression: 'tenantId = :tenantId',
    ScanIndexForward: false,
    ...(status === undefined
      ? { ExpressionAttributeValues: { ':tenantId': tenantId } }
      : {
          FilterExpression: '#status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':tenantId': tenantId, ':status': storedStatus(status) },
        }),
  };
  const items: WorkflowSummaryView[] = [];
  let nextToken = request.nextToken;
  for (let read = 0; read < MAX_READS_PER_PAGE; read++) {
    const page = await queryTenantPage<WorkflowItem>(
      client,
      query,
      { limit: request.limit - items.length, ...(nextToken === undefined ? {} : { nextToken }) },
      { keyAttributes: PAGE_KEY_ATTRIBUTES, tenantId },
    );
    for (const item of page.items) {
      if (status === undefined || viewStatus(item) === status) items.push(workflowSummaryView(item));
    }
    nextToken = page.nextToken;
    if (nextToken === undefined || items.length >= request.limit) break;
  }
  return nextToken === undefined ? { items } : { items, nextToken };
}
