import { describe, expect, it } from 'vitest';
import {
  contextScore,
  DEPLOYMENT_ENVIRONMENTS,
  type DeploymentContext,
} from '../../../functions/core/trust/context.ts';

const bare = { vpcIsolated: false, mtls: false, managedSecrets: false };

describe('contextScore', () => {
  it.each([
    ['sandbox', 1],
    ['development', 0.8],
    ['staging', 0.6],
    ['production', 0.4],
    ['public', 0.2],
  ] as const)('scores environment %s as %d without hardening', (environment, score) => {
    expect(contextScore({ environment, ...bare })).toBe(score);
  });

  it.each([
    [{ vpcIsolated: true }, 0.4],
    [{ mtls: true }, 0.3],
    [{ managedSecrets: true }, 0.3],
    [{ vpcIsolated: true, mtls: true, managedSecrets: true }, 0.6],
  ] as const)('adds hardening bonuses %o exactly (public → %d)', (hardening, score) => {
    const context: DeploymentContext = { environment: 'public', ...bare, ...hardening };
    expect(contextScore(context)).toBe(score);
  });

  it('reaches exactly 0.8 for fully hardened production', () => {
    expect(
      contextScore({ environment: 'production', vpcIsolated: true, mtls: true, managedSecrets: true }),
    ).toBe(0.8);
  });

  it('clips at 1 when bonuses would exceed it', () => {
    expect(
      contextScore({ environment: 'sandbox', vpcIsolated: true, mtls: true, managedSecrets: true }),
    ).toBe(1);
    expect(contextScore({ environment: 'development', ...bare, vpcIsolated: true, mtls: true })).toBe(1);
  });

  it('exports the environment vocabulary for input validation', () => {
    expect(DEPLOYMENT_ENVIRONMENTS).toEqual(['sandbox', 'development', 'staging', 'production', 'public']);
  });
});
