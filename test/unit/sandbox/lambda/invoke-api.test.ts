import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaRuntime } from '../../../../sandbox/contracts.ts';
import { handleLambdaInvokeRequest } from '../../../../sandbox/lambda/invoke-api.ts';
import { createLambdaRuntime } from '../../../../sandbox/lambda/runtime.ts';
import { functionSpec } from '../../../fixtures/lambda-handlers/function-spec.ts';

let runtime: LambdaRuntime;
let server: Server;
let client: LambdaClient;

beforeAll(async () => {
  runtime = createLambdaRuntime({
    endpoints: { edgeUrl: 'http://127.0.0.1:1', region: 'eu-west-1' },
    log: () => {},
  });
  await runtime.deploy(functionSpec('echo', 'echo-environment.handler'));
  await runtime.deploy(functionSpec('thrower', 'throws.handler'));
  await runtime.deploy(functionSpec('single', 'blocks-until-released.handler', { reservedConcurrency: 1 }));
  // A stand-in for the edge: hands every request to the Invoke API handler.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name] = String(value);
      const response = await handleLambdaInvokeRequest(runtime, {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(response.statusCode, response.headers).end(response.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new LambdaClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
  await runtime.close();
});

function decode(payload: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
}

describe('Lambda Invoke API through LambdaClient', () => {
  it('returns the payload, status 200 and the executed version of a synchronous call', async () => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(JSON.stringify({ hello: 'world' })) }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(output.FunctionError).toBeUndefined();
    expect(decode(output.Payload)).toMatchObject({ event: { hello: 'world' } });
  });

  it('accepts a full ARN and a Qualifier', async () => {
    const output = await client.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:echo',
        Qualifier: '$LATEST',
        Payload: Buffer.from('{}'),
      }),
    );
    expect(decode(output.Payload)).toMatchObject({
      context: { invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:echo:$LATEST' },
    });
  });

  it('reports a function error in FunctionError with the error object as payload', async () => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: 'thrower', Payload: Buffer.from('{"value":1}') }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    expect(decode(output.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input: 1' });
  });

  it('answers Event with 202 and DryRun with 204', async () => {
    const event = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event' }));
    expect(event.StatusCode).toBe(202);
    const dryRun = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(dryRun.StatusCode).toBe(204);
  });

  it('raises ResourceNotFoundException for an unknown function', async () => {
    const error = await client
      .send(new InvokeCommand({ FunctionName: 'nope' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).message).toBe(
      'Function not found: arn:aws:lambda:eu-west-1:000000000000:function:nope',
    );
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('raises TooManyRequestsException beyond the reserved concurrency', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-throttle-'));
    const startedFile = path.join(dir, 'started');
    const releaseFile = path.join(dir, 'release');
    const first = client.send(
      new InvokeCommand({
        FunctionName: 'single',
        Payload: Buffer.from(JSON.stringify({ startedFile, releaseFile })),
      }),
    );
    await expect.poll(() => existsSync(startedFile)).toBe(true);
    const error = await client
      .send(new InvokeCommand({ FunctionName: 'single' }))
      .catch((caught: unknown) => caught);
    writeFileSync(releaseFile, '');
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      message: 'Rate Exceeded.',
    });
    expect((error as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);
    expect(decode((await first).Payload)).toBe('released');
    rmSync(dir, { recursive: true, force: true });
  });
});
