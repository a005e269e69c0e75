// The seam between a reviewer's answer and the waiting state machine: the task token of the escalation's
// AwaitApproval task is answered with SendTaskSuccess (approve) or SendTaskFailure (reject). An interface
// of our own, so the review flow can be exercised with a recorder, and one implementation on the SFN
// client (default configuration: AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL point it at the sandbox).
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';

export interface TaskResponder {
  succeed(token: string, output: object): Promise<void>;
  fail(token: string, error: string, cause: string): Promise<void>;
}

export function sfnTaskResponder(sfn: SFNClient): TaskResponder {
  return {
    async succeed(token, output) {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    },
    async fail(token, error, cause) {
      await sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
    },
  };
}

/**
 * What Step Functions answers when the task no longer waits: its SLA (TimeoutSecondsPath) expired, or the
 * execution ended. Recognised by name, as the SDK's modelled exceptions and the sandbox's errors both carry it.
 */
const EXPIRED_TASK_ERROR_NAMES = ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] as const;

export function isExpiredTaskError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name } = error as { name?: unknown };
  return EXPIRED_TASK_ERROR_NAMES.some((expired) => expired === name);
}
