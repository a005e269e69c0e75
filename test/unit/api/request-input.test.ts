// Bodies, headers and zod issues as the HTTP plumbing reads them.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJsonBody } from '../../../functions/http/request-body.ts';
import { callerRole, requestTenant } from '../../../functions/http/request-headers.ts';
import { validateInput } from '../../../functions/http/validate-input.ts';
import { httpApiEvent, thrownApiError } from '../../support/http-api-event.ts';

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

describe('tenant and role headers', () => {
  it('defaults the tenant to "default" and reads the header whatever its case', () => {
    expect(requestTenant(httpApiEvent('GET /v1/things'))).toBe('default');
    const event = httpApiEvent('GET /v1/things');
    event.headers = { 'X-Trustgate-Tenant': 'acme-eu', 'X-Trustgate-Role': 'admin' };
    expect(requestTenant(event)).toBe('acme-eu');
    expect(callerRole(event)).toBe('admin');
  });

  it('refuses a tenant that could forge a composite key', () => {
    const error = thrownApiError(() =>
      requestTenant(httpApiEvent('GET /v1/things', { headers: { 'x-trustgate-tenant': 'acme#agent' } })),
    );
    expect(error).toMatchObject({ status: 400, details: [{ field: 'headers.x-trustgate-tenant' }] });
  });

  it('has no role without the header', () => {
    expect(callerRole(httpApiEvent('GET /v1/things'))).toBeUndefined();
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
