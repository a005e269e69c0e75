// The Lambda runtime's per-function log destinations (functionLog) and its count of unfinished invocations
// (invocationsInFlight), which `npm start`'s warm-up waits on.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LambdaFunctionSpec } from '../../../../sandbox/contracts.ts';
import { createLambdaRuntime, type SandboxLambdaRuntime } from '../../../../sandbox/lambda/runtime.ts';
import { functionSpec } from '../../../fixtures/lambda-handlers/function-spec.ts';

const endpoints = { edgeUrl: 'http://127.0.0.1:4599', region: 'eu-west-1' };
let runtime: SandboxLambdaRuntime | undefined;
let dir: string | undefined;

afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function until(condition: () => boolean): Promise<void> {
  await expect.poll(condition, { timeout: 10_000, interval: 10 }).toBe(true);
}

describe('functionLog', () => {
  it("is asked once per function, at deploy, and gets that function's lines only", async () => {
    const opened: string[] = [];
    const lines = new Map<string, string[]>();
    const sharedSink: string[] = [];
    runtime = createLambdaRuntime({
      endpoints,
      log: (name, line) => sharedSink.push(`${name}: ${line}`),
      functionLog: (spec: LambdaFunctionSpec) => {
        opened.push(spec.logicalId);
        const own: string[] = [];
        lines.set(spec.functionName, own);
        return (line) => own.push(line);
      },
    });
    await runtime.deploy(functionSpec('chatty', 'logs.handler'));
    await runtime.deploy(functionSpec('quiet', 'noop.handler', { logicalId: 'QuietFn' }));
    expect(opened).toEqual(['chatty', 'QuietFn']);

    await runtime.invoke('chatty', JSON.stringify({ who: 'a test' }));
    await until(() => (lines.get('chatty')?.length ?? 0) >= 2);
    expect(lines.get('chatty')![0]).toMatch(/\tINFO\thello from a test$/);
    expect(lines.get('chatty')![1]).toMatch(/\tERROR\tline one\nline two$/);
    expect(lines.get('quiet')).toEqual([]);
    expect(sharedSink).toEqual([]);
  });

  it('hands output to `log`, with the function name, when not given', async () => {
    const sink: string[] = [];
    runtime = createLambdaRuntime({ endpoints, log: (name, line) => sink.push(`${name}: ${line}`) });
    await runtime.deploy(functionSpec('chatty', 'logs.handler'));
    await runtime.invoke('chatty', JSON.stringify({ who: 'b' }));
    await until(() => sink.length >= 1);
    expect(sink[0]).toMatch(/^chatty: .*\tINFO\thello from b$/);
  });
});

describe('invocationsInFlight', () => {
  it('counts running and queued invocations, across functions, and is 0 once they are done', async () => {
    dir = mkdtempSync(join(tmpdir(), 'in-flight-'));
    const event = (n: number) =>
      JSON.stringify({ startedFile: join(dir!, `started-${n}`), releaseFile: join(dir!, 'release') });
    runtime = createLambdaRuntime({ endpoints, log: () => {} });
    await runtime.deploy(functionSpec('held', 'blocks-until-released.handler', { reservedConcurrency: 1 }));
    await runtime.deploy(functionSpec('quick', 'noop.handler'));
    expect(runtime.invocationsInFlight()).toBe(0);

    const synchronous = runtime.invoke('held', event(1));
    await until(() => existsSync(join(dir!, 'started-1')));
    // Reserved concurrency 1: the asynchronous one waits in the queue behind the running one.
    await runtime.invoke('held', event(2), 'Event');
    await runtime.invoke('quick', '{}');
    expect(runtime.invocationsInFlight()).toBe(2);

    writeFileSync(join(dir, 'release'), '');
    await synchronous;
    await until(() => existsSync(join(dir!, 'started-2')));
    await until(() => runtime!.invocationsInFlight() === 0);
  });

  it('counts a failed asynchronous invocation while its retry is pending', async () => {
    dir = mkdtempSync(join(tmpdir(), 'in-flight-'));
    const file = join(dir, 'attempts');
    const attempts = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);
    runtime = createLambdaRuntime({ endpoints, log: () => {}, asyncRetryDelaysMs: [2_000] });
    await runtime.deploy(functionSpec('fails', 'records-attempts.handler'));
    await runtime.invoke('fails', JSON.stringify({ file }), 'Event');
    await until(() => attempts() === 1);
    // The attempt has failed a moment after its line; its retry waits 2 s and still counts meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(attempts()).toBe(1);
    expect(runtime.invocationsInFlight()).toBe(1);
    await until(() => attempts() === 2);
    await until(() => runtime!.invocationsInFlight() === 0);
  });
});
