import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsServiceError, type LambdaRuntime } from '../../../../sandbox/contracts.ts';
import { createLambdaRuntime, type LambdaRuntimeOptions } from '../../../../sandbox/lambda/runtime.ts';
import { fixturesDir, functionSpec } from '../../../fixtures/lambda-handlers/function-spec.ts';

const endpoints = { edgeUrl: 'http://127.0.0.1:4599', region: 'eu-west-1' };
let runtime: LambdaRuntime;
const logLines: string[] = [];

function start(options: Partial<LambdaRuntimeOptions> = {}): LambdaRuntime {
  runtime = createLambdaRuntime({
    endpoints,
    log: (name, line) => logLines.push(`${name}: ${line}`),
    ...options,
  });
  return runtime;
}

async function invokeJson(functionName: string, event: unknown): Promise<Record<string, unknown>> {
  const result = await runtime.invoke(functionName, JSON.stringify(event));
  expect(result.functionError).toBeUndefined();
  return JSON.parse(result.payload) as Record<string, unknown>;
}

afterEach(async () => {
  await runtime.close();
  logLines.length = 0;
});

describe('Lambda runtime', () => {
  it('gives each function its own environment with the variables the Node.js runtime sets', async () => {
    start();
    process.env.ONLY_IN_PARENT = 'leaked';
    await runtime.deploy(
      functionSpec('orders', 'echo-environment.handler', { environment: { TABLE_NAME: 'orders-table' } }),
    );
    await runtime.deploy(
      functionSpec('audit', 'echo-environment.handler', {
        environment: { TABLE_NAME: 'audit-table' },
        memorySizeMb: 512,
      }),
    );
    const orders = await invokeJson('orders', { n: 1 });
    const audit = await invokeJson('audit', {});
    delete process.env.ONLY_IN_PARENT;

    expect(orders.event).toEqual({ n: 1 });
    expect(orders.env).toEqual({
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'orders',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/orders',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: fixturesDir,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4599',
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SESSION_TOKEN: 'orders',
      TABLE_NAME: 'orders-table',
    });
    expect(audit.env).toMatchObject({ AWS_LAMBDA_FUNCTION_NAME: 'audit', TABLE_NAME: 'audit-table' });
    expect(audit.env).toMatchObject({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' });
  });

  it('passes the context object and accepts a name, a partial ARN or a full ARN', async () => {
    start();
    await runtime.deploy(functionSpec('ctx', 'echo-environment.handler', { timeoutSeconds: 5 }));
    const byName = (await invokeJson('ctx', {})).context as Record<string, unknown>;
    const byPartialArn = (await invokeJson('000000000000:function:ctx', {})).context as Record<
      string,
      unknown
    >;
    const byQualifiedArn = (
      await invokeJson('arn:aws:lambda:eu-west-1:000000000000:function:ctx:$LATEST', {})
    ).context as Record<string, unknown>;

    expect(byName).toMatchObject({
      functionName: 'ctx',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:ctx',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/ctx',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(byName.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(byName.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(byName.remainingTimeInMillis).toBeGreaterThan(4000);
    expect(byName.remainingTimeInMillis).toBeLessThanOrEqual(5000);
    expect(byPartialArn.awsRequestId).not.toBe(byName.awsRequestId);
    expect(byQualifiedArn.invokedFunctionArn).toBe(
      'arn:aws:lambda:eu-west-1:000000000000:function:ctx:$LATEST',
    );
  });

  it('rejects unknown functions, other regions and unpublished versions with ResourceNotFoundException', async () => {
    start();
    await runtime.deploy(functionSpec('known', 'echo-environment.handler'));
    for (const name of ['unknown', 'arn:aws:lambda:us-east-1:000000000000:function:known', 'known:7']) {
      const error = await runtime.invoke(name, '{}').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AwsServiceError);
      expect(error).toMatchObject({ code: 'ResourceNotFoundException', statusCode: 404 });
    }
  });

  it('rejects a payload that is not JSON', async () => {
    start();
    await runtime.deploy(functionSpec('strict', 'echo-environment.handler'));
    await expect(runtime.invoke('strict', '{not json')).rejects.toMatchObject({
      code: 'InvalidRequestContentException',
      statusCode: 400,
    });
    expect(JSON.parse((await runtime.invoke('strict', '')).payload).event).toEqual({});
  });

  it('reports a thrown error as {errorType, errorMessage, trace} with functionError Unhandled', async () => {
    start();
    await runtime.deploy(functionSpec('thrower', 'throws.handler'));
    const thrown = await runtime.invoke('thrower', JSON.stringify({ value: 42 }));
    expect(thrown.statusCode).toBe(200);
    expect(thrown.functionError).toBe('Unhandled');
    const error = JSON.parse(thrown.payload);
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input: 42' });
    expect(error.trace[0]).toBe('TypeError: bad input: 42');

    const stringThrown = await runtime.invoke('thrower', JSON.stringify({ kind: 'string' }));
    expect(JSON.parse(stringThrown.payload)).toEqual({
      errorType: 'string',
      errorMessage: 'plain string thrown',
      trace: [],
    });
  });

  it('reports init failures and missing handlers as the Node.js runtime does', async () => {
    start();
    await runtime.deploy(functionSpec('broken-init', 'init-fails.handler'));
    await runtime.deploy(functionSpec('no-export', 'throws.missing'));
    await runtime.deploy(functionSpec('no-file', 'absent.handler'));
    const initFailure = await runtime.invoke('broken-init', '{}');
    expect(initFailure.functionError).toBe('Unhandled');
    expect(JSON.parse(initFailure.payload)).toMatchObject({
      errorType: 'Error',
      errorMessage: 'cannot initialise',
    });
    expect(JSON.parse((await runtime.invoke('no-export', '{}')).payload)).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'throws.missing is undefined or not exported',
    });
    expect(JSON.parse((await runtime.invoke('no-file', '{}')).payload)).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'absent'",
    });
  });

  it('times out as Sandbox.Timedout, replaces the environment and serves the next call', async () => {
    start();
    await runtime.deploy(functionSpec('slow', 'sleeps.handler', { timeoutSeconds: 1 }));
    expect(await invokeJson('slow', { ms: 0 })).toEqual({ invocationsInThisEnvironment: 1 });
    const timedOut = await runtime.invoke('slow', JSON.stringify({ ms: 5_000 }));
    expect(timedOut.functionError).toBe('Unhandled');
    const error = JSON.parse(timedOut.payload);
    expect(error.errorType).toBe('Sandbox.Timedout');
    expect(error.errorMessage).toMatch(
      /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/,
    );
    // A fresh environment: the module-level counter starts again.
    expect(await invokeJson('slow', { ms: 0 })).toEqual({ invocationsInThisEnvironment: 1 });
  });

  it('does not count the init phase against the function timeout, as AWS does not', async () => {
    start();
    // Init takes 1.5 s; the function timeout is 1 s and starts only once the handler is loaded.
    await runtime.deploy(functionSpec('slow-init', 'slow-init.handler', { timeoutSeconds: 1 }));
    expect(await invokeJson('slow-init', { ms: 100 })).toEqual({ slept: 100 });
    const timedOut = JSON.parse((await runtime.invoke('slow-init', JSON.stringify({ ms: 3_000 }))).payload);
    expect(timedOut.errorType).toBe('Sandbox.Timedout');
    expect(timedOut.errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
  });

  it('reuses warm environments, importing the handler once per environment', async () => {
    start();
    await runtime.deploy(functionSpec('warm', 'sleeps.handler'));
    for (let call = 1; call <= 3; call++) {
      expect(await invokeJson('warm', {})).toEqual({ invocationsInThisEnvironment: call });
    }
  });

  it('throttles a synchronous call beyond the reserved concurrency with TooManyRequestsException', async () => {
    start();
    await runtime.deploy(functionSpec('single', 'sleeps.handler', { reservedConcurrency: 1 }));
    const first = runtime.invoke('single', JSON.stringify({ ms: 300 }));
    await expect(runtime.invoke('single', '{}')).rejects.toMatchObject({
      code: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      statusCode: 429,
    });
    expect((await first).functionError).toBeUndefined();
    expect((await runtime.invoke('single', '{}')).functionError).toBeUndefined();
  });

  it('queues calls beyond the worker pool of an unreserved function instead of throttling them', async () => {
    start({ maxEnvironmentsPerFunction: 1 });
    await runtime.deploy(functionSpec('pooled', 'sleeps.handler'));
    const results = await Promise.all(
      [1, 2, 3].map(() => runtime.invoke('pooled', JSON.stringify({ ms: 50 }))),
    );
    // One environment served all three in turn.
    expect(results.map((result) => JSON.parse(result.payload).invocationsInThisEnvironment).sort()).toEqual([
      1, 2, 3,
    ]);
  });

  it('throttles every call of a function with reserved concurrency 0', async () => {
    start();
    await runtime.deploy(functionSpec('disabled', 'sleeps.handler', { reservedConcurrency: 0 }));
    await expect(runtime.invoke('disabled', '{}')).rejects.toMatchObject({
      code: 'TooManyRequestsException',
    });
  });

  it('runs callback-style CommonJS handlers', async () => {
    start();
    await runtime.deploy(functionSpec('callback', 'callback.handler'));
    const result = await invokeJson('callback', { value: 21 });
    expect(result.doubled).toBe(42);
    const failed = await runtime.invoke('callback', JSON.stringify({ fail: true }));
    expect(failed.functionError).toBe('Unhandled');
    expect(JSON.parse(failed.payload)).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'callback failure',
    });
  });

  it('resolves nested handler paths and nested export paths', async () => {
    start();
    await runtime.deploy(functionSpec('nested', 'nested/deeper/entry.api.main'));
    expect(await invokeJson('nested', { value: 'x' })).toEqual({ nested: true, got: 'x' });
  });

  it('reports a handler that exits the process as Runtime.ExitError and recovers', async () => {
    start();
    await runtime.deploy(functionSpec('exits', 'exits.handler'));
    const exited = await runtime.invoke('exits', '{}');
    expect(exited.functionError).toBe('Unhandled');
    expect(JSON.parse(exited.payload)).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(JSON.parse(exited.payload).errorMessage).toMatch(/Runtime exited with error: exit status 3$/);
    expect((await runtime.invoke('exits', '{}')).functionError).toBe('Unhandled');
  });

  it('forwards console output line by line with the request id and level', async () => {
    start();
    await runtime.deploy(functionSpec('chatty', 'logs.handler'));
    const result = await runtime.invoke('chatty', JSON.stringify({ who: 'test' }));
    expect(result.payload).toBe('"logged"');
    await expect.poll(() => logLines.length).toBeGreaterThanOrEqual(2);
    expect(logLines[0]).toMatch(/^chatty: \d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tINFO\thello from test$/);
    expect(logLines[1]).toMatch(/\tERROR\tline one\nline two$/);
  });

  it('answers Event invocations with 202 and retries a failing one twice', async () => {
    start({ asyncRetryDelaysMs: [20, 20] });
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-async-'));
    const file = path.join(dir, 'attempts.txt');
    writeFileSync(file, '');
    await runtime.deploy(functionSpec('async-failing', 'records-attempts.handler'));
    const accepted = await runtime.invoke('async-failing', JSON.stringify({ file }), 'Event');
    expect(accepted).toEqual({ statusCode: 202, payload: '' });
    await expect.poll(() => readFileSync(file, 'utf8'), { timeout: 5_000 }).toBe('attempt\n'.repeat(3));
    // No fourth attempt follows once the retries are spent.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readFileSync(file, 'utf8')).toBe('attempt\n'.repeat(3));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a response above 6 MB as Function.ResponseSizeTooLarge', async () => {
    start();
    await runtime.deploy(functionSpec('big', 'big-response.handler'));
    expect(
      (await runtime.invoke('big', JSON.stringify({ length: 6_000_000 }))).functionError,
    ).toBeUndefined();
    const tooBig = await runtime.invoke('big', JSON.stringify({ length: 6_300_000 }));
    expect(tooBig.functionError).toBe('Unhandled');
    expect(JSON.parse(tooBig.payload)).toEqual({
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
  });

  it('answers DryRun with 204 without running the function', async () => {
    start();
    await runtime.deploy(functionSpec('dry', 'throws.handler'));
    expect(await runtime.invoke('dry', '{}', 'DryRun')).toEqual({ statusCode: 204, payload: '' });
  });

  it('lets handlers outside the project tree require the SDK the runtime provides', async () => {
    start();
    const codeDir = mkdtempSync(path.join(tmpdir(), 'lambda-code-'));
    cpSync(path.join(fixturesDir, 'uses-sdk.cjs'), path.join(codeDir, 'index.cjs'));
    await runtime.deploy(functionSpec('sdk-user', 'index.handler', { codeDir }));
    expect(await invokeJson('sdk-user', {})).toEqual({ region: 'eu-west-1' });
    rmSync(codeDir, { recursive: true, force: true });
  });
});
