// One page of a tenant's audit records for GET /v1/audit, filtered by event type, subject and time.
//
// Records live in one partition per tenant in sequence order, and `recordedAt` never decreases along it,
// so a time window is a contiguous run of sequences: reading stops as soon as it is past the window.
// The other filters are applied to what is read. Each request reads at most MAX_EVALUATED records: a
// narrow filter over a long trail answers a short (possibly empty) page with a nextToken rather than
// reading the whole partition.
//
// nextToken: the sequence to continue after, bound to the tenant (page-token.ts); a token of another
// tenant, or one this API did not issue, is an InvalidPageTokenError (the API answers 400).
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditKeys } from './audit-repository.ts';
import { decodePageToken, encodePageToken, InvalidPageTokenError } from './page-token.ts';

export interface AuditListFilter {
  type?: string;
  agentId?: string;
  workflowId?: string;
  /** ISO 8601 in UTC (`toISOString`), inclusive bounds on recordedAt. */
  from?: string;
  to?: string;
  order: 'asc' | 'desc';
}

export interface AuditListPage {
  items: Record<string, unknown>[];
  nextToken?: string;
}

export const MAX_EVALUATED = 2000;
const READ_PAGE = 250;

export async function listAuditRecords(
  client: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  filter: AuditListFilter,
  page: { limit: number; nextToken?: string },
): Promise<AuditListPage> {
  const chainKey = auditKeys.records(tenantId);
  const ascending = filter.order === 'asc';
  let startKey: Record<string, unknown> | undefined =
    page.nextToken === undefined
      ? undefined
      : { chainKey, sequence: tokenSequence(page.nextToken, chainKey) };
  const items: Record<string, unknown>[] = [];
  let evaluated = 0;
  while (evaluated < MAX_EVALUATED) {
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'chainKey = :chainKey',
        ExpressionAttributeValues: { ':chainKey': chainKey },
        ScanIndexForward: ascending,
        Limit: Math.min(READ_PAGE, MAX_EVALUATED - evaluated),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of result.Items ?? []) {
      evaluated++;
      const recordedAt = String(item.recordedAt);
      if (
        ascending
          ? filter.to !== undefined && recordedAt > filter.to
          : filter.from !== undefined && recordedAt < filter.from
      ) {
        return { items };
      }
      if (!matches(item, filter)) continue;
      items.push(item);
      if (items.length === page.limit)
        return { items, nextToken: tokenAfter(chainKey, item.sequence as number) };
    }
    if (!result.LastEvaluatedKey) return { items };
    startKey = result.LastEvaluatedKey;
  }
  return { items, nextToken: tokenAfter(chainKey, startKey!.sequence as number) };
}

function matches(item: Record<string, unknown>, filter: AuditListFilter): boolean {
  const subject = (item.subject ?? {}) as Record<string, unknown>;
  const recordedAt = String(item.recordedAt);
  return (
    (filter.type === undefined || item.type === filter.type) &&
    (filter.agentId === undefined || subject.agentId === filter.agentId) &&
    (filter.workflowId === undefined || subject.workflowId === filter.workflowId) &&
    (filter.from === undefined || recordedAt >= filter.from) &&
    (filter.to === undefined || recordedAt <= filter.to)
  );
}

function tokenAfter(chainKey: string, sequence: number): string {
  return encodePageToken({ chainKey, sequence: String(sequence) });
}

function tokenSequence(token: string, chainKey: string): number {
  const key = decodePageToken(token, ['chainKey', 'sequence'], { chainKey }, 'tenant');
  // Sixteen digits may still exceed 2^53, which the document client refuses to marshal (a 500; found by
  // the fuzz suite, test/integration/fuzz).
  if (!/^[1-9]\d{0,15}$/.test(key.sequence!) || !Number.isSafeInteger(Number(key.sequence))) {
    throw new InvalidPageTokenError('nextToken is not a token this API issued');
  }
  return Number(key.sequence);
}
