import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../../sandbox/contracts.ts';
import type { StepFunctionsService } from '../../../../sandbox/stepfunctions/service.ts';
import {
  createService,
  inProcessLambda,
  REGION,
  ROLE_ARN,
} from '../../../unit/sandbox/stepfunctions/in-process-lambda.ts';

let service: StepFunctionsService;
let server: Server;
let sfn: SFNClient;
let receiveToken: (token: string) => void;
const tokenReceived = new Promise<string>((resolve) => {
  receiveToken = resolve;
});

/**
 * The JSON-protocol exchange the edge performs (X-Amz-Target → operation, body → input,
 * AwsServiceError → `{__type, message}`), so the real SFN client talks to the service.
 */
function jsonProtocolServer(target: StepFunctionsService): Server {
  return createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const operation = String(request.headers['x-amz-target']).split('.')[1] ?? '';
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    };
    try {
      reply(200, await target.handle(operation, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      reply(error.statusCode, { __type: error.code, message: error.message });
    }
  });
}

beforeAll(async () => {
  service = createService(
    inProcessLambda({
      notify: (event) => {
        receiveToken((event as { token: string }).token);
        return {};
      },
    }),
  );
  server = jsonProtocolServer(service);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  sfn.destroy();
  await service.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('the service through @aws-sdk/client-sfn', () => {
  it('parses outputs, dates and errors as the SDK expects them', async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'sdk',
        roleArn: ROLE_ARN,
        definition: JSON.stringify({
          StartAt: 'Approve',
          States: {
            Approve: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
              End: true,
            },
          },
        }),
      }),
    );
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'e-1', input: '{"a":1}' }),
    );
    expect(started.startDate).toBeInstanceOf(Date);

    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenReceived, output: '{"ok":true}' }));
    await service.waitForExecution(started.executionArn as string);

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"ok":true}',
      input: '{"a":1}',
      name: 'e-1',
    });
    expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(started.startDate?.getTime() ?? 0);
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(events?.[0]).toMatchObject({ type: 'ExecutionStarted', id: 1, previousEventId: 0 });
    expect(events?.[0]?.timestamp).toBeInstanceOf(Date);
    expect(events?.find((event) => event.type === 'TaskSubmitted')?.taskSubmittedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
    });
    const { executions } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }),
    );
    expect(executions?.map((execution) => execution.name)).toEqual(['e-1']);
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${started.executionArn}-missing` })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});
