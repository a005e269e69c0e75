import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../../sandbox/index.ts';
import { eventually } from '../../fixtures/sandbox-app/eventually.ts';
import { type SandboxClients, sandboxClients } from '../../fixtures/sandbox-app/sandbox-clients.ts';
import { synthesizedFixtureAssembly } from '../../fixtures/sandbox-app/synthesized-fixture.ts';

let sandbox: RunningSandbox;
let aws: SandboxClients;
let outputs: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({
    assembly: synthesizedFixtureAssembly(),
    edgePort: 0,
    apiPort: 0,
    quiet: true,
  });
  aws = sandboxClients(sandbox.edgeUrl);
  outputs = sandbox.outputs.SandboxFixture as Record<string, string>;
});

afterAll(async () => {
  aws?.destroy();
  await sandbox?.stop();
});

describe('SQS event source with partial batch responses', () => {
  it('deletes processed records, redelivers the failed one and moves it to the DLQ after maxReceiveCount', async () => {
    const ids = ['a', 'b', 'c'].map((letter) => `${letter}-${Date.now()}`);
    await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: outputs.WorkQueueUrl,
        Entries: [
          { Id: '0', MessageBody: JSON.stringify({ id: ids[0] }) },
          { Id: '1', MessageBody: JSON.stringify({ id: ids[1], fail: true }) },
          { Id: '2', MessageBody: JSON.stringify({ id: ids[2] }) },
        ],
      }),
    );

    for (const id of [ids[0], ids[2]]) {
      await eventually(async () => {
        const { Item } = await aws.dynamodb.send(
          new GetItemCommand({ TableName: outputs.TableName, Key: { pk: { S: `consumed#${id}` } } }),
        );
        return Item;
      });
    }

    const deadLetter = await eventually(async () => {
      const { Messages } = await aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: outputs.WorkDlqUrl,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      return Messages?.[0];
    }, 30_000);
    expect(JSON.parse(deadLetter.Body!)).toEqual({ id: ids[1], fail: true });
    // Received (and failed) twice on the work queue before SQS moved it; the DLQ receive is the third.
    expect(Number(deadLetter.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(2);

    const failedItem = await aws.dynamodb.send(
      new GetItemCommand({ TableName: outputs.TableName, Key: { pk: { S: `consumed#${ids[1]}` } } }),
    );
    expect(failedItem.Item).toBeUndefined();
  });
});
