import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../../sandbox/contracts.ts';
import { jsonErrorResponse, queryErrorResponse } from '../../../../sandbox/edge/aws-error-response.ts';

describe('jsonErrorResponse', () => {
  it('carries the code in __type and x-amzn-ErrorType with the service status', () => {
    const response = jsonErrorResponse(
      new AwsServiceError('ExecutionDoesNotExist', 'Execution does not exist: arn', 400),
      'application/x-amz-json-1.0',
    );
    expect(response).toEqual({
      statusCode: 400,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ExecutionDoesNotExist' },
      body: JSON.stringify({ __type: 'ExecutionDoesNotExist', message: 'Execution does not exist: arn' }),
    });
  });

  it('reports unexpected failures as a 500 InternalFailure', () => {
    const response = jsonErrorResponse(new TypeError('boom'), 'application/x-amz-json-1.1');
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ __type: 'InternalFailure', message: 'boom' });
  });
});

describe('queryErrorResponse', () => {
  it('answers in the XML the query protocol expects, escaping the message', () => {
    const response = queryErrorResponse('InvalidAction', 'use <JSON> & retry');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      '<Code>InvalidAction</Code><Message>use &lt;JSON&gt; &amp; retry</Message>',
    );
  });
});
