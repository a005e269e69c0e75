import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_LEVELS,
  IDENTITY_VERIFICATION_LEVELS,
  identityScore,
} from '../../../functions/core/trust/identity.ts';

describe('identityScore', () => {
  it.each([
    ['unverified', 0.2],
    ['email', 0.4],
    ['domain', 0.6],
    ['organization', 0.8],
    ['enterprise', 1],
  ] as const)(
    'scores verification level %s as %d with a registered certificate',
    (verificationLevel, score) => {
      expect(identityScore({ verificationLevel, certificate: 'registered' })).toBe(score);
    },
  );

  it.each([
    ['registered', 0.2],
    ['verified', 0.3],
    ['certified', 0.4],
    ['certified-plus', 0.5],
  ] as const)('adds the %s certificate bonus exactly (unverified → %d)', (certificate, score) => {
    expect(identityScore({ verificationLevel: 'unverified', certificate })).toBe(score);
  });

  it('clips at 1 when the bonus would exceed it', () => {
    expect(identityScore({ verificationLevel: 'organization', certificate: 'certified' })).toBe(1);
    expect(identityScore({ verificationLevel: 'organization', certificate: 'certified-plus' })).toBe(1);
    expect(identityScore({ verificationLevel: 'enterprise', certificate: 'verified' })).toBe(1);
  });

  it('exports the level vocabularies for input validation', () => {
    expect(IDENTITY_VERIFICATION_LEVELS).toEqual([
      'unverified',
      'email',
      'domain',
      'organization',
      'enterprise',
    ]);
    expect(CERTIFICATE_LEVELS).toEqual(['registered', 'verified', 'certified', 'certified-plus']);
  });
});
