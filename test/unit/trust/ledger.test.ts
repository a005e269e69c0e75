import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VIOLATION_SEVERITIES } from '../../../functions/core/trust/compliance.ts';
import { MS_PER_DAY } from '../../../functions/core/trust/elapsed-days.ts';
import { initialTrustState } from '../../../functions/core/trust/initial-score.ts';
import { applyTrustSignal } from '../../../functions/core/trust/ledger.ts';
import type { ExecutionOutcomeSignal, TrustSignal } from '../../../functions/core/trust/signals.ts';
import { type Tier, tierForScore } from '../../../functions/core/trust/tiers.ts';
import {
  effectiveScore,
  OUTCOME_HISTORY_LIMIT,
  type TrustState,
} from '../../../functions/core/trust/trust-state.ts';

const t0 = Date.UTC(2026, 3, 1);

// organization (0.8) in production with VPC isolation (0.6): 450 + 160 + 90 = 700, the bottom of T4.
function agentAt700(): TrustState {
  return initialTrustState(
    {
      identity: { verificationLevel: 'organization', certificate: 'registered' },
      context: { environment: 'production', vpcIsolated: true, mtls: false, managedSecrets: false },
    },
    t0,
  );
}

function outcome(
  at: number,
  result: 'success' | 'failure',
  agentTierAtTime: Tier = 4,
): ExecutionOutcomeSignal {
  return { kind: 'execution_outcome', at, outcome: result, agentTierAtTime };
}

describe('applyTrustSignal: events', () => {
  it('emits trust.changed without trust.tier_changed for a move inside a tier', () => {
    const { state, events } = applyTrustSignal(agentAt700(), outcome(t0, 'success'), t0);
    expect(effectiveScore(state, t0)).toBe(720);
    expect(events).toEqual([
      {
        type: 'trust.changed',
        cause: 'execution_outcome',
        previousScore: 700,
        score: 720,
        previousTier: 4,
        tier: 4,
      },
    ]);
  });

  it('emits trust.violation, trust.changed and trust.tier_changed when a violation crosses a boundary', () => {
    const { state, events } = applyTrustSignal(agentAt700(), { kind: 'violation', severity: 'low' }, t0);
    expect(state.components.compliance).toBe(0.9);
    expect(events).toEqual([
      { type: 'trust.violation', severity: 'low', previousCompliance: 1, compliance: 0.9 },
      { type: 'trust.changed', cause: 'violation', previousScore: 700, score: 675, previousTier: 4, tier: 3 },
      { type: 'trust.tier_changed', from: 4, to: 3, direction: 'demotion', score: 675 },
    ]);
  });

  it('emits trust.tier_changed on the way back up', () => {
    const demoted = applyTrustSignal(agentAt700(), { kind: 'violation', severity: 'low' }, t0).state;
    const { events } = applyTrustSignal(demoted, { kind: 'audit_passed' }, t0);
    expect(events).toContainEqual({
      type: 'trust.tier_changed',
      from: 3,
      to: 4,
      direction: 'promotion',
      score: 700,
    });
  });

  it('emits nothing when the score does not move', () => {
    expect(applyTrustSignal(agentAt700(), { kind: 'audit_passed' }, t0).events).toEqual([]);
    expect(applyTrustSignal(agentAt700(), { kind: 'remediation', fast: false }, t0).events).toEqual([]);
  });

  it('still reports a violation when compliance is already at 0', () => {
    const exhausted = applyTrustSignal(agentAt700(), { kind: 'violation', severity: 'critical' }, t0).state;
    const { events } = applyTrustSignal(exhausted, { kind: 'violation', severity: 'low' }, t0);
    expect(events).toEqual([
      { type: 'trust.violation', severity: 'low', previousCompliance: 0, compliance: 0 },
    ]);
  });
});

describe('applyTrustSignal: activity and decay', () => {
  it('counts an execution outcome as activity, restoring a decayed score', () => {
    const now = t0 + 28 * MS_PER_DAY;
    const { state, events } = applyTrustSignal(agentAt700(), outcome(now, 'success'), now);
    expect(state.lastActivityAt).toBe(now);
    expect(events).toEqual([
      {
        type: 'trust.changed',
        cause: 'execution_outcome',
        previousScore: 525,
        score: 720,
        previousTier: 3,
        tier: 4,
      },
      { type: 'trust.tier_changed', from: 3, to: 4, direction: 'promotion', score: 720 },
    ]);
  });

  it('does not count compliance signals as activity, so a dormant agent keeps decaying', () => {
    const now = t0 + 28 * MS_PER_DAY;
    const { state, events } = applyTrustSignal(agentAt700(), { kind: 'violation', severity: 'low' }, now);
    expect(state.lastActivityAt).toBe(t0);
    expect(events).toContainEqual({
      type: 'trust.changed',
      cause: 'violation',
      previousScore: 525,
      score: 675 * 0.75,
      previousTier: 3,
      tier: 3,
    });
  });

  it('keeps lastActivityAt when a late outcome arrives out of order', () => {
    const recent = applyTrustSignal(
      agentAt700(),
      outcome(t0 + 5 * MS_PER_DAY, 'success'),
      t0 + 5 * MS_PER_DAY,
    );
    const late = applyTrustSignal(recent.state, outcome(t0 + MS_PER_DAY, 'failure'), t0 + 5 * MS_PER_DAY);
    expect(late.state.lastActivityAt).toBe(t0 + 5 * MS_PER_DAY);
    expect(late.state.recentOutcomes.map((o) => o.at)).toEqual([t0 + MS_PER_DAY, t0 + 5 * MS_PER_DAY]);
  });
});

describe('applyTrustSignal: history', () => {
  it('stores outcomes without the signal kind and bounds them to the newest OUTCOME_HISTORY_LIMIT', () => {
    let state = agentAt700();
    const total = OUTCOME_HISTORY_LIMIT + 5;
    for (let i = 0; i < total; i++) state = applyTrustSignal(state, outcome(t0 + i, 'success'), t0 + i).state;
    expect(state.recentOutcomes).toHaveLength(OUTCOME_HISTORY_LIMIT);
    expect(state.recentOutcomes[0]).toEqual({ at: t0 + 5, outcome: 'success', agentTierAtTime: 4 });
    expect(state.recentOutcomes.at(-1)?.at).toBe(t0 + total - 1);
  });

  it('makes a failure at T5 cost more than the same failure at T1', () => {
    const t5 = applyTrustSignal(agentAt700(), outcome(t0, 'failure', 5), t0).state;
    const t1 = applyTrustSignal(agentAt700(), outcome(t0, 'failure', 1), t0).state;
    expect(effectiveScore(t5, t0)).toBeLessThan(effectiveScore(t1, t0));
  });
});

describe('applyTrustSignal: properties', () => {
  const tier = fc.constantFrom<Tier>(0, 1, 2, 3, 4, 5);
  const signal: fc.Arbitrary<(now: number) => TrustSignal> = fc.oneof(
    fc
      .record({
        ageMs: fc.integer({ min: 0, max: 30 * MS_PER_DAY }),
        result: fc.constantFrom('success' as const, 'failure' as const),
        agentTierAtTime: tier,
        quality: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        efficiencyBonus: fc.option(fc.double({ min: 0, max: 0.1, noNaN: true }), { nil: undefined }),
      })
      .map(({ ageMs, result, ...rest }) => (now: number) => ({
        kind: 'execution_outcome' as const,
        at: now - ageMs,
        outcome: result,
        ...rest,
      })),
    fc
      .constantFrom(...VIOLATION_SEVERITIES)
      .map((severity) => () => ({ kind: 'violation' as const, severity })),
    fc.constant(() => ({ kind: 'audit_passed' as const })),
    fc.boolean().map((fast) => () => ({ kind: 'remediation' as const, fast })),
  );
  const step = fc.record({ signal, gapMs: fc.integer({ min: 0, max: 60 * MS_PER_DAY }) });
  const admin = fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined });

  it('keeps the score in [0, 1000], components in [0, 1], and emits events exactly when warranted', () => {
    fc.assert(
      fc.property(admin, fc.array(step, { maxLength: 40 }), (adminInitialScore, steps) => {
        let state = initialTrustState(
          {
            identity: { verificationLevel: 'domain', certificate: 'verified' },
            context: { environment: 'staging', vpcIsolated: false, mtls: true, managedSecrets: false },
            adminInitialScore,
          },
          t0,
        );
        let now = t0;
        for (const { signal: makeSignal, gapMs } of steps) {
          now += gapMs;
          const applied = makeSignal(now);
          const before = effectiveScore(state, now);
          const result = applyTrustSignal(state, applied, now);
          const after = effectiveScore(result.state, now);
          const types = result.events.map((event) => event.type);

          expect(after).toBeGreaterThanOrEqual(0);
          expect(after).toBeLessThanOrEqual(1000);
          for (const value of Object.values(result.state.components)) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1);
          }
          expect(types.includes('trust.changed')).toBe(after !== before);
          expect(types.includes('trust.tier_changed')).toBe(tierForScore(after) !== tierForScore(before));
          expect(types.includes('trust.violation')).toBe(applied.kind === 'violation');
          state = result.state;
        }
      }),
    );
  });
});
