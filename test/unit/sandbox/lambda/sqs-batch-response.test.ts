import { describe, expect, it } from 'vitest';
import { readBatchResponse } from '../../../../sandbox/lambda/sqs-batch-response.ts';
import { buildSqsEvent } from '../../../../sandbox/lambda/sqs-lambda-event.ts';

const ids = new Set(['a', 'b']);

describe('reading a partial batch response', () => {
  it('treats every successful invocation as full success without ReportBatchItemFailures', () => {
    expect(readBatchResponse('"anything"', ids, false)).toEqual({ failed: new Set() });
  });

  it.each([
    ['null', 'null'],
    ['an empty response', '{}'],
    ['a null list', '{"batchItemFailures":null}'],
    ['an empty list', '{"batchItemFailures":[]}'],
  ])('treats %s as full success', (_case, payload) => {
    expect(readBatchResponse(payload, ids, true)).toEqual({ failed: new Set() });
  });

  it('leaves exactly the reported items', () => {
    expect(readBatchResponse('{"batchItemFailures":[{"itemIdentifier":"b"}]}', ids, true)).toEqual({
      failed: new Set(['b']),
    });
  });

  it.each([
    ['a string', '"ok"'],
    ['an array', '[]'],
    ['a list that is not a list', '{"batchItemFailures":"a"}'],
    ['an empty identifier', '{"batchItemFailures":[{"itemIdentifier":""}]}'],
    ['a null identifier', '{"batchItemFailures":[{"itemIdentifier":null}]}'],
    ['a misspelt key', '{"batchItemFailures":[{"itemId":"a"}]}'],
    ['an identifier outside the batch', '{"batchItemFailures":[{"itemIdentifier":"z"}]}'],
  ])('fails the whole batch for %s', (_case, payload) => {
    expect(readBatchResponse(payload, ids, true)).toEqual({ failed: 'all' });
  });
});

describe('building the SQS event', () => {
  it('maps attributes to Lambda lower-camel fields, binary values as base64', () => {
    const event = buildSqsEvent(
      [
        {
          MessageId: 'm-1',
          ReceiptHandle: 'rh',
          Body: 'hi',
          MD5OfBody: 'md5',
          Attributes: { ApproximateReceiveCount: '1', MessageGroupId: 'g' },
          MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: Buffer.from('bytes') } },
          MD5OfMessageAttributes: 'md5attrs',
        },
      ],
      'arn:aws:sqs:eu-west-1:000000000000:orders.fifo',
    );
    expect(event).toEqual({
      Records: [
        {
          messageId: 'm-1',
          receiptHandle: 'rh',
          body: 'hi',
          attributes: { ApproximateReceiveCount: '1', MessageGroupId: 'g' },
          messageAttributes: {
            blob: { binaryValue: 'Ynl0ZXM=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
          },
          md5OfBody: 'md5',
          md5OfMessageAttributes: 'md5attrs',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:orders.fifo',
          awsRegion: 'eu-west-1',
        },
      ],
    });
  });
});
