import { describe, expect, it } from 'vitest';
import { GATE_ERROR_NAMES } from '../../../functions/app/gate/gate-errors.ts';
import {
  failedStepIndex,
  workflowError,
  workflowErrorCode,
  workflowErrorMessage,
} from '../../../functions/app/workflows/workflow-error.ts';
import type { StepStatus } from '../../../functions/app/workflows/workflow-item.ts';

describe('workflowErrorCode', () => {
  it('turns each gate error into a snake_case code without the namespace', () => {
    expect(Object.values(GATE_ERROR_NAMES).map(workflowErrorCode)).toEqual([
      'step_denied',
      'step_escalated',
      'circuit_open',
      'rate_limited',
      'contended',
      'provider_failed',
      'provider_rejected',
      'step_invalid',
      'injected_failure',
      'no_qualified_agent',
      'escalation_timed_out',
      'escalation_refused',
      'escalation_rejected',
      'compensation_failed',
    ]);
  });

  it('keeps the namespace of errors that are not the app own', () => {
    expect(workflowErrorCode('States.Timeout')).toBe('states_timeout');
    expect(workflowErrorCode('Lambda.Unknown')).toBe('lambda_unknown');
    expect(workflowErrorCode('Lambda.TooManyRequestsException')).toBe('lambda_too_many_requests_exception');
  });
});

describe('workflowErrorMessage', () => {
  it('is the errorMessage of a Lambda error payload', () => {
    const cause = JSON.stringify({
      errorType: 'Trustgate.StepDenied',
      errorMessage: 'agent "writer" does not declare the capability "search_web"',
      trace: ['at gate'],
    });

    expect(workflowErrorMessage(cause)).toBe('agent "writer" does not declare the capability "search_web"');
  });

  it('is the cause itself when it is plain text or JSON of another shape', () => {
    expect(workflowErrorMessage('Task timed out after 30.00 seconds')).toBe(
      'Task timed out after 30.00 seconds',
    );
    expect(workflowErrorMessage('{"reason":"x"}')).toBe('{"reason":"x"}');
  });

  it('says so when there is no cause', () => {
    expect(workflowErrorMessage(undefined)).toBe('no cause was reported');
    expect(workflowErrorMessage('')).toBe('no cause was reported');
  });
});

describe('workflowError', () => {
  it('names the failed step when there is one', () => {
    const caught = { Error: 'Trustgate.StepEscalated', Cause: JSON.stringify({ errorMessage: 'level 1' }) };

    expect(workflowError(caught, 'analysis')).toEqual({
      code: 'step_escalated',
      message: 'level 1',
      step: 'analysis',
    });
    expect(workflowError(caught, undefined)).toEqual({ code: 'step_escalated', message: 'level 1' });
  });
});

describe('failedStepIndex', () => {
  const steps = (...statuses: StepStatus[]) => statuses.map((status) => ({ status }));

  it('is the first FAILED step, even behind an earlier one that has not finished (parallel)', () => {
    expect(failedStepIndex(steps('SUCCEEDED', 'PENDING', 'FAILED', 'FAILED'))).toBe(2);
  });

  it('is the first step that neither succeeded nor was compensated when no step was marked FAILED', () => {
    expect(failedStepIndex(steps('SUCCEEDED', 'DECIDED', 'PENDING'))).toBe(1);
    expect(failedStepIndex(steps('COMPENSATED', 'SUCCEEDED', 'WAITING_APPROVAL'))).toBe(2);
  });

  it('is -1 when every step ran, so the failure came after them', () => {
    expect(failedStepIndex(steps('SUCCEEDED', 'COMPENSATED'))).toBe(-1);
    expect(failedStepIndex([])).toBe(-1);
  });
});
