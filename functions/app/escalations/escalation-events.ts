// The escalation events of SPEC §5, from the escalation item they announce: escalation.created when a
// level opens (also the level + 1 after an SLA expired), escalation.timed_out when a level's SLA passed or
// an answer came too late, escalation.approved / .rejected with the reviewer. Keyed by escalation id: one
// of each per escalation, however often a retried function announces it.
import type { EventType } from '../../core/events/event-catalog.ts';
import { newEvent, type TrustgateEvent } from '../../core/events/event-envelope.ts';
import type { EscalationItem } from './escalation-item.ts';

type EscalationEventType = Extract<EventType, `escalation.${string}`>;

export function escalationEvent(
  type: EscalationEventType,
  item: EscalationItem,
  occurredAt: number | string,
): TrustgateEvent {
  return newEvent(type, {
    tenantId: item.tenantId,
    key: item.escalationId,
    occurredAt,
    data: {
      escalationId: item.escalationId,
      workflowId: item.workflowId,
      step: item.step,
      stepIndex: item.stepIndex,
      agentId: item.agentId,
      level: item.level,
      deadline: item.deadline,
      ...(item.reviewer === undefined ? {} : { reviewer: item.reviewer }),
      ...(item.reviewerLevel === undefined ? {} : { reviewerLevel: item.reviewerLevel }),
      ...(item.reason === undefined ? {} : { reason: item.reason }),
    },
  });
}
