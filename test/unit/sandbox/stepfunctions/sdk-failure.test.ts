import { ConditionalCheckFailedException, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { QueueDoesNotExist, SQSServiceException } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { sdkFailure } from '../../../../sandbox/stepfunctions/integrations/sdk-failure.ts';

const DYNAMODB = {
  prefix: 'DynamoDB',
  javaServiceName: 'AmazonDynamoDBv2',
  genericException: 'AmazonDynamoDBException',
  serviceExceptionClass: DynamoDBServiceException,
};
const metadata = { $metadata: { httpStatusCode: 400 } };

describe('sdkFailure', () => {
  it('names a modelled error <Prefix>.<Exception>, with a Java-SDK style cause', () => {
    const failure = sdkFailure(
      new ConditionalCheckFailedException({ message: 'The conditional request failed', ...metadata }),
      DYNAMODB,
    );

    expect(failure.name).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(failure.message).toMatch(
      /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: .+; Proxy: null\)$/,
    );
  });

  it('appends Exception to modelled names without it, as the Java SDK classes do', () => {
    const failure = sdkFailure(new QueueDoesNotExist({ message: 'no such queue', ...metadata }), {
      prefix: 'SQS',
      javaServiceName: 'AmazonSQS',
      genericException: 'AmazonSQSException',
      serviceExceptionClass: SQSServiceException,
    });

    expect(failure.name).toBe('SQS.QueueDoesNotExistException');
  });

  it("names an unmodelled error the service's generic exception", () => {
    const unmodelled = new DynamoDBServiceException({
      name: 'ValidationException',
      $fault: 'client',
      message: 'One or more parameter values were invalid',
      ...metadata,
    });

    const failure = sdkFailure(unmodelled, DYNAMODB);

    expect(failure.name).toBe('DynamoDB.AmazonDynamoDBException');
    expect(failure.message).toContain('Error Code: ValidationException');
  });

  it('names a transport failure <Prefix>.SdkClientException', () => {
    expect(sdkFailure(new Error('connect ECONNREFUSED'), DYNAMODB).name).toBe('DynamoDB.SdkClientException');
  });
});
