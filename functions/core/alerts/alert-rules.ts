// Which events raise an alert, of which kind and severity (SPEC §5 "alert service"):
//
//   circuit.opened                        circuit_opened        warning
//   trust.tier_changed, demotion          tier_dropped          warning; critical when it fell ≥ 2 tiers
//   escalation.timed_out                  escalation_timed_out  warning while a higher level takes over;
//                                                               critical at the top level (3), where the
//                                                               timeout fails the step closed (deny)
//   dlq.not_empty                         dlq_not_empty         critical, under PLATFORM_TENANT
//   budget.exceeded                       budget_exceeded       info when context was summarized or
//                                                               compressed; warning when some was pruned
//   webhook.disabled                      webhook_disabled      warning
//
// Every other event raises nothing. Pure: the alert service stores and publishes what this returns.
import type { TrustgateEvent } from '../events/event-envelope.ts';
import { isEventOf } from '../events/event-envelope.ts';
import { type AlertKind, type AlertSeverity, PLATFORM_TENANT } from './alert-kinds.ts';

export interface AlertDraft {
  tenantId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  message: string;
  agentId?: string;
  workflowId?: string;
}

const TIERS = ['T0', 'T1', 'T2', 'T3', 'T4', 'T5'] as const;
/** Escalations go up to level 3; a timeout there is final (SPEC §4: past the maximum level → deny). */
const TOP_ESCALATION_LEVEL = 3;
const CRITICAL_TIER_DROP = 2;

/** The catalog's limit on an alert's message; longer ones (a long webhook URL) are cut. */
export const MAX_ALERT_MESSAGE_LENGTH = 2048;

export function alertFor(event: TrustgateEvent): AlertDraft | undefined {
  const draft = draftFor(event);
  return draft && { ...draft, message: draft.message.slice(0, MAX_ALERT_MESSAGE_LENGTH) };
}

function draftFor(event: TrustgateEvent): AlertDraft | undefined {
  const tenantId = event.tenantId;
  if (isEventOf(event, 'circuit.opened')) {
    const { agentId, reason, failureCount, openUntil } = event.data;
    const failures = failureCount === undefined ? '' : ` after ${failureCount} failures`;
    const until = openUntil === undefined ? '' : `; probes resume at ${openUntil}`;
    return {
      tenantId,
      kind: 'circuit_opened',
      severity: 'warning',
      message: `circuit of agent ${agentId} opened (${reason})${failures}${until}`,
      agentId,
    };
  }
  if (isEventOf(event, 'trust.tier_changed')) {
    const { agentId, from, to, direction, score, cause } = event.data;
    if (direction !== 'demotion') return undefined;
    const drop = TIERS.indexOf(from) - TIERS.indexOf(to);
    return {
      tenantId,
      kind: 'tier_dropped',
      severity: drop >= CRITICAL_TIER_DROP ? 'critical' : 'warning',
      message: `agent ${agentId} dropped from ${from} to ${to} (score ${score}, ${cause})`,
      agentId,
    };
  }
  if (isEventOf(event, 'escalation.timed_out')) {
    const { escalationId, workflowId, step, agentId, level } = event.data;
    const final = level >= TOP_ESCALATION_LEVEL;
    return {
      tenantId,
      kind: 'escalation_timed_out',
      severity: final ? 'critical' : 'warning',
      message: final
        ? `escalation ${escalationId} of step ${step} timed out at the top level ${level}; the step is denied`
        : `escalation ${escalationId} of step ${step} timed out at level ${level}; escalated to level ${level + 1}`,
      agentId,
      workflowId,
    };
  }
  if (isEventOf(event, 'dlq.not_empty')) {
    const { queue, messages } = event.data;
    return {
      tenantId: PLATFORM_TENANT,
      kind: 'dlq_not_empty',
      severity: 'critical',
      message: `dead-letter queue of ${queue} holds ${messages} message(s); redrive once the cause is fixed`,
    };
  }
  if (isEventOf(event, 'budget.exceeded')) {
    const { agentId, section, tokensBefore, tokensAfter, strategies, workflowId } = event.data;
    return {
      tenantId,
      kind: 'budget_exceeded',
      severity: strategies.includes('prune') ? 'warning' : 'info',
      message: `token budget of agent ${agentId} exceeded in ${section}: ${tokensBefore} → ${tokensAfter} tokens (${strategies.join(', ') || 'no strategy'})`,
      agentId,
      ...(workflowId === undefined ? {} : { workflowId }),
    };
  }
  if (isEventOf(event, 'webhook.disabled')) {
    const { webhookId, url, failingSince } = event.data;
    return {
      tenantId,
      kind: 'webhook_disabled',
      severity: 'warning',
      message: `webhook ${webhookId} (${url}) was disabled after failing since ${failingSince}`,
    };
  }
  return undefined;
}
