import { describe, expect, it } from 'vitest';
import { isRetryableStatus, ProviderError } from '../../../functions/providers/provider.ts';

describe('provider error', () => {
  it('carries the provider kind, retryability, status, code and cause', () => {
    const cause = new Error('socket hang up');
    const error = new ProviderError('the endpoint answered 503', {
      providerKind: 'openai',
      retryable: true,
      statusCode: 503,
      code: 'server_error',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ProviderError',
      message: 'the endpoint answered 503',
      providerKind: 'openai',
      retryable: true,
      statusCode: 503,
      code: 'server_error',
      cause,
    });
  });

  it('leaves out what it was not given', () => {
    const error = new ProviderError('aborted', { providerKind: 'local', retryable: false });
    expect(error.statusCode).toBeUndefined();
    expect(error.code).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });

  it.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [422, false],
  ])('treats status %i as retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});
