// One deployed function: its pool of warm execution environments, its concurrency cap and its queue of
// asynchronous ('Event') invocations.
import { randomUUID } from 'node:crypto';
import { AwsServiceError, type LambdaFunctionSpec } from '../contracts.ts';
import {
  ExecutionEnvironment,
  type FunctionLogSink,
  type InvocationOutcome,
} from './execution-environment.ts';

export interface DeployedFunctionOptions {
  environment: Record<string, string>;
  log: FunctionLogSink;
  /** Worker threads kept for a function without reserved concurrency; further calls wait, unthrottled. */
  maxEnvironments: number;
  /** Delay before each retry of a failed asynchronous invocation; AWS retries twice. */
  asyncRetryDelaysMs: readonly number[];
}

interface EnvironmentWaiter {
  resolve(environment: ExecutionEnvironment): void;
  reject(error: Error): void;
}

interface QueuedEvent {
  payload: string;
  invokedFunctionArn: string;
  attempt: number;
}

export class DeployedFunction {
  private readonly environments = new Set<ExecutionEnvironment>();
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly waitingForEnvironment: EnvironmentWaiter[] = [];
  private readonly queuedEvents: QueuedEvent[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly maxEnvironments: number;
  private inFlight = 0;
  private closed = false;

  constructor(
    readonly spec: LambdaFunctionSpec,
    private readonly options: DeployedFunctionOptions,
  ) {
    this.maxEnvironments = Math.max(
      1,
      Math.min(spec.reservedConcurrency ?? Number.POSITIVE_INFINITY, options.maxEnvironments),
    );
  }

  /** Invocations running or waiting for an environment, queued asynchronous ones and retries awaiting their delay. */
  get busy(): number {
    return this.inFlight + this.queuedEvents.length + this.retryTimers.size;
  }

  /** A synchronous invocation; throttled with 429 once the reserved concurrency is in use, as in AWS. */
  invoke(payload: string, invokedFunctionArn: string): Promise<InvocationOutcome> {
    if (!this.hasConcurrency()) throw new AwsServiceError('TooManyRequestsException', 'Rate Exceeded.', 429);
    return this.run(payload, invokedFunctionArn);
  }

  /** An asynchronous invocation: Lambda queues it, runs it when concurrency allows and retries errors. */
  enqueueEvent(payload: string, invokedFunctionArn: string): void {
    this.queuedEvents.push({ payload, invokedFunctionArn, attempt: 0 });
    this.runQueuedEvents();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.queuedEvents.length = 0;
    for (const waiter of this.waitingForEnvironment.splice(0)) {
      waiter.reject(
        new AwsServiceError('ServiceException', `Function ${this.spec.functionName} was shut down`, 500),
      );
    }
    await Promise.all([...this.environments].map((environment) => environment.terminate()));
    this.environments.clear();
  }

  private hasConcurrency(): boolean {
    return this.spec.reservedConcurrency === undefined || this.inFlight < this.spec.reservedConcurrency;
  }

  private async run(payload: string, invokedFunctionArn: string): Promise<InvocationOutcome> {
    this.inFlight++;
    try {
      const environment = await this.acquireEnvironment();
      const timeoutMs = this.spec.timeoutSeconds * 1000;
      const outcome = await environment.invoke(
        {
          kind: 'invoke',
          requestId: randomUUID(),
          payload,
          invokedFunctionArn,
          deadlineMs: Date.now() + timeoutMs,
        },
        timeoutMs,
      );
      this.releaseEnvironment(environment);
      return outcome;
    } finally {
      this.inFlight--;
      this.runQueuedEvents();
    }
  }

  private runQueuedEvents(): void {
    while (!this.closed && this.queuedEvents.length > 0 && this.hasConcurrency()) {
      void this.runEvent(this.queuedEvents.shift()!);
    }
  }

  private async runEvent(event: QueuedEvent): Promise<void> {
    const outcome = await this.run(event.payload, event.invokedFunctionArn);
    const retryDelay = this.options.asyncRetryDelaysMs[event.attempt];
    if (outcome.ok || retryDelay === undefined || this.closed) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.queuedEvents.push({ ...event, attempt: event.attempt + 1 });
      this.runQueuedEvents();
    }, retryDelay);
    this.retryTimers.add(timer);
  }

  private acquireEnvironment(): Promise<ExecutionEnvironment> {
    // An idle environment may have died since (an error escaping after its response): drop it.
    for (let warm = this.idle.pop(); warm !== undefined; warm = this.idle.pop()) {
      if (warm.usable) return Promise.resolve(warm);
      this.environments.delete(warm);
    }
    if (this.environments.size < this.maxEnvironments) return Promise.resolve(this.startEnvironment());
    return new Promise((resolve, reject) => this.waitingForEnvironment.push({ resolve, reject }));
  }

  private releaseEnvironment(environment: ExecutionEnvironment): void {
    if (this.closed) return;
    let next: ExecutionEnvironment | undefined = environment;
    if (!environment.usable) {
      this.environments.delete(environment);
      next = this.waitingForEnvironment.length > 0 ? this.startEnvironment() : undefined;
    }
    if (next === undefined) return;
    const waiter = this.waitingForEnvironment.shift();
    if (waiter !== undefined) waiter.resolve(next);
    else this.idle.push(next);
  }

  private startEnvironment(): ExecutionEnvironment {
    const environment = new ExecutionEnvironment(this.spec, this.options.environment, this.options.log);
    this.environments.add(environment);
    return environment;
  }
}
