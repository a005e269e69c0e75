// A tenant's bucket of API requests (SPEC §6) in GateStateTable: key `api-bucket#<tenantId>`, attribute
// `fullAtMs`, the GCRA state of core/rate-limit/token-bucket.ts. It is a bucket of its own, next to the
// gate's `bucket#<tenantId>` of agent steps, and on the same plan: a tenant polling its workflows does
// not starve the steps those workflows are running, and the other way round.
//
// A take is one conditional UpdateItem, with no read before it and no version lock. In its GCRA form a
// take is "fullAtMs ← max(fullAtMs, now) + cost·msPerToken, if that is at most now + burst"; DynamoDB
// cannot compute max, so the take is one of two updates, each atomic:
//   drained  SET fullAtMs = fullAtMs + :costMs    IF fullAtMs > :now AND fullAtMs <= :latestFullAt
//   full     SET fullAtMs = :now + :costMs        IF attribute_not_exists(fullAtMs) OR fullAtMs <= :now
// A failed condition returns the item as it is (ReturnValuesOnConditionCheckFailure), which tells which
// case holds: the other update, or a refusal whose exact wait token-bucket `take` computes from that
// state. So concurrent requests of one tenant never lose an optimistic race and retry: every admission
// is one increment that DynamoDB serializes, and exactly as many requests are admitted as the bucket
// holds. Which update to try first is guessed from the last state this container saw for the tenant
// (a busy tenant's bucket is drained, an idle one's full), so the usual take is one request.
//
// The item expires (TTL `expiresAt`) a minute after it is full again at the latest (now + burst bounds
// when that is): a missing item is a full bucket.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BucketLevel,
  bucketLevel,
  type TokenBucketConfig,
  type TokenBucketState,
  take,
  tokenRefillMs,
} from '../../core/rate-limit/token-bucket.ts';

export interface ApiRequestBucketTable {
  client: DynamoDBDocumentClient;
  /** GateStateTable. */
  table: string;
}

export type ApiRequestAdmission =
  | { allowed: true; level: BucketLevel }
  | { allowed: false; level: BucketLevel; retryAfterMs: number };

export function apiBucketKey(tenantId: string): string {
  return `api-bucket#${tenantId}`;
}

const EXPIRES_AFTER_FULL_SECONDS = 60;
// Each failed condition tells the next update to try; only a concurrent request that moved the bucket
// across `now` between two of ours makes a third necessary.
const MAX_ATTEMPTS = 4;
const REMEMBERED_TENANTS = 10_000;

type TakeForm = 'drained' | 'full';

/** Each tenant's fullAtMs as this container last saw it: which update its next take tries first. */
const lastSeenFullAtMs = new Map<string, number>();

export async function takeApiRequest(
  db: ApiRequestBucketTable,
  tenantId: string,
  nowMs: number,
  config: Readonly<TokenBucketConfig>,
): Promise<ApiRequestAdmission> {
  const costMs = tokenRefillMs(config);
  const latestFullAtMs = nowMs + config.capacity * costMs - costMs;
  const expiresAt = Math.ceil((nowMs + config.capacity * costMs) / 1_000) + EXPIRES_AFTER_FULL_SECONDS;
  let form: TakeForm = (lastSeenFullAtMs.get(tenantId) ?? 0) > nowMs ? 'drained' : 'full';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const outcome = await tryTake(db, tenantId, form, { nowMs, costMs, latestFullAtMs, expiresAt });
    const current = 'admitted' in outcome ? outcome.admitted : outcome.current;
    remember(tenantId, current?.fullAtMs ?? 0);
    if ('admitted' in outcome) {
      return { allowed: true, level: bucketLevel(outcome.admitted, nowMs, config) };
    }
    if (current === undefined || current.fullAtMs <= nowMs) {
      form = 'full';
      continue;
    }
    if (current.fullAtMs <= latestFullAtMs) {
      form = 'drained';
      continue;
    }
    const refused = take(current, nowMs, config);
    if (refused.allowed || refused.reason !== 'insufficient_tokens') {
      throw new Error(`token bucket of tenant "${tenantId}" refused an update its own take would allow`);
    }
    return {
      allowed: false,
      level: { remaining: refused.remaining, resetMs: refused.resetMs },
      retryAfterMs: refused.retryAfterMs,
    };
  }
  throw new Error(
    `the API bucket of tenant "${tenantId}" moved across ${MAX_ATTEMPTS} attempts; the request was not admitted`,
  );
}

async function tryTake(
  db: ApiRequestBucketTable,
  tenantId: string,
  form: TakeForm,
  at: { nowMs: number; costMs: number; latestFullAtMs: number; expiresAt: number },
): Promise<{ admitted: TokenBucketState } | { current: TokenBucketState | undefined }> {
  const update =
    form === 'drained'
      ? {
          UpdateExpression: 'SET fullAtMs = fullAtMs + :costMs, tenantId = :tenantId, expiresAt = :expiresAt',
          ConditionExpression: 'fullAtMs > :now AND fullAtMs <= :latestFullAt',
          ExpressionAttributeValues: {
            ':costMs': at.costMs,
            ':now': at.nowMs,
            ':latestFullAt': at.latestFullAtMs,
            ':tenantId': tenantId,
            ':expiresAt': at.expiresAt,
          },
        }
      : {
          UpdateExpression: 'SET fullAtMs = :fullAt, tenantId = :tenantId, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(fullAtMs) OR fullAtMs <= :now',
          ExpressionAttributeValues: {
            ':fullAt': at.nowMs + at.costMs,
            ':now': at.nowMs,
            ':tenantId': tenantId,
            ':expiresAt': at.expiresAt,
          },
        };
  try {
    const { Attributes } = await db.client.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { key: apiBucketKey(tenantId) },
        ...update,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { admitted: { fullAtMs: Number(Attributes?.fullAtMs) } };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The document client unmarshalls results, not the item a failed condition returns: read the number.
    const fullAtMs = error.Item?.fullAtMs?.N;
    return { current: fullAtMs === undefined ? undefined : { fullAtMs: Number(fullAtMs) } };
  }
}

function remember(tenantId: string, fullAtMs: number): void {
  if (lastSeenFullAtMs.size >= REMEMBERED_TENANTS && !lastSeenFullAtMs.has(tenantId))
    lastSeenFullAtMs.clear();
  lastSeenFullAtMs.set(tenantId, fullAtMs);
}
