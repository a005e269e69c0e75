import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionOutcome } from '../../../functions/core/trust/behavioral.ts';
import { DEPLOYMENT_ENVIRONMENTS, type DeploymentContext } from '../../../functions/core/trust/context.ts';
import {
  CERTIFICATE_LEVELS,
  IDENTITY_VERIFICATION_LEVELS,
  type IdentityEvidence,
} from '../../../functions/core/trust/identity.ts';
import { initialTrustState } from '../../../functions/core/trust/initial-score.ts';
import { applyTrustSignal } from '../../../functions/core/trust/ledger.ts';
import { tierForScore } from '../../../functions/core/trust/tiers.ts';
import { baseScore, type TrustState } from '../../../functions/core/trust/trust-state.ts';

const registeredAt = Date.UTC(2026, 2, 1);
const weakIdentity: IdentityEvidence = { verificationLevel: 'unverified', certificate: 'registered' };
const strongIdentity: IdentityEvidence = { verificationLevel: 'enterprise', certificate: 'certified-plus' };
const exposed: DeploymentContext = {
  environment: 'public',
  vpcIsolated: false,
  mtls: false,
  managedSecrets: false,
};
const contained: DeploymentContext = {
  environment: 'sandbox',
  vpcIsolated: true,
  mtls: true,
  managedSecrets: true,
};

function succeed(state: TrustState, times: number): TrustState {
  let current = state;
  for (let i = 0; i < times; i++) {
    const outcome: ExecutionOutcome = { at: registeredAt + i, outcome: 'success', agentTierAtTime: 3 };
    current = applyTrustSignal(current, { kind: 'execution_outcome', ...outcome }, registeredAt + i).state;
  }
  return current;
}

describe('initialTrustState without an admin score', () => {
  it('scores identity and context with neutral behavior (0.5) and full compliance (1.0)', () => {
    const state = initialTrustState({ identity: strongIdentity, context: contained }, registeredAt);
    expect(state.components).toEqual({ behavioral: 0.5, compliance: 1, identity: 1, context: 1 });
    expect(baseScore(state)).toBe(800);
  });

  it('gives the weakest registration 450 + 200·0.2 + 150·0.2 = 520', () => {
    expect(baseScore(initialTrustState({ identity: weakIdentity, context: exposed }, registeredAt))).toBe(
      520,
    );
  });

  it('starts with no outcomes, no adjustment, and activity at registration', () => {
    const state = initialTrustState({ identity: weakIdentity, context: exposed }, registeredAt);
    expect(state.recentOutcomes).toEqual([]);
    expect(state.adminAdjustment).toBe(0);
    expect(state.lastActivityAt).toBe(registeredAt);
  });
});

describe('initialTrustState with an admin score', () => {
  it('starts exactly at the admin score, above or below what the components give', () => {
    expect(
      baseScore(initialTrustState({ identity: weakIdentity, context: exposed, adminInitialScore: 950 }, 0)),
    ).toBe(950);
    expect(
      baseScore(
        initialTrustState({ identity: strongIdentity, context: contained, adminInitialScore: 180 }, 0),
      ),
    ).toBe(180);
  });

  it('keeps the honest components and stores the difference as the adjustment', () => {
    const state = initialTrustState({ identity: weakIdentity, context: exposed, adminInitialScore: 950 }, 0);
    expect(state.components).toEqual({ behavioral: 0.5, compliance: 1, identity: 0.2, context: 0.2 });
    expect(state.adminAdjustment).toBe(430);
  });

  it('fades the adjustment out linearly over the first 10 outcomes', () => {
    const state = initialTrustState(
      { identity: weakIdentity, context: exposed, adminInitialScore: 950 },
      registeredAt,
    );
    // Successes only: behavioral = (n/10)·1 + (1 − n/10)·0.5, composite = 520 + 400·(behavioral − 0.5).
    expect(baseScore(succeed(state, 5))).toBe(520 + 100 + 430 * 0.5);
    expect(baseScore(succeed(state, 10))).toBe(720);
    expect(baseScore(succeed(state, 12))).toBe(720);
  });

  it('lets violations lower a migrated score at once', () => {
    const state = initialTrustState(
      { identity: weakIdentity, context: exposed, adminInitialScore: 950 },
      registeredAt,
    );
    const after = applyTrustSignal(state, { kind: 'violation', severity: 'high' }, registeredAt).state;
    expect(baseScore(after)).toBe(950 - 250 * 0.5);
  });

  it('rejects scores outside [0, 1000] and NaN', () => {
    for (const adminInitialScore of [-1, 1000.5, Number.NaN]) {
      expect(() =>
        initialTrustState({ identity: weakIdentity, context: exposed, adminInitialScore }, 0),
      ).toThrow(RangeError);
    }
  });

  it('reproduces any integer admin score exactly, whatever the identity and context', () => {
    const identity = fc.record({
      verificationLevel: fc.constantFrom(...IDENTITY_VERIFICATION_LEVELS),
      certificate: fc.constantFrom(...CERTIFICATE_LEVELS),
    });
    const context = fc.record({
      environment: fc.constantFrom(...DEPLOYMENT_ENVIRONMENTS),
      vpcIsolated: fc.boolean(),
      mtls: fc.boolean(),
      managedSecrets: fc.boolean(),
    });
    fc.assert(
      fc.property(identity, context, fc.integer({ min: 0, max: 1000 }), (id, ctx, adminInitialScore) => {
        const score = baseScore(initialTrustState({ identity: id, context: ctx, adminInitialScore }, 0));
        expect(score).toBe(adminInitialScore);
        expect(tierForScore(score)).toBe(tierForScore(adminInitialScore));
      }),
    );
  });
});
