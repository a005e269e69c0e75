import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS_CALLER,
  callerOf,
  createRequestCounter,
  requestCountKey,
} from '../../../../sandbox/edge/request-counter.ts';

describe('requestCountKey', () => {
  it('names the service as the SDK does and the operation from X-Amz-Target', () => {
    expect(requestCountKey({ kind: 'dynamodb' }, 'DynamoDB_20120810.BatchGetItem')).toBe(
      'DynamoDB.BatchGetItem',
    );
    expect(requestCountKey({ kind: 'sqs' }, 'AmazonSQS.SendMessage')).toBe('SQS.SendMessage');
    expect(
      requestCountKey(
        { kind: 'json-service', targetPrefix: 'AWSStepFunctions', operation: 'StartExecution' },
        'AWSStepFunctions.StartExecution',
      ),
    ).toBe('StepFunctions.StartExecution');
    expect(
      requestCountKey(
        { kind: 'json-service', targetPrefix: 'AWSEvents', operation: 'PutEvents' },
        'AWSEvents.PutEvents',
      ),
    ).toBe('EventBridge.PutEvents');
    expect(requestCountKey({ kind: 'lambda-invoke' }, undefined)).toBe('Lambda.Invoke');
  });

  it('does not count requests the edge refuses itself', () => {
    expect(requestCountKey({ kind: 'sqs-query', action: 'ListQueues' }, undefined)).toBeUndefined();
    expect(requestCountKey({ kind: 'unrecognised', reason: 'no target' }, undefined)).toBeUndefined();
  });
});

describe('createRequestCounter', () => {
  it('counts by key, hands out copies and starts over on reset', () => {
    const counter = createRequestCounter();
    counter.record('DynamoDB.GetItem');
    counter.record('DynamoDB.GetItem');
    counter.record('Lambda.Invoke');
    const counts = counter.counts();
    expect(counts).toEqual({ 'DynamoDB.GetItem': 2, 'Lambda.Invoke': 1 });
    counter.record('DynamoDB.GetItem');
    expect(counts['DynamoDB.GetItem']).toBe(2);
    counter.reset();
    expect(counter.counts()).toEqual({});
  });
});

describe('callerOf', () => {
  const authorization =
    'AWS4-HMAC-SHA256 Credential=sandbox/20261205/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';
  it('names the session token a request was signed with: a sandboxed function signs with its name', () => {
    expect(callerOf({ authorization, 'x-amz-security-token': 'trustgate-dev-Stateless-Gate-ABC' })).toBe(
      'trustgate-dev-Stateless-Gate-ABC',
    );
  });
  it('falls back to the access key id of the SigV4 Authorization header, else nobody', () => {
    expect(callerOf({ authorization })).toBe('sandbox');
    expect(callerOf({ authorization, 'x-amz-security-token': '' })).toBe('sandbox');
    expect(callerOf({})).toBeUndefined();
    expect(callerOf({ authorization: 'Bearer token' })).toBeUndefined();
  });
});

describe('counts by caller', () => {
  it('splits the same counts by who signed the request, unsigned ones as anonymous', () => {
    const counter = createRequestCounter();
    counter.record('DynamoDB.GetItem', 'gate');
    counter.record('DynamoDB.GetItem', 'gate');
    counter.record('DynamoDB.GetItem', 'audit-logger');
    counter.record('SQS.SendMessage');
    expect(counter.counts()).toEqual({ 'DynamoDB.GetItem': 3, 'SQS.SendMessage': 1 });
    expect(counter.countsByCaller()).toEqual({
      gate: { 'DynamoDB.GetItem': 2 },
      'audit-logger': { 'DynamoDB.GetItem': 1 },
      [ANONYMOUS_CALLER]: { 'SQS.SendMessage': 1 },
    });
    counter.reset();
    expect(counter.countsByCaller()).toEqual({});
  });
});
