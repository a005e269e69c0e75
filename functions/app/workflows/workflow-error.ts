// The `error` a failed workflow shows, from what the state machine's Catch caught: `{ Error, Cause }`.
// For a Lambda function error, Error is the function's errorType (the thrown error's name) and Cause the
// error payload `{"errorType","errorMessage","trace"}` as JSON text; for other failures (a task timeout,
// a Lambda service error) Cause is plain text or absent.
import type { StepState, WorkflowError } from './workflow-item.ts';

export interface CaughtError {
  Error: string;
  Cause?: string;
}

const APP_ERROR_PREFIX = 'Trustgate.';

/**
 * `Trustgate.StepDenied` → `step_denied`; errors of other origins keep their namespace so they cannot be
 * mistaken for ours: `States.Timeout` → `states_timeout`, `Lambda.Unknown` → `lambda_unknown`.
 */
export function workflowErrorCode(errorName: string): string {
  const name = errorName.startsWith(APP_ERROR_PREFIX) ? errorName.slice(APP_ERROR_PREFIX.length) : errorName;
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** The error's message: the Lambda payload's errorMessage when Cause is one, else Cause itself. */
export function workflowErrorMessage(cause: string | undefined): string {
  if (cause === undefined || cause === '') return 'no cause was reported';
  try {
    const payload: unknown = JSON.parse(cause);
    if (typeof payload === 'object' && payload !== null && 'errorMessage' in payload) {
      const { errorMessage } = payload as { errorMessage: unknown };
      if (typeof errorMessage === 'string') return errorMessage;
    }
  } catch {
    // Not JSON: a plain-text cause is the message as it stands.
  }
  return cause;
}

export function workflowError(caught: CaughtError, failedStep: string | undefined): WorkflowError {
  return {
    code: workflowErrorCode(caught.Error),
    message: workflowErrorMessage(caught.Cause),
    ...(failedStep === undefined ? {} : { step: failedStep }),
  };
}

/**
 * The index of the step a workflow failed at, or -1 when the failure came after (or before) every step.
 * The first FAILED step (record-step-failure marks it, and in a parallel run it need not be the first
 * step that is unfinished); else, for a failure nobody recorded on a step, the first step that neither
 * succeeded nor was compensated (a saga's compensated steps ran: they are not where it failed).
 */
export function failedStepIndex(steps: readonly Pick<StepState, 'status'>[]): number {
  const recorded = steps.findIndex((step) => step.status === 'FAILED');
  if (recorded >= 0) return recorded;
  return steps.findIndex((step) => step.status !== 'SUCCEEDED' && step.status !== 'COMPENSATED');
}
