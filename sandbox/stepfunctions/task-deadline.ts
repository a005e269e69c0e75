import type { LongTimer } from './long-timer.ts';
import { startLongTimer } from './long-timer.ts';
import { ExecutionClosedError } from './task-errors.ts';

/** Raised when a task outlives its TimeoutSeconds or goes HeartbeatSeconds without a heartbeat. */
export class DeadlineExpired extends Error {}

/**
 * The deadlines of one task attempt. `race` settles a step of the task (the service call, the
 * wait for its token) or rejects when a deadline passes or the execution closes, whichever is first.
 */
export class TaskDeadline {
  private readonly expired: Promise<never>;
  private expire!: (reason: Error) => void;
  private readonly timeout?: LongTimer;
  private heartbeatTimer?: LongTimer;
  private readonly onExecutionClosed = () => this.expire(new ExecutionClosedError());

  constructor(
    private readonly executionClosed: AbortSignal,
    timeoutSeconds: number | undefined,
    private readonly heartbeatSeconds: number | undefined,
  ) {
    this.expired = new Promise<never>((_resolve, reject) => {
      this.expire = reject;
    });
    // A deadline may pass between two steps, when nothing races it yet; the next race still sees it.
    this.expired.catch(() => {});
    if (timeoutSeconds !== undefined) {
      this.timeout = startLongTimer(timeoutSeconds * 1000, () => this.expire(new DeadlineExpired('timeout')));
    }
    this.heartbeat();
    if (executionClosed.aborted) this.onExecutionClosed();
    executionClosed.addEventListener('abort', this.onExecutionClosed, { once: true });
  }

  /** Restarts the heartbeat interval (SendTaskHeartbeat). */
  heartbeat(): void {
    if (this.heartbeatSeconds === undefined) return;
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = startLongTimer(this.heartbeatSeconds * 1000, () =>
      this.expire(new DeadlineExpired('heartbeat')),
    );
  }

  race<T>(step: Promise<T>): Promise<T> {
    return Promise.race([step, this.expired]);
  }

  dispose(): void {
    this.timeout?.cancel();
    this.heartbeatTimer?.cancel();
    this.executionClosed.removeEventListener('abort', this.onExecutionClosed);
  }
}
