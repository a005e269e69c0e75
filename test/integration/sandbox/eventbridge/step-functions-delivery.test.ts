// EventBridge → Step Functions delivery: the service calls StartExecution through the AWS SDK at the
// edge. A stand-in edge records the JSON-protocol requests it receives.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createEventBridgeService,
  type EventBridgeService,
} from '../../../../sandbox/eventbridge/service.ts';

const region = 'eu-west-1';
const stateMachineArn = `arn:aws:states:${region}:000000000000:stateMachine:approvals`;
const requests: { target: string | undefined; body: Record<string, unknown> }[] = [];
let edge: Server;
let service: EventBridgeService;

beforeAll(async () => {
  edge = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        target: req.headers['x-amz-target'] as string | undefined,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          executionArn: `${stateMachineArn.replace('stateMachine', 'execution')}:1`,
          startDate: 0,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => edge.listen(0, '127.0.0.1', resolve));
  const { port } = edge.address() as AddressInfo;
  service = createEventBridgeService({
    endpoints: { edgeUrl: `http://127.0.0.1:${port}`, region },
    lambda: {
      invoke: async () => {
        throw new Error('no Lambda target in this test');
      },
    },
    log: () => {},
  });
});

afterAll(async () => {
  await service?.close();
  await new Promise((resolve) => edge?.close(resolve));
});

it('starts an execution of the target state machine with the transformed input', async () => {
  await service.handle('PutRule', {
    Name: 'to-approvals',
    EventPattern: JSON.stringify({ source: ['shop'] }),
  });
  await service.handle('PutTargets', {
    Rule: 'to-approvals',
    Targets: [
      {
        Id: 'approvals',
        Arn: stateMachineArn,
        InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"requestId": <id>}' },
      },
    ],
  });
  await service.handle('PutEvents', {
    Entries: [{ Source: 'shop', DetailType: 'Approval Requested', Detail: '{"id":"r-1"}' }],
  });
  await service.whenIdle();
  expect(requests).toEqual([
    {
      target: 'AWSStepFunctions.StartExecution',
      body: { stateMachineArn, input: '{"requestId": "r-1"}' },
    },
  ]);
});
