// One SQS batch through Powertools `batch`: each record handled on its own, the partial batch response for
// Lambda, and the records that failed each with its error, so the caller can schedule their retries
// (retry-later.ts) and log why. Shared by the event consumers and the webhook delivery worker.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LambdaContext } from '../observability/observed-handler.ts';

export interface SqsBatchOutcome {
  response: SQSBatchResponse;
  failures: { record: SQSRecord; error: Error }[];
}

export async function processSqsBatch(
  event: SQSEvent,
  context: LambdaContext,
  handleRecord: (record: SQSRecord, context: LambdaContext) => Promise<void>,
): Promise<SqsBatchOutcome> {
  const processor = new BatchProcessor(EventType.SQS);
  const response = await processPartialResponse(event, handleRecord, processor, {
    context: context as never,
    throwOnFullBatchFailure: false,
  });
  // The processor records each failure's message and error together, so the two lists pair by index.
  const failures = (processor.failureMessages as SQSRecord[]).map((record, index) => ({
    record,
    error: processor.errors[index]!,
  }));
  return { response, failures };
}
