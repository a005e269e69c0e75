// The trust state an agent starts with (SPEC §2).
//
// Without an admin score: identity and context from the registration, behavioral at the neutral
// prior 0.5 and compliance at 1.0, so the score is 450 + 200·identity + 150·context: from 520
// (unverified, public) to 800 (enterprise, sandbox).
// With an admin score (migrating an existing fleet) that score wins. The components stay the honest
// ones above, because identity and context are facts and behavior has no evidence yet; the difference
// is stored as `adminAdjustment` and fades out over the first 10 outcomes (trust-state.ts). Scaling the
// components instead could not reach every score (weak identity and context cap the composite) and
// would invent evidence that does not exist.

import { NEUTRAL_BEHAVIORAL_PRIOR } from './behavioral.ts';
import { INITIAL_COMPLIANCE } from './compliance.ts';
import { compositeScore, type TrustComponents } from './components.ts';
import { contextScore, type DeploymentContext } from './context.ts';
import type { EpochMillis } from './elapsed-days.ts';
import { type IdentityEvidence, identityScore } from './identity.ts';
import { MAX_SCORE, MIN_SCORE } from './tiers.ts';
import type { TrustState } from './trust-state.ts';

export interface TrustRegistration {
  identity: IdentityEvidence;
  context: DeploymentContext;
  /** 0 … 1000, set by an admin when migrating an agent whose trust was established elsewhere. */
  adminInitialScore?: number;
}

export function initialComponents(identity: IdentityEvidence, context: DeploymentContext): TrustComponents {
  return {
    behavioral: NEUTRAL_BEHAVIORAL_PRIOR,
    compliance: INITIAL_COMPLIANCE,
    identity: identityScore(identity),
    context: contextScore(context),
  };
}

export function initialTrustState(registration: TrustRegistration, registeredAt: EpochMillis): TrustState {
  const components = initialComponents(registration.identity, registration.context);
  const { adminInitialScore } = registration;
  if (adminInitialScore === undefined) {
    return { components, recentOutcomes: [], lastActivityAt: registeredAt, adminAdjustment: 0 };
  }
  // Unlike computed scores, which are clipped, an admin's number out of range is a mistake to report.
  if (!Number.isFinite(adminInitialScore) || adminInitialScore < MIN_SCORE || adminInitialScore > MAX_SCORE) {
    throw new RangeError(
      `admin initial score must be within [${MIN_SCORE}, ${MAX_SCORE}], got ${adminInitialScore}`,
    );
  }
  return {
    components,
    recentOutcomes: [],
    lastActivityAt: registeredAt,
    adminAdjustment: adminInitialScore - compositeScore(components),
  };
}
