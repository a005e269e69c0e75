// Identity component (SPEC §2): how strongly the agent's owner is verified, plus a bonus for the
// agent's certificate, clipped to 1.
//   verification: unverified 0.2, email 0.4, domain 0.6, organization 0.8, enterprise 1.0
//   certificate:  registered +0, verified +0.1, certified +0.2, certified-plus +0.3

import { clampComponent } from './components.ts';

export const IDENTITY_VERIFICATION_LEVELS = [
  'unverified',
  'email',
  'domain',
  'organization',
  'enterprise',
] as const;
export type IdentityVerificationLevel = (typeof IDENTITY_VERIFICATION_LEVELS)[number];

export const CERTIFICATE_LEVELS = ['registered', 'verified', 'certified', 'certified-plus'] as const;
export type CertificateLevel = (typeof CERTIFICATE_LEVELS)[number];

export interface IdentityEvidence {
  verificationLevel: IdentityVerificationLevel;
  certificate: CertificateLevel;
}

// Kept in tenths and divided once, so 0.2 + 0.1 is exactly 0.3 and not 0.30000000000000004: scores are
// compared against tier boundaries exactly.
const VERIFICATION_TENTHS: Readonly<Record<IdentityVerificationLevel, number>> = {
  unverified: 2,
  email: 4,
  domain: 6,
  organization: 8,
  enterprise: 10,
};

const CERTIFICATE_BONUS_TENTHS: Readonly<Record<CertificateLevel, number>> = {
  registered: 0,
  verified: 1,
  certified: 2,
  'certified-plus': 3,
};

export function identityScore(evidence: IdentityEvidence): number {
  const tenths =
    VERIFICATION_TENTHS[evidence.verificationLevel] + CERTIFICATE_BONUS_TENTHS[evidence.certificate];
  return clampComponent(tenths / 10);
}
