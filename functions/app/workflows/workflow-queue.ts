// Backpressure (SPEC §6): a tenant may have at most MAX_OPEN_WORKFLOWS workflows admitted and not yet
// ended — running a step, queued for an agent, or waiting for a reviewer. Past that, POST /v1/workflows
// answers 503 `queue_full` with Retry-After, and writes nothing.
//
// The count is `openWorkflows` (N) of `queue#<tenantId>` in GateStateTable. A workflow takes its slot in
// the same transaction that creates its item (`holdsQueueSlot: true` on it), and gives it back in the
// same transaction that ends it — finish, or the start's own failure — so the count can move neither
// without the workflow nor twice for one. Workflows created before the slot existed hold none and give
// none back.
import type { TransactWriteItem } from '../../data/intent-ledger.ts';

export const MAX_OPEN_WORKFLOWS = 100;

/**
 * What a 503 `queue_full` tells a client to wait: a short workflow ends in seconds, so asking again
 * after 10 s neither hammers a full queue nor idles long once it drains.
 */
export const QUEUE_FULL_RETRY_AFTER_SECONDS = 10;

export function workflowQueueKey(tenantId: string): string {
  return `queue#${tenantId}`;
}

/** Takes one of the tenant's slots; its condition fails when all `maxOpen` are taken. */
export function takeQueueSlot(gateStateTable: string, tenantId: string, maxOpen: number): TransactWriteItem {
  return {
    Update: {
      TableName: gateStateTable,
      Key: { key: workflowQueueKey(tenantId) },
      UpdateExpression:
        'SET openWorkflows = if_not_exists(openWorkflows, :zero) + :one, tenantId = :tenantId',
      ConditionExpression: 'attribute_not_exists(openWorkflows) OR openWorkflows < :maxOpen',
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':maxOpen': maxOpen, ':tenantId': tenantId },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** Gives a slot back, in the transaction that ends the workflow holding it. */
export function releaseQueueSlot(gateStateTable: string, tenantId: string): TransactWriteItem {
  return {
    Update: {
      TableName: gateStateTable,
      Key: { key: workflowQueueKey(tenantId) },
      UpdateExpression: 'ADD openWorkflows :minusOne',
      ExpressionAttributeValues: { ':minusOne': -1 },
    },
  };
}

export class WorkflowQueueFullError extends Error {
  override readonly name = 'WorkflowQueueFullError';

  constructor(
    readonly tenantId: string,
    readonly maxOpen: number,
  ) {
    super(
      `tenant ${tenantId} has ${maxOpen} workflows that have not ended, the most it may have; ` +
        `retry after ${QUEUE_FULL_RETRY_AFTER_SECONDS} s`,
    );
  }
}
