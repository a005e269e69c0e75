// Readiness: DynamoDB answers for every table of the app. One DescribeTable per table, at once: the cheapest
// call that proves the endpoint, the credentials and the table, and one the role can be granted without any
// right to read an item. A table is usable while ACTIVE or UPDATING (it serves reads and writes while it
// changes); CREATING, DELETING, ARCHIVED or an inaccessible encryption key are failures.
import { DescribeTableCommand, type DynamoDBClient, type TableStatus } from '@aws-sdk/client-dynamodb';
import { type CheckResult, describeFailures, type HealthCheck } from './health-report.ts';

const USABLE_STATUSES: ReadonlySet<string> = new Set<TableStatus>(['ACTIVE', 'UPDATING']);

/** `tables`: the app's tables by their docs/backend.md name (`agents`) → physical table name. */
export function dynamoDbCheck(
  dynamodb: Pick<DynamoDBClient, 'send'>,
  tables: Readonly<Record<string, string>>,
): HealthCheck {
  return async (signal): Promise<CheckResult> => {
    const names = Object.keys(tables);
    const answers = await Promise.allSettled(
      names.map(async (name) => {
        const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tables[name]! }), {
          abortSignal: signal,
        });
        return Table?.TableStatus ?? 'unknown';
      }),
    );
    const statuses: Record<string, string> = {};
    const failures: { target: string; error: unknown }[] = [];
    answers.forEach((answer, index) => {
      const name = names[index]!;
      if (answer.status === 'rejected') {
        statuses[name] = 'unreachable';
        failures.push({ target: name, error: answer.reason });
        return;
      }
      statuses[name] = answer.value;
      if (!USABLE_STATUSES.has(answer.value))
        failures.push({ target: name, error: `table status ${answer.value}` });
    });
    if (failures.length === 0) return { ok: true, tables: statuses };
    return { ok: false, tables: statuses, error: describeFailures(failures) };
  };
}
