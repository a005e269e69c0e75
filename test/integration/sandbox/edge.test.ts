import {
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { FIXTURE_BUS_NAME, FIXTURE_REGION } from '../../fixtures/sandbox-app/app.ts';
import { useFixtureSandbox } from '../../fixtures/sandbox-app/fixture-sandbox.ts';

const fixture = useFixtureSandbox();

describe('DynamoDB through the edge', () => {
  it('created the table from the template with its GSI and TTL', async () => {
    const { Table } = await fixture.aws.dynamodb.send(
      new DescribeTableCommand({ TableName: fixture.outputs.TableName }),
    );
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byType']);
    const ttl = await fixture.aws.dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: fixture.outputs.TableName }),
    );
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
  });

  it('creates, reads, updates, queries by index and deletes an item', async () => {
    const TableName = fixture.outputs.TableName;
    const Key = { pk: { S: 'crud#1' } };
    await fixture.aws.dynamodb.send(
      new PutItemCommand({ TableName, Item: { ...Key, type: { S: 'crud' }, count: { N: '1' } } }),
    );
    await expect(
      fixture.aws.dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: { ...Key, type: { S: 'crud' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await fixture.aws.dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'ADD #c :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    expect((await fixture.aws.dynamodb.send(new GetItemCommand({ TableName, Key }))).Item?.count).toEqual({
      N: '2',
    });
    const byType = await fixture.aws.dynamodb.send(
      new QueryCommand({
        TableName,
        IndexName: 'byType',
        KeyConditionExpression: '#t = :t',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':t': { S: 'crud' } },
      }),
    );
    expect(byType.Items?.map((item) => item.pk?.S)).toEqual(['crud#1']);
    await fixture.aws.dynamodb.send(new DeleteItemCommand({ TableName, Key }));
    expect((await fixture.aws.dynamodb.send(new GetItemCommand({ TableName, Key }))).Item).toBeUndefined();
  });
});

describe('SQS through the edge', () => {
  it('hands out queue URLs at the edge and moves messages', async () => {
    const queueName = fixture.outputs.OrderEventsUrl!.split('/').at(-1)!;
    const { QueueUrl } = await fixture.aws.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    expect(QueueUrl).toBe(`${fixture.sandbox.edgeUrl}/000000000000/${queueName}`);
    await fixture.aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'through the edge' }));
    const { Messages } = await fixture.aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }),
    );
    expect(Messages?.[0]?.Body).toBe('through the edge');
    await fixture.aws.sqs.send(
      new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle! }),
    );
  });

  it('created the work queue with its redrive policy', async () => {
    const { Attributes } = await fixture.aws.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: fixture.outputs.WorkQueueUrl,
        AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'],
      }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('2');
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toMatchObject({ maxReceiveCount: 2 });
  });

  it('refuses the SQS query protocol with a clear error', async () => {
    const response = await fetch(fixture.sandbox.edgeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListQueues&Version=2012-11-05',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('SQS ListQueues arrived in the query protocol');
  });
});

describe('Lambda Invoke through the edge', () => {
  it('invokes a deployed function with the SDK', async () => {
    const result = await fixture.aws.lambda.send(
      new InvokeCommand({ FunctionName: fixture.outputs.NoopFunctionName, Payload: Buffer.from('{}') }),
    );
    expect(result.StatusCode).toBe(200);
    expect(Buffer.from(result.Payload!).toString()).toBe('{}');
  });
});

describe('AWS_ENDPOINT_URL', () => {
  it('sends every SDK v3 client configured only by the environment to the edge', async () => {
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = fixture.sandbox.edgeUrl;
    const config = { region: FIXTURE_REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const clients = {
      dynamodb: new DynamoDBClient(config),
      sqs: new SQSClient(config),
      sfn: new SFNClient(config),
      eventBridge: new EventBridgeClient(config),
      lambda: new LambdaClient(config),
    };
    try {
      const [tables, queues, machines, buses, functions] = await Promise.all([
        clients.dynamodb.send(new ListTablesCommand({})),
        clients.sqs.send(new ListQueuesCommand({})),
        clients.sfn.send(new ListStateMachinesCommand({})),
        clients.eventBridge.send(new ListEventBusesCommand({})),
        clients.lambda.send(
          new InvokeCommand({ FunctionName: fixture.outputs.NoopFunctionName, Payload: Buffer.from('{}') }),
        ),
      ]);
      expect(tables.TableNames).toContain(fixture.outputs.TableName);
      expect(queues.QueueUrls).toContain(fixture.outputs.WorkQueueUrl);
      expect(machines.stateMachines?.map((machine) => machine.stateMachineArn)).toContain(
        fixture.outputs.PipelineArn,
      );
      expect(buses.EventBuses?.map((bus) => bus.Name)).toContain(FIXTURE_BUS_NAME);
      expect(functions.StatusCode).toBe(200);
    } finally {
      for (const client of Object.values(clients)) client.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    }
  });
});

describe('requests the edge does not recognise', () => {
  it('answers 400 naming the unknown target', async () => {
    const response = await fetch(fixture.sandbox.edgeUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Kinesis_20131202.ListStreams',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    expect(((await response.json()) as { message: string }).message).toContain(
      'Kinesis_20131202.ListStreams',
    );
  });
});
