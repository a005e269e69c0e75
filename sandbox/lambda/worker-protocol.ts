// Messages exchanged between the runtime (parent thread) and one execution environment (worker thread).

/** What the worker needs to initialise: loaded once, like a Lambda execution environment's init phase. */
export interface ExecutionEnvironmentInit {
  codeDir: string;
  handler: string;
  /** A file URL inside the sandbox: `@aws-sdk/*` and `@smithy/*` resolve from there when the code dir lacks them. */
  sdkResolutionBase: string;
  functionName: string;
  functionVersion: string;
  memoryLimitInMB: number;
  logGroupName: string;
  logStreamName: string;
}

export interface InvokeMessage {
  kind: 'invoke';
  requestId: string;
  /** The raw JSON payload, parsed in the worker so the parent never pays for it. */
  payload: string;
  invokedFunctionArn: string;
  /** Epoch milliseconds at which the function times out, for `context.getRemainingTimeInMillis()`. */
  deadlineMs: number;
}

/** The error object the Node.js runtime reports: `{errorType, errorMessage, trace}`. */
export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type WorkerMessage =
  /** The handler module is loaded: the init phase is over and the function timeout may start. */
  | { kind: 'initialized' }
  | { kind: 'response'; requestId: string; payload: string }
  | {
      kind: 'error';
      requestId: string;
      error: FunctionErrorPayload;
      /** True when the environment cannot serve again (init failed), so the parent replaces it. */
      fatal: boolean;
    };
