// Valid audit trails built with the real record builder, for the verification tests to tamper with.
import type { AuditCheckpoint } from '../../../functions/core/audit/audit-checkpoint.ts';
import { buildCheckpoint } from '../../../functions/core/audit/audit-checkpoint.ts';
import {
  type AuditChainTip,
  type AuditRecord,
  buildAuditRecord,
  tipOf,
} from '../../../functions/core/audit/audit-record.ts';

export const T0 = Date.UTC(2026, 11, 5, 10);

/** The i-th (0-based) sample event of a tenant: decisions and workflow starts, alternately. */
export function sampleEvent(tenantId: string, index: number) {
  const decided = index % 2 === 0;
  return {
    tenantId,
    eventId: `evt_${index.toString(16).padStart(32, '0')}`,
    type: decided ? 'intent.decided' : 'workflow.started',
    source: decided ? 'trustgate.intents' : 'trustgate.workflows',
    occurredAt: new Date(T0 + index * 1000 - 500).toISOString(),
    data: decided
      ? {
          intentId: `int-${index}`,
          agentId: `agent-${index % 3}`,
          action: 'search_web',
          decision: 'ALLOW',
          reasons: ['policy-1'],
          agentTier: 'T3',
          score: 580.5,
          workflowId: `wf-${index % 4}`,
        }
      : { workflowId: `wf-${index % 4}`, type: 'sequential', template: null, steps: ['research', 'write'] },
  };
}

export function buildTrail(
  tenantId: string,
  length: number,
): { records: AuditRecord[]; tip?: AuditChainTip } {
  const records: AuditRecord[] = [];
  let tip: AuditChainTip | undefined;
  for (let i = 0; i < length; i++) {
    const record = buildAuditRecord(tip, sampleEvent(tenantId, i), T0 + i * 1000);
    records.push(record);
    tip = tipOf(record);
  }
  return { records, tip };
}

export function buildCheckpoints(records: readonly AuditRecord[], interval: number): AuditCheckpoint[] {
  const checkpoints: AuditCheckpoint[] = [];
  for (let number = 1; number * interval <= records.length; number++) {
    const covered = records.slice((number - 1) * interval, number * interval);
    checkpoints.push(buildCheckpoint(number, covered, checkpoints.at(-1), interval));
  }
  return checkpoints;
}
