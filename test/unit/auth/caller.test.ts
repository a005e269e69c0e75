// Roles and the authorizer context that carries the caller to the routes.
import { describe, expect, it } from 'vitest';
import {
  type Caller,
  callerContext,
  callerFromContext,
  hasRole,
  isPlatformAdmin,
} from '../../../functions/core/auth/caller.ts';

const reviewer: Caller = {
  tenantId: 'acme',
  keyId: 'AbCdEfGhIjKl',
  name: 'alice',
  roles: ['reviewer'],
  reviewerLevel: 2,
};

describe('roles', () => {
  it('gives an admin every operator right but not a reviewer’s', () => {
    const admin: Caller = { ...reviewer, roles: ['admin'], reviewerLevel: undefined };
    expect(hasRole(admin, 'operator')).toBe(true);
    expect(hasRole(admin, 'admin')).toBe(true);
    expect(hasRole(admin, 'reviewer')).toBe(false);
    expect(hasRole(reviewer, 'operator')).toBe(false);
  });

  it('makes only an admin of the platform tenant a platform admin', () => {
    expect(isPlatformAdmin({ ...reviewer, tenantId: 'platform', roles: ['admin'] })).toBe(true);
    expect(isPlatformAdmin({ ...reviewer, tenantId: 'platform', roles: ['operator'] })).toBe(false);
    expect(isPlatformAdmin({ ...reviewer, tenantId: 'acme', roles: ['admin'] })).toBe(false);
  });
});

describe('callerContext / callerFromContext', () => {
  it('round-trips a caller through flat strings', () => {
    expect(callerContext(reviewer)).toEqual({
      authenticated: 'true',
      tenantId: 'acme',
      keyId: 'AbCdEfGhIjKl',
      name: 'alice',
      roles: 'reviewer',
      reviewerLevel: '2',
      plan: '',
    });
    expect(callerFromContext(callerContext(reviewer))).toEqual(reviewer);
    const operator: Caller = {
      tenantId: 't',
      keyId: 'k',
      name: 'n',
      roles: ['admin', 'operator'],
      plan: 'pro',
    };
    expect(callerContext(operator).plan).toBe('pro');
    expect(callerFromContext(callerContext(operator))).toEqual(operator);
  });

  it.each([
    ['no context', undefined],
    ['an unauthenticated one', { authenticated: 'false', reason: 'revoked_key' }],
    ['a boolean flag', { ...callerContext(reviewer), authenticated: true }],
    ['a tenant with a key separator', { ...callerContext(reviewer), tenantId: 'a#b' }],
    ['an unknown role', { ...callerContext(reviewer), roles: 'reviewer,root' }],
    ['a level out of range', { ...callerContext(reviewer), reviewerLevel: '4' }],
    ['an unknown plan', { ...callerContext(reviewer), plan: 'unlimited' }],
  ])('is no caller for %s', (_, context) => {
    expect(callerFromContext(context as Record<string, unknown> | undefined)).toBeUndefined();
  });
});
