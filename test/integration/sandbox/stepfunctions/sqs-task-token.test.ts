import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StepFunctionsService } from '../../../../sandbox/stepfunctions/service.ts';
import {
  createService,
  createStateMachine,
  inProcessLambda,
  REGION,
  runExecution,
} from '../../../unit/sandbox/stepfunctions/in-process-lambda.ts';

let fauxqs: FauxqsServer;
let sqs: SQSClient;
let service: StepFunctionsService;

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: REGION });
  sqs = new SQSClient({
    endpoint: fauxqs.address,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  sqs.destroy();
  await fauxqs.stop();
});
afterEach(async () => {
  await service.close();
});

async function createQueue(name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return QueueUrl as string;
}

describe('sqs:sendMessage through the edge (fauxqs)', () => {
  it('sends the MessageBody object as JSON and returns the SendMessage response', async () => {
    service = createService(inProcessLambda({}), fauxqs.address);
    const queueUrl = await createQueue('orders');
    const arn = await createStateMachine(service, 'send', {
      StartAt: 'Send',
      States: {
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: queueUrl, MessageBody: { 'orderId.$': '$.orderId' } },
          End: true,
        },
      },
    });

    const execution = await runExecution(service, arn, { orderId: 'o-1' });

    const output = JSON.parse(execution.output as string);
    expect(output).toMatchObject({
      MessageId: expect.any(String),
      MD5OfMessageBody: expect.any(String),
      SdkHttpMetadata: { HttpStatusCode: 200 },
    });
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }),
    );
    expect(Messages?.map((message) => message.Body)).toEqual(['{"orderId":"o-1"}']);
  });

  it('waits for the token a queue consumer answers with SendTaskSuccess', async () => {
    service = createService(inProcessLambda({}), fauxqs.address);
    const queueUrl = await createQueue('approvals');
    const arn = await createStateMachine(service, 'callback', {
      StartAt: 'AskApproval',
      States: {
        AskApproval: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: {
            QueueUrl: queueUrl,
            MessageBody: { 'taskToken.$': '$$.Task.Token', 'request.$': '$' },
          },
          ResultPath: '$.approval',
          TimeoutSeconds: 20,
          End: true,
        },
      },
    });
    const { executionArn } = (await service.handle('StartExecution', {
      stateMachineArn: arn,
      input: JSON.stringify({ amount: 42 }),
    })) as { executionArn: string };

    // The consumer side: what an approval worker does with the message.
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10 }),
    );
    const message = Messages?.[0];
    const body = JSON.parse(message?.Body ?? '{}') as { taskToken: string; request: unknown };
    expect(body.request).toEqual({ amount: 42 });
    await service.handle('SendTaskSuccess', {
      taskToken: body.taskToken,
      output: JSON.stringify({ approved: true }),
    });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message?.ReceiptHandle }));

    const execution = await service.waitForExecution(executionArn);
    expect(JSON.parse(execution.output as string)).toEqual({ amount: 42, approval: { approved: true } });
    const history = (await service.handle('GetExecutionHistory', { executionArn })) as {
      events: { type: string }[];
    };
    expect(history.events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('fails the task with the SQS error as Step Functions names it', async () => {
    service = createService(inProcessLambda({}), fauxqs.address);
    const arn = await createStateMachine(service, 'missing-queue', {
      StartAt: 'Send',
      States: {
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: `${fauxqs.address}/000000000000/does-not-exist`, MessageBody: 'x' },
          End: true,
        },
      },
    });

    const execution = await runExecution(service, arn, {});

    expect(execution).toMatchObject({ status: 'FAILED', error: 'SQS.QueueDoesNotExistException' });
  });
});
