import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepFunctionsService } from '../../../../sandbox/stepfunctions/service.ts';
import {
  createService,
  createStateMachine,
  inProcessLambda,
  runExecution,
} from '../../../unit/sandbox/stepfunctions/in-process-lambda.ts';

interface PutEventsEntry {
  Detail?: string;
  DetailType?: string;
  Source?: string;
  Resources?: string[];
}

let endpoint: string;
let server: Server;
let service: StepFunctionsService;
const received: PutEventsEntry[][] = [];

// EventBridge's PutEvents over its JSON protocol (the sandbox's own EventBridge server is
// another part): entries with DetailType "rejected" fail, as an entry EventBridge refuses.
beforeAll(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const { Entries } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: PutEventsEntry[] };
    received.push(Entries);
    const results = Entries.map((entry, index) =>
      entry.DetailType === 'rejected'
        ? { ErrorCode: 'InternalFailure', ErrorMessage: 'refused' }
        : { EventId: `event-${index}` },
    );
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(
      JSON.stringify({
        Entries: results,
        FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await service.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('events:putEvents', () => {
  it('sends Detail as JSON text with the execution and state machine ARNs in Resources', async () => {
    service = createService(inProcessLambda({}), endpoint);
    const stateMachineArn = await createStateMachine(service, 'publish', {
      StartAt: 'Publish',
      States: {
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: {
            Entries: [{ Source: 'trustgate.test', DetailType: 'decided', Detail: { 'agent.$': '$.agent' } }],
          },
          Catch: [{ ErrorEquals: ['EventBridge.FailedEntry'], ResultPath: '$.failure', Next: 'Failed' }],
          End: true,
        },
        Failed: { Type: 'Pass', End: true },
      },
    });

    const execution = await runExecution(service, stateMachineArn, { agent: 'a-7' });

    expect(JSON.parse(execution.output as string)).toEqual({
      Entries: [{ EventId: 'event-0' }],
      FailedEntryCount: 0,
    });
    expect(received.at(-1)).toEqual([
      {
        Source: 'trustgate.test',
        DetailType: 'decided',
        Detail: '{"agent":"a-7"}',
        Resources: [execution.executionArn, stateMachineArn],
      },
    ]);
  });

  it('fails the task with EventBridge.FailedEntry when an entry is refused', async () => {
    service = createService(inProcessLambda({}), endpoint);
    const stateMachineArn = await createStateMachine(service, 'refused', {
      StartAt: 'Publish',
      States: {
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [{ Source: 'trustgate.test', DetailType: 'rejected', Detail: {} }] },
          End: true,
        },
      },
    });

    const execution = await runExecution(service, stateMachineArn, {});

    expect(execution).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry' });
  });
});
