import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaRuntime, SandboxEndpoints, SqsEventSourceSpec } from '../../../../sandbox/contracts.ts';
import { createLambdaRuntime } from '../../../../sandbox/lambda/runtime.ts';
import { startSqsEventSource } from '../../../../sandbox/lambda/sqs-event-source.ts';
import { fixturesDir, functionSpec } from '../../../fixtures/lambda-handlers/function-spec.ts';

interface RecordedRecord {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  [field: string]: unknown;
}

let fauxqs: FauxqsServer;
let endpoints: SandboxEndpoints;
let runtime: LambdaRuntime;
let workDir: string;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  endpoints = { edgeUrl: fauxqs.address, region: 'us-east-1' };
  runtime = createLambdaRuntime({ endpoints, log: () => {} });
  workDir = mkdtempSync(path.join(tmpdir(), 'sqs-event-source-'));
});

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

afterAll(async () => {
  await runtime.close();
  await fauxqs.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/**
 * A queue with a short visibility timeout whose redrive policy moves a message after two receives.
 * As AWS requires, the visibility timeout is not shorter than the consumer's timeout.
 */
function createQueueWithDlq(name: string): { queueUrl: string; queueArn: string; dlqName: string } {
  const dlq = fauxqs.createQueue(`${name}-dlq`);
  const queue = fauxqs.createQueue(name, {
    attributes: {
      VisibilityTimeout: '2',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 2 }),
    },
  });
  return { queueUrl: queue.queueUrl, queueArn: queue.queueArn, dlqName: `${name}-dlq` };
}

async function consume(name: string, reportBatchItemFailures: boolean) {
  const recordFile = path.join(workDir, `${name}.jsonl`);
  await runtime.deploy(
    functionSpec(`${name}-consumer`, 'sqs-batch.handler', {
      environment: { RECORD_FILE: recordFile },
      timeoutSeconds: 1,
    }),
  );
  const queue = createQueueWithDlq(name);
  const spec: SqsEventSourceSpec = {
    logicalId: `${name}Mapping`,
    functionName: `${name}-consumer`,
    queueArn: queue.queueArn,
    queueUrl: queue.queueUrl,
    batchSize: 10,
    maximumBatchingWindowSeconds: 0,
    reportBatchItemFailures,
    maximumConcurrency: 2,
    enabled: true,
  };
  const records = (): RecordedRecord[] =>
    existsSync(recordFile)
      ? readFileSync(recordFile, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as RecordedRecord)
      : [];
  return { queue, spec, records };
}

function start(spec: SqsEventSourceSpec): void {
  const mapping = startSqsEventSource(spec, { endpoints, lambda: runtime });
  stops.push(() => mapping.stop());
}

function dlqBodies(dlqName: string): string[] {
  const inspected = fauxqs.inspectQueue(dlqName);
  return (inspected?.messages.ready ?? []).map((message) => message.body);
}

describe('SQS event source mapping against fauxqs', () => {
  it('deletes the records that succeeded and lets a reported failure go to the DLQ after maxReceiveCount', async () => {
    const { queue, spec, records } = await consume('partial', true);
    fauxqs.sendMessage('partial', 'ok-1', {
      messageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } },
    });
    fauxqs.sendMessage('partial', 'fail');
    fauxqs.sendMessage('partial', 'ok-2');
    start(spec);

    await expect.poll(() => dlqBodies(queue.dlqName), { timeout: 15_000, interval: 100 }).toEqual(['fail']);
    const received = records();
    expect(received.filter((record) => record.body === 'ok-1')).toHaveLength(1);
    expect(received.filter((record) => record.body === 'ok-2')).toHaveLength(1);
    expect(
      received
        .filter((record) => record.body === 'fail')
        .map((record) => record.attributes.ApproximateReceiveCount),
    ).toEqual(['1', '2']);
    const main = fauxqs.inspectQueue('partial');
    expect(main?.messages.ready).toHaveLength(0);
    expect(main?.messages.inflight).toHaveLength(0);

    const first = received.find((record) => record.body === 'ok-1')!;
    expect(Object.keys(first).sort()).toEqual(
      [
        'attributes',
        'awsRegion',
        'body',
        'eventSource',
        'eventSourceARN',
        'md5OfBody',
        'md5OfMessageAttributes',
        'messageAttributes',
        'messageId',
        'receiptHandle',
      ].sort(),
    );
    expect(first).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.queueArn,
      awsRegion: 'us-east-1',
      messageAttributes: {
        tenant: { stringValue: 'acme', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
    });
    expect(first.attributes).toMatchObject({ ApproximateReceiveCount: '1' });
    for (const attribute of ['SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']) {
      expect(first.attributes[attribute]).toEqual(expect.any(String));
    }
    expect(first.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
  });

  it('deletes nothing when the function fails, so the whole batch is retried then dead-lettered', async () => {
    const { queue, spec, records } = await consume('failing', false);
    fauxqs.sendMessage('failing', 'throw');
    fauxqs.sendMessage('failing', 'innocent');
    start(spec);

    await expect
      .poll(() => dlqBodies(queue.dlqName).sort(), { timeout: 15_000, interval: 100 })
      .toEqual(['innocent', 'throw']);
    expect(records().filter((record) => record.body === 'innocent')).toHaveLength(2);
  });

  it('stops promptly while a long poll is waiting', async () => {
    const { spec } = await consume('idle', true);
    const mapping = startSqsEventSource(spec, { endpoints, lambda: runtime });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = Date.now();
    await mapping.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
  });
});

describe('a handler outside the project tree importing the unbundled SDK', () => {
  it('reaches the sandbox through AWS_ENDPOINT_URL', async () => {
    const codeDir = mkdtempSync(path.join(tmpdir(), 'lambda-sdk-code-'));
    cpSync(path.join(fixturesDir, 'uses-sdk.mjs'), path.join(codeDir, 'index.mjs'));
    const queue = fauxqs.createQueue('looked-up');
    await runtime.deploy(functionSpec('sdk-esm', 'index.handler', { codeDir }));
    const result = await runtime.invoke('sdk-esm', JSON.stringify({ queueName: 'looked-up' }));
    rmSync(codeDir, { recursive: true, force: true });
    expect(result.functionError).toBeUndefined();
    expect(JSON.parse(result.payload)).toEqual({ queueUrl: queue.queueUrl });
  });
});
