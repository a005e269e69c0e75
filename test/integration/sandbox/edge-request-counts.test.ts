import { GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { useFixtureSandbox } from '../../fixtures/sandbox-app/fixture-sandbox.ts';

const fixture = useFixtureSandbox();

describe('the edge request counter', () => {
  it('counts the requests SDK clients send through the edge, by service and operation', async () => {
    fixture.sandbox.resetRequestCounts();
    await fixture.aws.dynamodb.send(new ListTablesCommand({}));
    await fixture.aws.dynamodb.send(
      new GetItemCommand({ TableName: fixture.outputs.TableName, Key: { pk: { S: 'absent' } } }),
    );
    await fixture.aws.dynamodb.send(
      new GetItemCommand({ TableName: fixture.outputs.TableName, Key: { pk: { S: 'absent' } } }),
    );
    await fixture.aws.sfn.send(new ListStateMachinesCommand({}));
    await fixture.aws.lambda.send(
      new InvokeCommand({ FunctionName: fixture.outputs.NoopFunctionName, Payload: Buffer.from('{}') }),
    );
    await fetch(fixture.sandbox.edgeUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Kinesis_20131202.ListStreams',
      },
      body: '{}',
    });
    expect(fixture.sandbox.requestCounts()).toEqual({
      'DynamoDB.ListTables': 1,
      'DynamoDB.GetItem': 2,
      'StepFunctions.ListStateMachines': 1,
      'Lambda.Invoke': 1,
    });
    // Signed with the test clients' access key id; the Kinesis call reached no service and is not counted.
    expect(fixture.sandbox.requestCountsByCaller()).toEqual({
      test: {
        'DynamoDB.ListTables': 1,
        'DynamoDB.GetItem': 2,
        'StepFunctions.ListStateMachines': 1,
        'Lambda.Invoke': 1,
      },
    });
    fixture.sandbox.resetRequestCounts();
    expect(fixture.sandbox.requestCounts()).toEqual({});
    expect(fixture.sandbox.requestCountsByCaller()).toEqual({});
  });
});
