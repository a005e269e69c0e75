import { describe, expect, it } from 'vitest';
import {
  isTrustSignalEvent,
  TRUST_SIGNAL_EVENT_TYPES,
  TRUST_SIGNAL_KINDS,
  type TrustSignalEvent,
  trustSignalFromEvent,
} from '../../../functions/app/trust/trust-signal-from-event.ts';
import type { EventData, EventType } from '../../../functions/core/events/event-catalog.ts';
import { newEvent, type TrustgateEvent } from '../../../functions/core/events/event-envelope.ts';

const occurredAt = '2026-12-01T10:00:00.000Z';

function event<T extends EventType>(type: T, data: EventData<T>): TrustgateEvent<T> {
  return newEvent(type, { tenantId: 'acme', key: `${type}-1`, occurredAt, data });
}

function signalOf(value: TrustgateEvent, currentTier: 0 | 1 | 2 | 3 | 4 | 5 = 2) {
  if (!isTrustSignalEvent(value)) throw new Error(`${value.type} is not a trust signal`);
  return trustSignalFromEvent(value as TrustSignalEvent, currentTier);
}

describe('trust signals from events', () => {
  it('maps execution.succeeded to a success at occurredAt, the gate tier, quality and efficiency', () => {
    const signal = signalOf(
      event('execution.succeeded', { agentId: 'a', agentTier: 'T4', quality: 0.8, efficiencyBonus: 0.05 }),
    );
    expect(signal).toEqual({
      kind: 'execution_outcome',
      outcome: 'success',
      at: Date.parse(occurredAt),
      agentTierAtTime: 4,
      quality: 0.8,
      efficiencyBonus: 0.05,
    });
  });

  it("uses the agent's current tier when the outcome carries none, and omits absent credits", () => {
    const signal = signalOf(event('execution.succeeded', { agentId: 'a' }), 1);
    expect(signal).toEqual({
      kind: 'execution_outcome',
      outcome: 'success',
      at: Date.parse(occurredAt),
      agentTierAtTime: 1,
    });
  });

  it('maps execution.failed to a failure at the gate tier, falling back to the current tier', () => {
    expect(signalOf(event('execution.failed', { agentId: 'a', agentTier: 'T5', errorCode: 'boom' }))).toEqual(
      {
        kind: 'execution_outcome',
        outcome: 'failure',
        at: Date.parse(occurredAt),
        agentTierAtTime: 5,
      },
    );
    expect(signalOf(event('execution.failed', { agentId: 'a', errorCode: 'boom' }), 3)).toMatchObject({
      outcome: 'failure',
      agentTierAtTime: 3,
    });
  });

  it('maps the compliance events to their ledger signals', () => {
    expect(signalOf(event('compliance.violation', { agentId: 'a', severity: 'critical' }))).toEqual({
      kind: 'violation',
      severity: 'critical',
    });
    expect(signalOf(event('compliance.audit_passed', { agentId: 'a', auditor: 'x' }))).toEqual({
      kind: 'audit_passed',
    });
    expect(signalOf(event('compliance.remediation', { agentId: 'a', fast: true }))).toEqual({
      kind: 'remediation',
      fast: true,
    });
    expect(signalOf(event('compliance.remediation', { agentId: 'a', fast: false }))).toEqual({
      kind: 'remediation',
      fast: false,
    });
  });

  it('does not treat other event types as trust signals', () => {
    const decided = event('trust.changed', {
      agentId: 'a',
      cause: 'violation',
      previousScore: 600,
      score: 500,
      previousTier: 'T3',
      tier: 'T3',
    });
    expect(isTrustSignalEvent(decided)).toBe(false);
    expect(isTrustSignalEvent(event('circuit.opened', { agentId: 'a', reason: 'failures' }))).toBe(false);
  });

  it('names the signal kind of every signal type the way the mapping does', () => {
    const samples: TrustgateEvent[] = [
      event('execution.succeeded', { agentId: 'a' }),
      event('execution.failed', { agentId: 'a', errorCode: 'x' }),
      event('compliance.violation', { agentId: 'a', severity: 'low' }),
      event('compliance.audit_passed', { agentId: 'a' }),
      event('compliance.remediation', { agentId: 'a', fast: true }),
    ];
    expect(samples.map((sample) => sample.type)).toEqual([...TRUST_SIGNAL_EVENT_TYPES]);
    for (const sample of samples) {
      expect(signalOf(sample).kind).toBe(TRUST_SIGNAL_KINDS[sample.type as TrustSignalEvent['type']]);
    }
  });
});
