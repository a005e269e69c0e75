import { describe, expect, it } from 'vitest';
import { GATE_ERROR_NAMES } from '../../../functions/app/gate/gate-errors.ts';
import {
  workflowError,
  workflowErrorCode,
  workflowErrorMessage,
} from '../../../functions/app/workflows/workflow-error.ts';

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
