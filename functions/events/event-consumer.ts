// The Lambda side of every event consumer (SPEC §5: trust calculator, webhook dispatcher, analytics, audit
// logger, alert service): an SQS queue fed by an EventBridge rule, read in batches.
//
//   1. Powertools `batch` processes each record on its own and answers with the partial batch response, so
//      one bad record never makes the good ones run again.
//   2. Powertools `idempotency` (DynamoDB) keys each record on the event's `eventId`, per consumer: an event
//      delivered twice (SQS at-least-once, a redrive, a producer's retry) is processed once.
//   3. A record that fails is retried with backoff (retry-later.ts) until the queue's maxReceiveCount moves
//      it to the DLQ; `npm run events -- redrive <consumer>` puts it back once the cause is fixed.
//   4. A record that can never succeed — not an event of the catalog, or data off its schema — goes to the
//      DLQ at once, with the field at fault, instead of being retried or dropped.
//
// Consumers must still make their own effect atomic with its record of the event (a conditional write, a
// marker in the same transaction): the idempotency record is written after the effect, so a crash in
// between delivers the event again.
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type BusEvent, MalformedEventError, parseBusEvent } from '../core/events/event-envelope.ts';
import { requiredEnvironment } from '../data/required-environment.ts';
import {
  type LambdaContext,
  type LambdaHandler,
  observedHandler,
} from '../observability/observed-handler.ts';
import { logger, metrics, tracer } from '../observability/powertools.ts';
import { exponentialRetryDelay, type RetryDelay, retryLater } from './retry-later.ts';
import { processSqsBatch } from './sqs-batch.ts';

/** Idempotency records outlive the DLQ's 14-day retention, so a redriven event is still recognised. */
export const IDEMPOTENCY_EXPIRY_SECONDS = 15 * 24 * 3600;

export interface EventConsumerDependencies {
  /** Names the consumer in idempotency keys, logs and metrics (`audit-logger`). */
  consumer: string;
  process: (event: BusEvent, context: LambdaContext) => Promise<void>;
  sqs: Pick<SQSClient, 'send'>;
  persistenceStore: BasePersistenceLayer;
  queueUrl: string;
  deadLetterQueueUrl: string;
  retryDelay: RetryDelay;
}

export type SqsBatchHandler = (event: SQSEvent, context: LambdaContext) => Promise<SQSBatchResponse>;

export function createEventConsumer(deps: EventConsumerDependencies): SqsBatchHandler {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'detail.eventId',
    expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
  });
  const processOnce = makeIdempotent(
    async (event: BusEvent, context: LambdaContext) => {
      await deps.process(event, context);
      return { eventId: event.detail.eventId };
    },
    { persistenceStore: deps.persistenceStore, config, keyPrefix: `trustgate.${deps.consumer}` },
  );

  async function handleRecord(record: SQSRecord, context: LambdaContext): Promise<void> {
    let event: BusEvent;
    try {
      event = parseBusEvent(record.body);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      await deadLetter(record, error);
      return;
    }
    await processOnce(event, context);
  }

  async function deadLetter(record: SQSRecord, error: MalformedEventError): Promise<void> {
    await deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.deadLetterQueueUrl,
        MessageBody: record.body,
        MessageAttributes: {
          ERROR_CODE: { DataType: 'String', StringValue: 'MalformedEvent' },
          ERROR_FIELD: { DataType: 'String', StringValue: error.field },
          ERROR_MESSAGE: { DataType: 'String', StringValue: error.message.slice(0, 1024) },
          CONSUMER: { DataType: 'String', StringValue: deps.consumer },
        },
      }),
    );
    metrics.addMetric('EventsMalformed', MetricUnit.Count, 1);
    logger.warn('malformed event sent to the dead-letter queue', {
      consumer: deps.consumer,
      messageId: record.messageId,
      field: error.field,
      reason: error.message,
    });
  }

  return async (event, context) => {
    config.registerLambdaContext(context as never);
    const { response, failures } = await processSqsBatch(event, context, handleRecord);
    if (failures.length > 0) {
      await retryLater(
        deps.sqs,
        deps.queueUrl,
        failures.map((failure) => failure.record),
        deps.retryDelay,
      );
      for (const { record, error } of failures) {
        logger.warn('event processing failed; retried with backoff', {
          consumer: deps.consumer,
          messageId: record.messageId,
          error,
        });
      }
    }
    metrics.addDimensions({ consumer: deps.consumer });
    metrics.addMetric('EventsConsumed', MetricUnit.Count, event.Records.length - failures.length);
    if (failures.length > 0) metrics.addMetric('EventsFailed', MetricUnit.Count, failures.length);
    return response;
  };
}

/**
 * The handler of a deployed consumer, configured from the environment the stack sets:
 * IDEMPOTENCY_TABLE, CONSUMER_QUEUE_URL, CONSUMER_DLQ_URL and CONSUMER_RETRY_BASE_SECONDS (default 2:
 * retries after 2, 4, 8, 16 s, then the DLQ at the fifth receive).
 */
export function eventConsumerHandler(options: {
  consumer: string;
  process: EventConsumerDependencies['process'];
}): LambdaHandler<SQSEvent, SQSBatchResponse> {
  const sqs = tracer.captureAWSv3Client(new SQSClient({}));
  const handler = createEventConsumer({
    ...options,
    sqs,
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: requiredEnvironment('IDEMPOTENCY_TABLE'),
      awsSdkV3Client: tracer.captureAWSv3Client(new DynamoDBClient({})),
    }),
    queueUrl: requiredEnvironment('CONSUMER_QUEUE_URL'),
    deadLetterQueueUrl: requiredEnvironment('CONSUMER_DLQ_URL'),
    retryDelay: exponentialRetryDelay(Number(process.env.CONSUMER_RETRY_BASE_SECONDS ?? '2')),
  });
  return observedHandler(handler);
}
