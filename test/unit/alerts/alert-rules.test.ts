import { describe, expect, it } from 'vitest';
import { PLATFORM_TENANT } from '../../../functions/core/alerts/alert-kinds.ts';
import { alertFor, MAX_ALERT_MESSAGE_LENGTH } from '../../../functions/core/alerts/alert-rules.ts';
import { newEvent } from '../../../functions/core/events/event-envelope.ts';

const base = { tenantId: 'acme', key: 'k', occurredAt: '2026-12-05T10:00:00.000Z' };
const escalation = (level: number) =>
  newEvent('escalation.timed_out', {
    ...base,
    data: {
      escalationId: 'esc-1',
      workflowId: 'wf-1',
      step: 'draft',
      stepIndex: 0,
      agentId: 'writer',
      level,
    },
  });
const tierChange = (from: 'T0' | 'T1' | 'T2' | 'T3' | 'T4', to: 'T0' | 'T1' | 'T2' | 'T3' | 'T4') =>
  newEvent('trust.tier_changed', {
    ...base,
    data: {
      agentId: 'writer',
      from,
      to,
      direction: from > to ? 'demotion' : 'promotion',
      score: 390,
      cause: 'execution_failed',
    },
  });

describe('alert rules', () => {
  it('raises a warning when a circuit opens, naming the agent', () => {
    const alert = alertFor(
      newEvent('circuit.opened', {
        ...base,
        data: { agentId: 'writer', reason: 'failure_threshold', failureCount: 5 },
      }),
    );
    expect(alert).toMatchObject({
      tenantId: 'acme',
      kind: 'circuit_opened',
      severity: 'warning',
      agentId: 'writer',
    });
    expect(alert?.message).toContain('after 5 failures');
  });

  it('raises tier_dropped on a demotion only: warning for one tier, critical for two or more', () => {
    expect(alertFor(tierChange('T1', 'T2'))).toBeUndefined();
    expect(alertFor(tierChange('T3', 'T2'))).toMatchObject({ kind: 'tier_dropped', severity: 'warning' });
    expect(alertFor(tierChange('T4', 'T2'))).toMatchObject({ kind: 'tier_dropped', severity: 'critical' });
  });

  it('raises a warning for a timeout that escalates, a critical one at the top level where the step is denied', () => {
    expect(alertFor(escalation(1))).toMatchObject({
      kind: 'escalation_timed_out',
      severity: 'warning',
      workflowId: 'wf-1',
    });
    expect(alertFor(escalation(3))).toMatchObject({ severity: 'critical' });
    expect(alertFor(escalation(3))?.message).toContain('denied');
  });

  it('files a non-empty DLQ as a critical platform alert, whoever announced it', () => {
    const alert = alertFor(
      newEvent('dlq.not_empty', { ...base, data: { queue: 'audit-logger', messages: 3 } }),
    );
    expect(alert).toMatchObject({ tenantId: PLATFORM_TENANT, kind: 'dlq_not_empty', severity: 'critical' });
    expect(alert?.message).toContain('audit-logger');
  });

  it('rates an exceeded budget info when it was only summarized, warning when context was pruned', () => {
    const budget = (strategies: string[]) =>
      newEvent('budget.exceeded', {
        ...base,
        data: {
          agentId: 'writer',
          section: 'context',
          tokensBefore: 20_000,
          tokensAfter: 15_000,
          strategies,
        },
      });
    expect(alertFor(budget(['summarize']))).toMatchObject({ kind: 'budget_exceeded', severity: 'info' });
    expect(alertFor(budget(['summarize', 'prune']))).toMatchObject({ severity: 'warning' });
  });

  it('cuts a long message (a long webhook URL) to the catalog limit', () => {
    const alert = alertFor(
      newEvent('webhook.disabled', {
        ...base,
        data: {
          webhookId: 'wh_1',
          url: `https://example.com/${'x'.repeat(3000)}`,
          failingSince: base.occurredAt,
        },
      }),
    );
    expect(alert?.kind).toBe('webhook_disabled');
    expect(alert?.message).toHaveLength(MAX_ALERT_MESSAGE_LENGTH);
  });

  it('raises nothing for other events', () => {
    expect(
      alertFor(
        newEvent('circuit.closed', { ...base, data: { agentId: 'writer', reason: 'probe_succeeded' } }),
      ),
    ).toBeUndefined();
  });
});
