import { describe, expect, it } from 'vitest';
import { isExpiredTaskError } from '../../../functions/app/escalations/task-response.ts';

describe('isExpiredTaskError', () => {
  it('recognises the errors Step Functions answers to a task that no longer waits, by name', () => {
    for (const name of ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']) {
      expect(isExpiredTaskError(Object.assign(new Error('x'), { name }))).toBe(true);
    }
  });

  it('leaves every other failure to be rethrown', () => {
    for (const error of [
      Object.assign(new Error('x'), { name: 'ThrottlingException' }),
      Object.assign(new Error('x'), { name: 'InvalidOutput' }),
      new Error('TaskTimedOut'),
      'TaskTimedOut',
      undefined,
      null,
    ]) {
      expect(isExpiredTaskError(error)).toBe(false);
    }
  });
});
