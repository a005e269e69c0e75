// A tenant's rate-limit plan (SPEC §6) in GateStateTable, key `plan#<tenantId>`: core, pro or exec. No
// item means the default bucket (50, 10/s). The authorizer reads it once per key it admits, so a changed
// plan applies to a key in use after at most the authorizer's cache TTL; the gate reads it with the
// tenant's step bucket.
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isRateLimitPlan, type RateLimitPlan } from '../../core/rate-limit/rate-limit-plans.ts';

export interface TenantPlansTable {
  client: DynamoDBDocumentClient;
  /** GateStateTable. */
  table: string;
}

export interface TenantPlanItem {
  key: string;
  tenantId: string;
  plan: RateLimitPlan;
  updatedAt: string;
  /** keyId of the platform admin's key that set it. */
  updatedBy: string;
}

export function tenantPlanKey(tenantId: string): string {
  return `plan#${tenantId}`;
}

export async function getTenantPlan(
  db: TenantPlansTable,
  tenantId: string,
): Promise<TenantPlanItem | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.table, Key: { key: tenantPlanKey(tenantId) }, ConsistentRead: true }),
  );
  // An item whose plan this code does not know (a plan since withdrawn) is the default bucket, not an error.
  return Item && isRateLimitPlan(Item.plan) ? (Item as TenantPlanItem) : undefined;
}

/** Sets the tenant's plan; `default` removes it. */
export async function setTenantPlan(
  db: TenantPlansTable,
  change: { tenantId: string; plan: RateLimitPlan | 'default'; updatedAt: string; updatedBy: string },
): Promise<TenantPlanItem | undefined> {
  const key = tenantPlanKey(change.tenantId);
  if (change.plan === 'default') {
    await db.client.send(new DeleteCommand({ TableName: db.table, Key: { key } }));
    return undefined;
  }
  const item: TenantPlanItem = { key, ...change, plan: change.plan };
  await db.client.send(new PutCommand({ TableName: db.table, Item: item }));
  return item;
}
