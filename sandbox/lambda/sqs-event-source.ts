// An SQS event source mapping: pollers long-poll the queue through the edge, hand batches to the
// function as Lambda does, and delete what the function processed.
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  AwsServiceError,
  type LambdaRuntime,
  type SandboxEndpoints,
  type SqsEventSourceSpec,
} from '../contracts.ts';
import { readBatchResponse } from './sqs-batch-response.ts';
import { buildSqsEvent } from './sqs-lambda-event.ts';

export interface SqsEventSourceOptions {
  endpoints: SandboxEndpoints;
  lambda: Pick<LambdaRuntime, 'invoke'>;
  /** The function's reserved concurrency: pollers beyond it would only be throttled. */
  functionReservedConcurrency?: number;
  /** Where polling problems are reported; defaults to stderr. */
  log?: (line: string) => void;
}

/** Lambda starts five pollers for a standard queue before scaling with the backlog. */
const DEFAULT_POLLERS = 5;
/** SQS's longest long poll and largest receive. */
const MAX_WAIT_SECONDS = 20;
const MAX_MESSAGES_PER_RECEIVE = 10;
const MAX_BACKOFF_MS = 1_000;

export function startSqsEventSource(
  spec: SqsEventSourceSpec,
  options: SqsEventSourceOptions,
): { stop(): Promise<void> } {
  const sqs = new SQSClient({
    endpoint: options.endpoints.edgeUrl,
    region: options.endpoints.region,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stopping = new AbortController();
  const pollers = spec.enabled
    ? Math.min(
        spec.maximumConcurrency ?? DEFAULT_POLLERS,
        options.functionReservedConcurrency ?? Number.POSITIVE_INFINITY,
      )
    : 0;

  async function poll(): Promise<void> {
    let backoffMs = 0;
    while (!stopping.signal.aborted) {
      try {
        const batch = await collectBatch();
        if (batch.length > 0) await processBatch(batch);
        backoffMs = 0;
      } catch (error) {
        if (stopping.signal.aborted) return;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2 || 50);
        log(`[event source ${spec.logicalId}] ${(error as Error).message}; retrying in ${backoffMs} ms`);
        await sleep(backoffMs, stopping.signal);
      }
    }
  }

  /** Gathers up to batchSize messages, for at most the batching window once the first one arrives. */
  async function collectBatch(): Promise<Message[]> {
    const batch: Message[] = [];
    let windowEndsAt: number | undefined;
    while (batch.length < spec.batchSize) {
      const windowLeftMs = windowEndsAt === undefined ? undefined : windowEndsAt - Date.now();
      if (windowLeftMs !== undefined && windowLeftMs <= 0) break;
      const output = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: spec.queueUrl,
          MaxNumberOfMessages: Math.min(MAX_MESSAGES_PER_RECEIVE, spec.batchSize - batch.length),
          WaitTimeSeconds:
            windowLeftMs === undefined
              ? MAX_WAIT_SECONDS
              : Math.min(MAX_WAIT_SECONDS, Math.ceil(windowLeftMs / 1000)),
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: stopping.signal },
      );
      batch.push(...(output.Messages ?? []));
      if (windowEndsAt === undefined && batch.length > 0) {
        if (spec.maximumBatchingWindowSeconds === 0) break;
        windowEndsAt = Date.now() + spec.maximumBatchingWindowSeconds * 1000;
      }
    }
    return batch;
  }

  async function processBatch(batch: Message[]): Promise<void> {
    const result = await invokeUntilAccepted(JSON.stringify(buildSqsEvent(batch, spec.queueArn)));
    // A function error (or a stop while throttled) leaves the whole batch to reappear after the visibility timeout.
    if (result === undefined || result.functionError !== undefined) return;
    const ids = new Set(batch.map((message) => message.MessageId ?? ''));
    const outcome = readBatchResponse(result.payload, ids, spec.reportBatchItemFailures);
    if (outcome.failed === 'all') return;
    const failed = outcome.failed;
    await deleteMessages(batch.filter((message) => !failed.has(message.MessageId ?? '')));
  }

  /** Lambda keeps retrying a throttled batch rather than dropping it. */
  async function invokeUntilAccepted(
    payload: string,
  ): Promise<{ payload: string; functionError?: string } | undefined> {
    let backoffMs = 50;
    while (!stopping.signal.aborted) {
      try {
        return await options.lambda.invoke(spec.functionName, payload, 'RequestResponse');
      } catch (error) {
        if (!(error instanceof AwsServiceError) || error.code !== 'TooManyRequestsException') throw error;
        await sleep(backoffMs, stopping.signal);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      }
    }
    return undefined;
  }

  async function deleteMessages(messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += MAX_MESSAGES_PER_RECEIVE) {
      const chunk = messages.slice(start, start + MAX_MESSAGES_PER_RECEIVE);
      const output = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: spec.queueUrl,
          Entries: chunk.map((message, index) => ({ Id: `m${index}`, ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      for (const failure of output.Failed ?? []) {
        log(
          `[event source ${spec.logicalId}] could not delete a message: ${failure.Code} ${failure.Message}`,
        );
      }
    }
  }

  const running = Array.from({ length: pollers }, () => poll());
  return {
    async stop(): Promise<void> {
      stopping.abort();
      await Promise.all(running);
      sqs.destroy();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
