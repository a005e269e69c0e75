// Bodies, the caller and zod issues as the HTTP plumbing reads them.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJsonBody } from '../../../functions/http/request-body.ts';
import { requestCaller, requireRole } from '../../../functions/http/request-caller.ts';
import { validateInput } from '../../../functions/http/validate-input.ts';
import { httpApiEvent, testCaller, thrownApiError } from '../../support/http-api-event.ts';

describe('parseJsonBody', () => {
  it('decodes a base64-encoded body before parsing it', () => {
    const event = httpApiEvent('POST /v1/things');
    event.body = Buffer.from('{"name":"ünï"}', 'utf8').toString('base64');
    event.isBase64Encoded = true;
    expect(parseJsonBody(event)).toEqual({ name: 'ünï' });
  });

  it('reports malformed JSON with the parser’s message on the body field', () => {
    const error = thrownApiError(() => parseJsonBody(httpApiEvent('POST /v1/things', { body: '{"a":' })));
    expect(error).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(error.details).toEqual([{ field: 'body', message: expect.any(String) }]);
  });
});

describe('requestCaller', () => {
  it('is the caller the authorizer established, and nothing a header says', () => {
    const event = httpApiEvent('GET /v1/things', { caller: testCaller('acme-eu', ['admin']) });
    event.headers = { ...event.headers, 'x-trustgate-tenant': 'other', 'x-trustgate-role': 'reviewer' };
    expect(requestCaller(event)).toMatchObject({ tenantId: 'acme-eu', roles: ['admin'] });
  });

  it('refuses with 401 naming the authorizer’s reason and asking for a Bearer key', () => {
    const error = thrownApiError(() =>
      requestCaller(httpApiEvent('GET /v1/things', { caller: null, unauthenticated: 'revoked_key' })),
    );
    expect(error).toMatchObject({
      status: 401,
      code: 'revoked_key',
      details: [{ field: 'headers.authorization' }],
      headers: { 'www-authenticate': 'Bearer realm="trustgate"' },
    });
  });

  it('refuses a request without any authorizer context (a route wired without the authorizer)', () => {
    const event = httpApiEvent('GET /v1/things');
    delete event.requestContext.authorizer;
    expect(thrownApiError(() => requestCaller(event))).toMatchObject({ status: 401, code: 'missing_key' });
  });

  it('refuses a context whose tenant could forge a composite key', () => {
    const event = httpApiEvent('GET /v1/things', { caller: testCaller('acme#agent') });
    expect(thrownApiError(() => requestCaller(event))).toMatchObject({ status: 401 });
  });
});

describe('requireRole', () => {
  it('lets an admin do what an operator may, and names the role a caller lacks', () => {
    expect(() => requireRole(testCaller('t', ['admin']), 'operator', 'starting a workflow')).not.toThrow();
    const error = thrownApiError(() =>
      requireRole(testCaller('t', ['operator']), 'admin', 'deleting a webhook'),
    );
    expect(error).toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'deleting a webhook needs the admin role',
    });
    expect(error.details).toEqual([
      { field: 'headers.authorization', message: "this key's roles: operator" },
    ]);
  });

  it('does not make an admin a reviewer', () => {
    expect(
      thrownApiError(() => requireRole(testCaller('t', ['admin']), 'reviewer', 'answering')),
    ).toMatchObject({
      status: 403,
    });
  });
});

describe('validateInput', () => {
  const schema = z.strictObject({ outer: z.strictObject({ count: z.number().min(0) }) });

  it('names nested fields with dotted paths under the prefix', () => {
    const error = thrownApiError(() =>
      validateInput(schema, { outer: { count: -1 } }, 'queryStringParameters'),
    );
    expect(error.details.map((detail) => detail.field)).toEqual(['queryStringParameters.outer.count']);
  });

  it('names each unknown key of a strict object as its own field', () => {
    const error = thrownApiError(() => validateInput(schema, { outer: { count: 1, extra: 1, more: 2 } }));
    expect(error.details).toEqual([
      { field: 'outer.extra', message: 'unknown field' },
      { field: 'outer.more', message: 'unknown field' },
    ]);
  });
});
