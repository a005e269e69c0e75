// Readiness: DynamoDB answers for every table of the app. One DescribeTable per table, at once: the cheapest
// call that proves the endpoint, the credentials and the table, and one the role can be granted without any
// right to read an item. A table is usable while ACTIVE or UPDATING (it serves reads and writes while it
// changes); CREATING, DELETING, ARCHIVED or an inaccessible encryption key are failures.
import { DescribeTableCommand, type DynamoDBClient, type TableStatus } from '@aws-sdk/client-dynamodb';
import { type CheckResult, describeFailures, type HealthCheck, settleEach } from './health-report.ts';

const USABLE_STATUSES: ReadonlySet<string> = new Set<TableStatus>(['ACTIVE', 'UPDATING']);

/** `tables`: the app's tables by their docs/backend.md name (`agents`) → physical table name. */
export function dynamoDbCheck(
  dynamodb: Pick<DynamoDBClient, 'send'>,
  tables: Readonly<Record<string, string>>,
): HealthCheck {
  return async (signal): Promise<CheckResult> => {
    const { values, failures } = await settleEach(Object.keys(tables), async (name) => {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tables[name]! }), {
        abortSignal: signal,
      });
      return Table?.TableStatus ?? 'unknown';
    });
    const statuses: Record<string, string> = {};
    for (const name of Object.keys(tables)) statuses[name] = values[name] ?? 'unreachable';
    for (const [name, status] of Object.entries(values))
      if (!USABLE_STATUSES.has(status)) failures.push({ target: name, error: `table status ${status}` });
    if (failures.length === 0) return { ok: true, tables: statuses };
    return { ok: false, tables: statuses, error: describeFailures(failures) };
  };
}
