// The answer's request as the routes validate it, before anything is read: role, reviewer headers, id, body.
import { describe, expect, it } from 'vitest';
import { reviewRequest } from '../../../functions/app/escalations/review-request.ts';
import { requestReviewer } from '../../../functions/http/request-headers.ts';
import { type HttpApiEventOptions, httpApiEvent, thrownApiError } from '../../support/http-api-event.ts';

const id = `esc-${'0'.repeat(32)}`;

function approveEvent(options: HttpApiEventOptions) {
  return httpApiEvent('POST /v1/escalations/{id}/approve', { pathParameters: { id }, ...options });
}

describe('requestReviewer', () => {
  it('reads the level and the name whatever the header case, defaulting the name to anonymous', () => {
    const event = httpApiEvent('POST /x');
    event.headers = { 'X-Trustgate-Reviewer-Level': '3', 'X-Trustgate-Reviewer': 'alice@example.com' };
    expect(requestReviewer(event)).toEqual({ reviewer: 'alice@example.com', reviewerLevel: 3 });
    expect(
      requestReviewer(httpApiEvent('POST /x', { headers: { 'x-trustgate-reviewer-level': '1' } })),
    ).toEqual({
      reviewer: 'anonymous',
      reviewerLevel: 1,
    });
  });

  it.each(['', '0', '4', '2.0', ' 2', '-1', 'two', '1e0'])('refuses level %j naming the header', (level) => {
    const error = thrownApiError(() =>
      requestReviewer(httpApiEvent('POST /x', { headers: { 'x-trustgate-reviewer-level': level } })),
    );
    expect(error).toMatchObject({ status: 400, details: [{ field: 'headers.x-trustgate-reviewer-level' }] });
  });

  it('refuses a reviewer name that is no identifier', () => {
    const error = thrownApiError(() =>
      requestReviewer(
        httpApiEvent('POST /x', {
          headers: { 'x-trustgate-reviewer-level': '1', 'x-trustgate-reviewer': 'alice#admin' },
        }),
      ),
    );
    expect(error).toMatchObject({ status: 400, details: [{ field: 'headers.x-trustgate-reviewer' }] });
  });
});

describe('reviewRequest', () => {
  const reviewerHeaders = { 'x-trustgate-role': 'reviewer', 'x-trustgate-reviewer-level': '2' };

  it('reads tenant, reviewer, id and an approval without a body', () => {
    expect(
      reviewRequest(
        approveEvent({ headers: { ...reviewerHeaders, 'x-trustgate-tenant': 'acme' } }),
        'approve',
      ),
    ).toEqual({
      tenantId: 'acme',
      escalationId: id,
      reviewer: 'anonymous',
      reviewerLevel: 2,
      verdict: { kind: 'approve' },
    });
  });

  it('trims the comment and the reason', () => {
    expect(
      reviewRequest(approveEvent({ headers: reviewerHeaders, body: { comment: '  ok  ' } }), 'approve')
        .verdict,
    ).toEqual({ kind: 'approve', comment: 'ok' });
    expect(
      reviewRequest(approveEvent({ headers: reviewerHeaders, body: { reason: ' no ' } }), 'reject').verdict,
    ).toEqual({ kind: 'reject', reason: 'no' });
  });

  it('is forbidden to the operator role and to callers without a role, before any other check', () => {
    for (const headers of [{ 'x-trustgate-role': 'operator' }, {}] as Record<string, string>[]) {
      const error = thrownApiError(() => reviewRequest(approveEvent({ headers, body: '{' }), 'approve'));
      expect(error).toMatchObject({ status: 403, code: 'forbidden' });
    }
  });

  it('refuses a reason over 1000 characters and a comment that is not a string', () => {
    const long = thrownApiError(() =>
      reviewRequest(approveEvent({ headers: reviewerHeaders, body: { reason: 'x'.repeat(1001) } }), 'reject'),
    );
    expect(long.details).toEqual([{ field: 'reason', message: expect.any(String) }]);
    const notText = thrownApiError(() =>
      reviewRequest(approveEvent({ headers: reviewerHeaders, body: { comment: 7 } }), 'approve'),
    );
    expect(notText.details).toEqual([{ field: 'comment', message: expect.any(String) }]);
  });

  it('refuses a malformed escalation id naming the path parameter', () => {
    const event = httpApiEvent('POST /v1/escalations/{id}/approve', {
      pathParameters: { id: 'esc-123' },
      headers: reviewerHeaders,
    });
    expect(thrownApiError(() => reviewRequest(event, 'approve')).details[0]!.field).toBe('pathParameters.id');
  });
});
