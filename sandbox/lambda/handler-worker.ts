// One Lambda execution environment: runs inside a worker thread, imports the handler module once
// (the cold start) and then serves one invocation at a time, as the Node.js Lambda runtime does.
import { existsSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import type {
  ExecutionEnvironmentInit,
  FunctionErrorPayload,
  InvokeMessage,
  WorkerMessage,
} from './worker-protocol.ts';

type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
type Handler = (event: unknown, context: LambdaContext, callback: HandlerCallback) => unknown;
type HandlerCallback = (error?: unknown, result?: unknown) => void;

interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
}

// This file runs in the worker through Node's type stripping: no TypeScript-only runtime syntax here
// (parameter properties, enums, namespaces).

/** An init failure, already in the shape the runtime reports. */
class InitError extends Error {
  readonly payload: FunctionErrorPayload;
  constructor(payload: FunctionErrorPayload) {
    super(payload.errorMessage);
    this.payload = payload;
  }
}

const init = workerData as ExecutionEnvironmentInit;
const port = parentPort!;
let currentRequestId: string | undefined;

installSdkResolutionFallback(init.sdkResolutionBase);
patchConsole();
process.on('uncaughtException', (error) => failEnvironment(toErrorPayload(error)));
process.on('unhandledRejection', (reason) =>
  failEnvironment({
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason),
    trace: reason instanceof Error ? (reason.stack ?? '').split('\n') : [],
  }),
);

const handlerLoaded: Promise<Handler> = loadHandler(init.codeDir, init.handler);
// Init errors are reported on the first invocation, not as an unhandled rejection.
handlerLoaded.then(
  () => post({ kind: 'initialized' }),
  () => undefined,
);

port.on('message', (message: InvokeMessage) => {
  void serve(message);
});

async function serve(message: InvokeMessage): Promise<void> {
  let handler: Handler;
  try {
    handler = await handlerLoaded;
  } catch (error) {
    const payload = error instanceof InitError ? error.payload : toErrorPayload(error);
    post({ kind: 'error', requestId: message.requestId, error: payload, fatal: true });
    return;
  }
  currentRequestId = message.requestId;
  try {
    const result = await callHandler(handler, JSON.parse(message.payload), createContext(message));
    post({ kind: 'response', requestId: message.requestId, payload: serialiseResult(result) });
  } catch (error) {
    post({ kind: 'error', requestId: message.requestId, error: toErrorPayload(error), fatal: false });
  } finally {
    currentRequestId = undefined;
  }
}

/**
 * Async handlers settle through their promise; callback handlers through the callback. A handler that
 * returns neither responds `null`, which is what AWS sends once the event loop drains.
 */
function callHandler(handler: Handler, event: unknown, context: LambdaContext): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback: HandlerCallback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const returned = handler(event, context, callback);
    if (isThenable(returned)) {
      returned.then(
        (result) => callback(null, result),
        (error: unknown) => callback(error ?? new Error('Promise rejected without a reason')),
      );
    } else if (handler.length < 3) {
      callback(null, null);
    }
  });
}

function serialiseResult(result: unknown): string {
  try {
    return JSON.stringify(result === undefined ? null : result) ?? 'null';
  } catch (error) {
    throw new RuntimeError('Runtime.MarshalError', `Unable to stringify response body: ${String(error)}`);
  }
}

/** A runtime-raised error whose `name` is the errorType AWS reports. */
class RuntimeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function createContext(message: InvokeMessage): LambdaContext {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: init.functionName,
    functionVersion: init.functionVersion,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: String(init.memoryLimitInMB),
    awsRequestId: message.requestId,
    logGroupName: init.logGroupName,
    logStreamName: init.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  };
}

/** Resolves `dir/file.export.path` exactly as the Node.js runtime does: `.js`, then `.mjs`, then `.cjs`. */
async function loadHandler(codeDir: string, handlerString: string): Promise<Handler> {
  const handlerName = path.basename(handlerString);
  const moduleRoot = handlerString.slice(0, handlerString.length - handlerName.length);
  const match = /^([^.]*)\.(.*)$/.exec(handlerName);
  if (!match?.[1] || !match[2]) {
    throw new InitError({ errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler' });
  }
  const moduleName = match[1];
  const exportPath = match[2];
  const modulePath = path.resolve(codeDir, moduleRoot, moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((extension) => modulePath + extension).find(existsSync);
  if (file === undefined) {
    throw new InitError({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: `Error: Cannot find module '${moduleName}'`,
      trace: [],
    });
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new InitError(toInitErrorPayload(error));
  }
  const handler = lookUp(loaded, exportPath) ?? lookUp(loaded.default, exportPath);
  if (typeof handler !== 'function') {
    throw new InitError({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${moduleRoot}${handlerName} is undefined or not exported`,
      trace: [],
    });
  }
  return handler as Handler;
}

function lookUp(root: unknown, dottedPath: string): unknown {
  let value = root;
  for (const key of dottedPath.split('.')) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function toInitErrorPayload(error: unknown): FunctionErrorPayload {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return { ...toErrorPayload(error), errorType: 'Runtime.ImportModuleError' };
  }
  if (error instanceof SyntaxError)
    return { ...toErrorPayload(error), errorType: 'Runtime.UserCodeSyntaxError' };
  return toErrorPayload(error);
}

/** The Node.js runtime's `toRapidResponse`: errors keep name, message and stack; other values their type. */
function toErrorPayload(error: unknown): FunctionErrorPayload {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** An error escaping the handler's promise chain brings the environment down, as it does in AWS. */
function failEnvironment(error: FunctionErrorPayload): void {
  if (currentRequestId !== undefined) {
    post({ kind: 'error', requestId: currentRequestId, error, fatal: true });
  }
  process.exit(1);
}

/**
 * In AWS the SDK ships with the runtime, so handlers import `@aws-sdk/*` unbundled. The code dir may sit
 * anywhere (cdk.out), so when its own resolution fails these packages come from the sandbox's node_modules.
 */
function installSdkResolutionFallback(resolutionBase: string): void {
  const requireFromSandbox = createRequire(resolutionBase);
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if (!/^@(aws-sdk|smithy)\//.test(specifier)) throw error;
        // `require` resolution ignores a substituted parentURL, so resolve it the CommonJS way directly.
        if (context.conditions.includes('require')) {
          return { url: pathToFileURL(requireFromSandbox.resolve(specifier)).href, shortCircuit: true };
        }
        return nextResolve(specifier, { ...context, parentURL: resolutionBase });
      }
    },
  });
}

/**
 * The Node.js runtime writes each console call as one line `time\trequestId\tLEVEL\tmessage`, with
 * newlines inside the message turned into carriage returns so a multi-line message stays one log event.
 */
function patchConsole(): void {
  const levels: Record<'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace', LogLevel> = {
    log: 'INFO',
    info: 'INFO',
    warn: 'WARN',
    error: 'ERROR',
    debug: 'DEBUG',
    trace: 'TRACE',
  };
  for (const [method, level] of Object.entries(levels) as [keyof typeof levels, LogLevel][]) {
    console[method] = (...args: unknown[]) => {
      const message = format(...args).replaceAll('\n', '\r');
      process.stdout.write(
        `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${message}\n`,
      );
    };
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function post(message: WorkerMessage): void {
  port.postMessage(message);
}
