// Which catalog events are trust signals, and the signal each one is (SPEC §2, §5):
//
//   execution.succeeded      execution_outcome success (quality, efficiencyBonus from the data)
//   execution.failed         execution_outcome failure
//   compliance.violation     violation { severity }
//   compliance.audit_passed  audit_passed
//   compliance.remediation   remediation { fast }
//
// An outcome happened at the event's `occurredAt`, at the tier the gate acted on (`data.agentTier`); an
// outcome reported without one (POST /v1/events) counts at the agent's tier when it is applied. Pure.
import type { EventType } from '../../core/events/event-catalog.ts';
import type { TrustgateEvent } from '../../core/events/event-envelope.ts';
import type { TrustSignal, TrustSignalKind } from '../../core/trust/signals.ts';
import { parseTierCode, type Tier } from '../../core/trust/tiers.ts';

export const TRUST_SIGNAL_EVENT_TYPES = [
  'execution.succeeded',
  'execution.failed',
  'compliance.violation',
  'compliance.audit_passed',
  'compliance.remediation',
] as const satisfies readonly EventType[];

export type TrustSignalEventType = (typeof TRUST_SIGNAL_EVENT_TYPES)[number];
/** A union of one envelope per type, so a `switch` on `type` narrows `data`. */
export type TrustSignalEvent = {
  [T in TrustSignalEventType]: TrustgateEvent<T>;
}[TrustSignalEventType];

/** The kind of signal each type carries (what `trust.changed` names as its cause). */
export const TRUST_SIGNAL_KINDS: Readonly<Record<TrustSignalEventType, TrustSignalKind>> = {
  'execution.succeeded': 'execution_outcome',
  'execution.failed': 'execution_outcome',
  'compliance.violation': 'violation',
  'compliance.audit_passed': 'audit_passed',
  'compliance.remediation': 'remediation',
};

export function isTrustSignalEvent(event: TrustgateEvent): event is TrustSignalEvent {
  return (TRUST_SIGNAL_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** The signal an event carries; `currentTier` stands in for an outcome's missing `agentTier`. */
export function trustSignalFromEvent(event: TrustSignalEvent, currentTier: Tier): TrustSignal {
  switch (event.type) {
    case 'execution.succeeded': {
      const { quality, efficiencyBonus } = event.data;
      return {
        ...outcomeAt(event, currentTier),
        outcome: 'success',
        ...(quality === undefined ? {} : { quality }),
        ...(efficiencyBonus === undefined ? {} : { efficiencyBonus }),
      };
    }
    case 'execution.failed':
      return { ...outcomeAt(event, currentTier), outcome: 'failure' };
    case 'compliance.violation':
      return { kind: 'violation', severity: event.data.severity };
    case 'compliance.audit_passed':
      return { kind: 'audit_passed' };
    case 'compliance.remediation':
      return { kind: 'remediation', fast: event.data.fast };
  }
}

function outcomeAt(
  event: TrustgateEvent<'execution.succeeded' | 'execution.failed'>,
  currentTier: Tier,
): { kind: 'execution_outcome'; at: number; agentTierAtTime: Tier } {
  return {
    kind: 'execution_outcome',
    at: Date.parse(event.occurredAt),
    agentTierAtTime: parseTierCode(event.data.agentTier) ?? currentTier,
  };
}
