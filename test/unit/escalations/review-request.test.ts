// The answer's request as the routes validate it, before anything is read: the reviewer key, id, body.
import { describe, expect, it } from 'vitest';
import { reviewRequest } from '../../../functions/app/escalations/review-request.ts';
import type { Caller } from '../../../functions/core/auth/caller.ts';
import { requestCaller } from '../../../functions/http/request-caller.ts';
import {
  type HttpApiEventOptions,
  httpApiEvent,
  testCaller,
  thrownApiError,
} from '../../support/http-api-event.ts';

const id = `esc-${'0'.repeat(32)}`;
const reviewer = testCaller('acme', ['reviewer'], 2, 'alice@example.com');

function answer(options: HttpApiEventOptions, kind: 'approve' | 'reject', caller: Caller = reviewer) {
  const event = httpApiEvent(`POST /v1/escalations/{id}/${kind}`, {
    pathParameters: { id },
    caller,
    ...options,
  });
  return reviewRequest(event, requestCaller(event), kind);
}

describe('reviewRequest', () => {
  it('takes tenant, reviewer name and level from the key, and an approval without a body', () => {
    expect(answer({}, 'approve')).toEqual({
      tenantId: 'acme',
      escalationId: id,
      reviewer: 'alice@example.com',
      reviewerLevel: 2,
      verdict: { kind: 'approve' },
    });
  });

  it('ignores the reviewer headers of the header era: the key alone says who and at which level', () => {
    const request = answer(
      { headers: { 'x-trustgate-reviewer-level': '3', 'x-trustgate-reviewer': 'mallory' } },
      'approve',
    );
    expect(request).toMatchObject({ reviewer: 'alice@example.com', reviewerLevel: 2 });
  });

  it('trims the comment and the reason', () => {
    expect(answer({ body: { comment: '  ok  ' } }, 'approve').verdict).toEqual({
      kind: 'approve',
      comment: 'ok',
    });
    expect(answer({ body: { reason: ' no ' } }, 'reject').verdict).toEqual({ kind: 'reject', reason: 'no' });
  });

  it('is forbidden to operators and admins without the reviewer role, before any other check', () => {
    for (const roles of [['operator'], ['admin']] as const) {
      const error = thrownApiError(() => answer({ body: '{' }, 'approve', testCaller('acme', [...roles])));
      expect(error).toMatchObject({ status: 403, code: 'forbidden' });
      expect(error.message).toBe('answering an escalation needs the reviewer role');
    }
  });

  it('refuses a reason over 1000 characters and a comment that is not a string', () => {
    const long = thrownApiError(() => answer({ body: { reason: 'x'.repeat(1001) } }, 'reject'));
    expect(long.details).toEqual([{ field: 'reason', message: expect.any(String) }]);
    const notText = thrownApiError(() => answer({ body: { comment: 7 } }, 'approve'));
    expect(notText.details).toEqual([{ field: 'comment', message: expect.any(String) }]);
  });

  it('refuses a malformed escalation id naming the path parameter', () => {
    const event = httpApiEvent('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: 'esc-123' },
      caller: reviewer,
    });
    expect(thrownApiError(() => reviewRequest(event, reviewer, 'approve')).details[0]!.field).toBe(
      'pathParameters.id',
    );
  });
});
