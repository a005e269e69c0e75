import { describe, expect, it } from 'vitest';
import { classifyRequest } from '../../../../sandbox/edge/classify-request.ts';

const jsonServices = ['AWSStepFunctions', 'AWSEvents'];

const request = (headers: Record<string, string>, path = '/', body = '') => ({
  path,
  headers,
  body: Buffer.from(body),
});

describe('classifyRequest', () => {
  it('routes JSON protocol calls by their X-Amz-Target prefix', () => {
    expect(classifyRequest(request({ 'x-amz-target': 'DynamoDB_20120810.PutItem' }), jsonServices)).toEqual({
      kind: 'dynamodb',
    });
    expect(classifyRequest(request({ 'x-amz-target': 'AmazonSQS.SendMessage' }), jsonServices)).toEqual({
      kind: 'sqs',
    });
    expect(
      classifyRequest(request({ 'x-amz-target': 'AWSStepFunctions.StartExecution' }), jsonServices),
    ).toEqual({
      kind: 'json-service',
      targetPrefix: 'AWSStepFunctions',
      operation: 'StartExecution',
    });
    expect(classifyRequest(request({ 'x-amz-target': 'AWSEvents.PutEvents' }), jsonServices)).toEqual({
      kind: 'json-service',
      targetPrefix: 'AWSEvents',
      operation: 'PutEvents',
    });
  });

  it('routes the Lambda REST API by its path', () => {
    expect(classifyRequest(request({}, '/2015-03-31/functions/fn/invocations'), jsonServices)).toEqual({
      kind: 'lambda-invoke',
    });
  });

  it('recognises SQS calls in the query protocol by their Action', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    expect(classifyRequest(request(form, '/', 'Action=SendMessage&QueueUrl=x'), jsonServices)).toEqual({
      kind: 'sqs-query',
      action: 'SendMessage',
    });
    expect(classifyRequest(request(form, '/', 'Action=Publish&TopicArn=x'), jsonServices)).toEqual({
      kind: 'unrecognised',
      reason: 'query-protocol Action "Publish" belongs to no service this sandbox serves',
    });
  });

  it('names what it does not recognise', () => {
    expect(classifyRequest(request({ 'x-amz-target': 'Kinesis_20131202.PutRecord' }), jsonServices)).toEqual({
      kind: 'unrecognised',
      reason: 'X-Amz-Target "Kinesis_20131202.PutRecord" names no service this sandbox serves',
    });
    expect(classifyRequest(request({}, '/2019-09-25/functions/x/url'), jsonServices)).toMatchObject({
      kind: 'unrecognised',
      reason: expect.stringContaining('/2019-09-25/functions/x/url has no X-Amz-Target'),
    });
  });
});
