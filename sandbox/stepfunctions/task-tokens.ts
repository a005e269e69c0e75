import { randomBytes } from 'node:crypto';
import { AwsServiceError } from '../contracts.ts';
import type { JsonValue } from './json.ts';
import { parseJsonDocument } from './json.ts';
import { TaskFailure } from './task-errors.ts';

// Tokens are opaque to callers, as in AWS: a fixed prefix and 96 random bytes in base64.
const TOKEN_PREFIX = 'AQC';
const TOKEN_PATTERN = /^AQC[A-Za-z0-9+/]{128}$/;
const MAX_TOKEN_LENGTH = 1024;
// Step Functions caps a task result at 256 KiB.
const MAX_OUTPUT_BYTES = 256 * 1024;

interface WaitingTask {
  resolve(output: JsonValue): void;
  reject(failure: TaskFailure): void;
  onHeartbeat(): void;
}

export interface TokenWait {
  token: string;
  /** Settles with SendTaskSuccess's output or rejects with SendTaskFailure's error. */
  outcome: Promise<JsonValue>;
}

/** Task tokens of `.waitForTaskToken` tasks and the SendTaskSuccess/Failure/Heartbeat calls answering them. */
export class TaskTokenRegistry {
  private readonly waiting = new Map<string, WaitingTask>();
  // Tokens whose task already closed: AWS answers TaskTimedOut to them, TaskDoesNotExist to the rest.
  private readonly closed = new Set<string>();

  mint(onHeartbeat: () => void): TokenWait {
    const token = `${TOKEN_PREFIX}${randomBytes(96).toString('base64')}`;
    const outcome = new Promise<JsonValue>((resolve, reject) => {
      this.waiting.set(token, { resolve, reject, onHeartbeat });
    });
    // The answer may come while the integration call is still in flight, before anyone awaits it.
    outcome.catch(() => {});
    return { token, outcome };
  }

  /** Called when the task ends for any reason: later answers to its token are refused. */
  close(token: string): void {
    if (this.waiting.delete(token)) this.closed.add(token);
  }

  succeed(token: unknown, output: unknown): void {
    const task = this.take(token);
    if (typeof output !== 'string') {
      throw new AwsServiceError(
        'ValidationException',
        "1 validation error detected: 'output' must not be null",
      );
    }
    if (Buffer.byteLength(output) > MAX_OUTPUT_BYTES) {
      throw new AwsServiceError('InvalidOutput', 'The output exceeds the maximum size of 262144 bytes');
    }
    const parsed = parseJsonDocument(output);
    if (parsed === undefined)
      throw new AwsServiceError('InvalidOutput', 'Invalid output: the output is not valid JSON');
    this.retire(token as string);
    task.resolve(parsed);
  }

  fail(token: unknown, error: unknown, cause: unknown): void {
    const task = this.take(token);
    this.retire(token as string);
    task.reject(
      new TaskFailure(typeof error === 'string' ? error : '', typeof cause === 'string' ? cause : ''),
    );
  }

  heartbeat(token: unknown): void {
    this.take(token).onHeartbeat();
  }

  private take(token: unknown): WaitingTask {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new AwsServiceError(
        'ValidationException',
        "1 validation error detected: 'taskToken' must have length between 1 and 1024",
      );
    }
    if (!TOKEN_PATTERN.test(token)) throw new AwsServiceError('InvalidToken', 'Invalid token');
    const task = this.waiting.get(token);
    if (task) return task;
    if (this.closed.has(token)) throw new AwsServiceError('TaskTimedOut', 'Task Timed Out');
    throw new AwsServiceError('TaskDoesNotExist', 'Task does not exist');
  }

  private retire(token: string): void {
    this.waiting.delete(token);
    this.closed.add(token);
  }
}
