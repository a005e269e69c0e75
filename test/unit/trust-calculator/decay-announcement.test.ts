import { describe, expect, it } from 'vitest';
import { baselineAnnouncement, decayAnnouncement } from '../../../functions/app/trust/decay-announcement.ts';
import { MS_PER_DAY } from '../../../functions/core/trust/elapsed-days.ts';
import { initialTrustState } from '../../../functions/core/trust/initial-score.ts';
import { effectiveScore } from '../../../functions/core/trust/trust-state.ts';

const registeredAt = Date.UTC(2026, 10, 1);
// Weak identity and context, with an admin score of 650 (T3).
const trust = initialTrustState(
  {
    identity: { verificationLevel: 'email', certificate: 'registered' },
    context: { environment: 'development', vpcIsolated: false, mtls: false, managedSecrets: false },
    adminInitialScore: 650,
  },
  registeredAt,
);
const agent = { agentId: 'research', trust };

describe('decay announcements', () => {
  it('takes the undecayed score at the last activity as the baseline of a never-announced agent', () => {
    expect(baselineAnnouncement(trust, undefined)).toEqual({
      score: 650,
      tier: 'T3',
      at: new Date(registeredAt).toISOString(),
    });
  });

  it('announces nothing while the agent is active (no decay in the first 6 days)', () => {
    expect(decayAnnouncement(agent, registeredAt + 6 * MS_PER_DAY)).toBeUndefined();
  });

  it('announces a tier drop after 30 days idle, keyed on the baseline it moved from', () => {
    const now = registeredAt + 30 * MS_PER_DAY;
    const due = decayAnnouncement(agent, now);
    const score = effectiveScore(trust, now);
    expect(score).toBeLessThan(500);
    expect(due).toEqual({
      key: `research#decay#${new Date(registeredAt).toISOString()}`,
      events: [
        {
          type: 'trust.changed',
          cause: 'decay',
          previousScore: 650,
          score,
          previousTier: 3,
          tier: 2,
        },
        { type: 'trust.tier_changed', from: 3, to: 2, direction: 'demotion', score },
      ],
      announcement: { score, tier: 'T2', at: new Date(now).toISOString() },
    });
  });

  it('announces nothing again once the decayed score was announced', () => {
    const now = registeredAt + 30 * MS_PER_DAY;
    const due = decayAnnouncement(agent, now)!;
    expect(decayAnnouncement({ ...agent, trustAnnouncement: due.announcement }, now)).toBeUndefined();
  });

  it('announces a move of a point within a tier, but not less', () => {
    // Between days 7 and 14 retention falls 1% a day: 6.5 points a day at 650.
    const announcedAt = registeredAt + 8 * MS_PER_DAY;
    const trustAnnouncement = {
      score: effectiveScore(trust, announcedAt),
      tier: 'T3' as const,
      at: new Date(announcedAt).toISOString(),
    };
    const announced = { ...agent, trustAnnouncement };
    const halfPointLater = announcedAt + MS_PER_DAY / 13;
    expect(trustAnnouncement.score - effectiveScore(trust, halfPointLater)).toBeLessThan(1);
    expect(decayAnnouncement(announced, halfPointLater)).toBeUndefined();
    const due = decayAnnouncement(announced, announcedAt + MS_PER_DAY / 2);
    expect(due?.key).toBe(`research#decay#${trustAnnouncement.at}`);
    expect(due?.events).toHaveLength(1);
    expect(due?.events[0]).toMatchObject({ type: 'trust.changed', previousScore: trustAnnouncement.score });
  });

  it('announces a tier crossing even when the score moved by less than a point', () => {
    // The instant the decayed score reaches 499.9, just below T3, found by bisection (decay is monotone).
    let low = registeredAt;
    let high = registeredAt + 30 * MS_PER_DAY;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (effectiveScore(trust, middle) > 499.9) low = middle;
      else high = middle;
    }
    const score = effectiveScore(trust, high);
    expect(score).toBeGreaterThan(499.8);
    expect(score).toBeLessThan(500);
    const justAbove = { score: 500.2, tier: 'T3' as const, at: new Date(low).toISOString() };
    const due = decayAnnouncement({ ...agent, trustAnnouncement: justAbove }, high);
    expect(due?.announcement).toMatchObject({ score, tier: 'T2' });
    expect(due?.events.map((event) => event.type)).toEqual(['trust.changed', 'trust.tier_changed']);
    // The same move within one tier is not due.
    const sameTier = { score: score + 0.4, tier: 'T2' as const, at: justAbove.at };
    expect(decayAnnouncement({ ...agent, trustAnnouncement: sameTier }, high)).toBeUndefined();
  });
});
