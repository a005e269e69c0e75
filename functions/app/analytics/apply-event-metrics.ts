// The analytics consumer's effect: one event's metric updates (core/analytics/metric-updates.ts) as one
// TransactWriteItems — an ADD per series plus the event's `#applied` marker, put only if absent. Either all
// of it happens or none; a second delivery of the same event (even one the idempotency layer did not catch,
// because the consumer crashed after the transaction) is cancelled by the marker alone and is reported as
// already applied, never counted twice.
//
// Many events update the same series (every event of a tenant adds to trustgate_events_total{tenant,type}),
// and transactions touching one item at the same moment cancel each other with TransactionConflict. Those are
// retried here with jittered backoff; after MAX_ATTEMPTS the error propagates and SQS redelivers the event.
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type MetricUpdate, metricUpdatesFor } from '../../core/analytics/metric-updates.ts';
import type { TrustgateEvent } from '../../core/events/event-envelope.ts';
import { itemCancellation } from '../gate/transaction-cancellation.ts';
import { APPLIED_MARKER_METRIC, APPLIED_MARKER_TTL_SECONDS } from './analytics-items.ts';

export interface AnalyticsDependencies {
  client: DynamoDBDocumentClient;
  analyticsTable: string;
  clock: () => number;
  /** Waits between conflict retries; tests may shorten it. */
  sleep?: (ms: number) => Promise<void>;
}

export type ApplyOutcome = 'applied' | 'already_applied';

const MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 10;
const MARKER_INDEX = 0;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export async function applyEventMetrics(
  deps: AnalyticsDependencies,
  event: TrustgateEvent,
): Promise<ApplyOutcome> {
  const updates = metricUpdatesFor(event);
  const items = [
    markerPut(deps, event),
    ...updates.map((update) => seriesUpdate(deps.analyticsTable, update)),
  ];
  const sleep = deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.client.send(new TransactWriteCommand({ TransactItems: items }));
      return 'applied';
    } catch (error) {
      const marker = itemCancellation(error, MARKER_INDEX);
      if (marker === 'condition_failed') return 'already_applied';
      const conflicted = items.some((_, index) => itemCancellation(error, index) === 'conflict');
      if (!conflicted || attempt >= MAX_ATTEMPTS) throw error;
      // Full jitter: concurrent writers of a hot series spread out instead of colliding again.
      await sleep(Math.random() * BASE_BACKOFF_MS * 2 ** attempt);
    }
  }
}

function markerPut(deps: AnalyticsDependencies, event: TrustgateEvent): TransactItem {
  return {
    Put: {
      TableName: deps.analyticsTable,
      Item: {
        metric: APPLIED_MARKER_METRIC,
        series: event.eventId,
        eventType: event.type,
        // When the event was counted: the producer → consumer latency of the events benchmark.
        appliedAt: new Date(deps.clock()).toISOString(),
        expiresAt: Math.floor(deps.clock() / 1000) + APPLIED_MARKER_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(metric)',
    },
  };
}

function seriesUpdate(table: string, update: MetricUpdate): TransactItem {
  const key = { metric: update.metric, series: update.series };
  if (update.kind === 'counter') {
    return {
      Update: {
        TableName: table,
        Key: key,
        UpdateExpression: 'SET #labels = :labels ADD #value :amount',
        ExpressionAttributeNames: { '#labels': 'labels', '#value': 'value' },
        ExpressionAttributeValues: { ':labels': update.labels, ':amount': update.amount },
      },
    };
  }
  return {
    Update: {
      TableName: table,
      Key: key,
      UpdateExpression: 'SET #labels = :labels ADD #count :one, #sum :value, #bucket :one',
      ExpressionAttributeNames: {
        '#labels': 'labels',
        '#count': 'count',
        '#sum': 'sum',
        '#bucket': update.bucket,
      },
      ExpressionAttributeValues: { ':labels': update.labels, ':one': 1, ':value': update.value },
    },
  };
}
