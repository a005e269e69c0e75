import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../fixtures/sandbox-app/eventually.ts';
import { useFixtureSandbox } from '../../fixtures/sandbox-app/fixture-sandbox.ts';

const fixture = useFixtureSandbox();

describe('SQS event source with partial batch responses', () => {
  it('deletes processed records, redelivers the failed one and moves it to the DLQ after maxReceiveCount', async () => {
    const ids = ['a', 'b', 'c'].map((letter) => `${letter}-${Date.now()}`);
    await fixture.aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: fixture.outputs.WorkQueueUrl,
        Entries: [
          { Id: '0', MessageBody: JSON.stringify({ id: ids[0] }) },
          { Id: '1', MessageBody: JSON.stringify({ id: ids[1], fail: true }) },
          { Id: '2', MessageBody: JSON.stringify({ id: ids[2] }) },
        ],
      }),
    );

    for (const id of [ids[0], ids[2]]) {
      await eventually(async () => {
        const { Item } = await fixture.aws.dynamodb.send(
          new GetItemCommand({ TableName: fixture.outputs.TableName, Key: { pk: { S: `consumed#${id}` } } }),
        );
        return Item;
      });
    }

    const deadLetter = await eventually(async () => {
      const { Messages } = await fixture.aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: fixture.outputs.WorkDlqUrl,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      return Messages?.[0];
    }, 30_000);
    expect(JSON.parse(deadLetter.Body!)).toEqual({ id: ids[1], fail: true });
    // Received (and failed) twice on the work queue before SQS moved it; the DLQ receive is the third.
    expect(Number(deadLetter.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(2);

    const failedItem = await fixture.aws.dynamodb.send(
      new GetItemCommand({ TableName: fixture.outputs.TableName, Key: { pk: { S: `consumed#${ids[1]}` } } }),
    );
    expect(failedItem.Item).toBeUndefined();
  });
});
