// The parent's handle on one worker-thread execution environment: sends one invocation at a time,
// enforces the function timeout and notices when the environment dies.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { LambdaFunctionSpec } from '../contracts.ts';
import type {
  ExecutionEnvironmentInit,
  FunctionErrorPayload,
  InvokeMessage,
  WorkerMessage,
} from './worker-protocol.ts';

export type InvocationOutcome = { ok: true; payload: string } | { ok: false; error: FunctionErrorPayload };

/** Receives each line the function writes to stdout or stderr. */
export type FunctionLogSink = (functionName: string, line: string) => void;

const workerUrl = new URL('./handler-worker.ts', import.meta.url);
const sdkResolutionBase = import.meta.url;

interface PendingInvocation {
  requestId: string;
  resolve(outcome: InvocationOutcome): void;
  timeoutMs: number;
  timer: NodeJS.Timeout;
}

// In AWS the init phase (loading the handler module) does not count against the function timeout: it has
// a limit of its own, 10 s, after which Lambda retries the init within the invocation under the function
// timeout. So an invocation that meets a cold environment waits for init up to the larger of the two, and
// its function timeout starts once the handler is loaded.
const INIT_LIMIT_MS = 10_000;

export class ExecutionEnvironment {
  private readonly worker: Worker;
  private pending: PendingInvocation | undefined;
  private alive = true;
  private initialized = false;

  constructor(spec: LambdaFunctionSpec, environment: Record<string, string>, log: FunctionLogSink) {
    // Each environment has its own log stream, as in AWS: `YYYY/MM/DD/[$LATEST]<32 hex>`.
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const init: ExecutionEnvironmentInit = {
      codeDir: spec.codeDir,
      handler: spec.handler,
      sdkResolutionBase,
      functionName: spec.functionName,
      functionVersion: '$LATEST',
      memoryLimitInMB: spec.memorySizeMb,
      logGroupName: `/aws/lambda/${spec.functionName}`,
      logStreamName,
    };
    this.worker = new Worker(workerUrl, {
      workerData: init,
      env: { ...environment, AWS_LAMBDA_LOG_STREAM_NAME: logStreamName },
      stdout: true,
      stderr: true,
    });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      forwardLines(stream, (line) => log(spec.functionName, line.replaceAll('\r', '\n')));
    }
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error) =>
      this.die({ errorType: error.name, errorMessage: error.message, trace: [] }),
    );
    this.worker.on('exit', (code) =>
      this.die({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${this.pending?.requestId} Error: Runtime exited with error: exit status ${code}`,
      }),
    );
  }

  /** False once the environment timed out, crashed or failed its init: it is then replaced. */
  get usable(): boolean {
    return this.alive;
  }

  invoke(message: InvokeMessage, timeoutMs: number): Promise<InvocationOutcome> {
    return new Promise((resolve) => {
      const timer = this.initialized
        ? this.startFunctionTimer(message.requestId, timeoutMs)
        : setTimeout(
            () =>
              this.die({
                errorType: 'Sandbox.Timedout',
                errorMessage: `RequestId: ${message.requestId} Error: Init timed out after ${(Math.max(INIT_LIMIT_MS, timeoutMs) / 1000).toFixed(2)} seconds`,
              }),
            Math.max(INIT_LIMIT_MS, timeoutMs),
          );
      this.pending = { requestId: message.requestId, resolve, timeoutMs, timer };
      this.worker.postMessage(message);
    });
  }

  /** AWS stops the whole environment on timeout; the next invocation gets a fresh one. */
  private startFunctionTimer(requestId: string, timeoutMs: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.die({
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
      });
    }, timeoutMs);
  }

  async terminate(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }

  private onMessage(message: WorkerMessage): void {
    if (message.kind === 'initialized') {
      this.initialized = true;
      if (this.pending) {
        clearTimeout(this.pending.timer);
        this.pending.timer = this.startFunctionTimer(this.pending.requestId, this.pending.timeoutMs);
      }
      return;
    }
    const pending = this.pending;
    if (pending === undefined || pending.requestId !== message.requestId) return;
    if (message.kind === 'error' && message.fatal) {
      this.die(message.error);
      return;
    }
    this.settle(
      message.kind === 'response'
        ? { ok: true, payload: message.payload }
        : { ok: false, error: message.error },
    );
  }

  private die(error: FunctionErrorPayload): void {
    const wasAlive = this.alive;
    this.alive = false;
    this.settle({ ok: false, error });
    if (wasAlive) void this.worker.terminate();
  }

  private settle(outcome: InvocationOutcome): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }
}

/** Splits on `\n` only: the runtime encodes newlines inside one log event as `\r`, which readline would split. */
function forwardLines(stream: Readable, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (partial !== '') onLine(partial);
  });
}
