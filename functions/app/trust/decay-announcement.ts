// What the decay sweep announces for one agent (SPEC §2 inactivity decay, §5 events). Decay is applied on
// read and never stored, so nothing else notices when an idle agent's effective score slides; the sweep
// compares it with the last announced score (`trustAnnouncement`, written whenever `trust.changed` was
// emitted) and announces when the tier differs or the score moved by at least ANNOUNCEMENT_STEP points.
//
// Without a stored announcement, the baseline is the undecayed base score as of the agent's last activity:
// what the agent showed when registered (or last changed before announcements were recorded).
// The decision key `<agentId>#decay#<baseline at>` names the change from one announcement, so the same
// decision always puts the same event ids. Pure.

import { tierCode, tierForScore } from '../../core/trust/tiers.ts';
import type { TrustEvent } from '../../core/trust/trust-events.ts';
import { scoreChangeEvents } from '../../core/trust/trust-events.ts';
import { baseScore, effectiveScore, type TrustState } from '../../core/trust/trust-state.ts';
import type { TrustAnnouncement } from '../../data/agent-item.ts';

/** Score points the effective score must move, within a tier, before the sweep announces it. */
export const ANNOUNCEMENT_STEP = 1;

export interface DecayAnnouncement {
  /** Deterministic per decision: the key of the emitted events' ids. */
  key: string;
  events: TrustEvent[];
  announcement: TrustAnnouncement;
}

export function baselineAnnouncement(
  trust: TrustState,
  announcement: TrustAnnouncement | undefined,
): TrustAnnouncement {
  if (announcement) return announcement;
  const score = baseScore(trust);
  return { score, tier: tierCode(tierForScore(score)), at: new Date(trust.lastActivityAt).toISOString() };
}

/** The announcement due for an agent at `now`, or undefined when its last one still stands. */
export function decayAnnouncement(
  agent: { agentId: string; trust: TrustState; trustAnnouncement?: TrustAnnouncement },
  now: number,
): DecayAnnouncement | undefined {
  const baseline = baselineAnnouncement(agent.trust, agent.trustAnnouncement);
  const score = effectiveScore(agent.trust, now);
  const tier = tierCode(tierForScore(score));
  if (tier === baseline.tier && Math.abs(score - baseline.score) < ANNOUNCEMENT_STEP) return undefined;
  return {
    key: `${agent.agentId}#decay#${baseline.at}`,
    events: scoreChangeEvents(baseline.score, score, 'decay'),
    announcement: { score, tier, at: new Date(now).toISOString() },
  };
}
