// The orchestrator's events of SPEC §5: workflow.started once the execution runs, and at the end
// workflow.completed (SUCCEEDED) or workflow.failed (FAILED, COMPENSATED: `status` tells which), with
// proof.batched when the run's proofs were sealed into a Merkle batch. Keyed by workflow id, one of each
// per run however often the finish is retried.
import { newEvent, type TrustgateEvent } from '../../core/events/event-envelope.ts';
import type { WorkflowError, WorkflowItem, WorkflowStatus } from './workflow-item.ts';

export function workflowStartedEvent(workflow: WorkflowItem): TrustgateEvent {
  return newEvent('workflow.started', {
    tenantId: workflow.tenantId,
    key: workflow.workflowId,
    occurredAt: workflow.createdAt,
    data: {
      workflowId: workflow.workflowId,
      type: workflow.type,
      template: workflow.template ?? null,
      steps: workflow.steps.map((step) => step.name),
    },
  });
}

export interface WorkflowEnd {
  status: Exclude<WorkflowStatus, 'RUNNING'>;
  error?: WorkflowError;
  /** ISO 8601. */
  endedAt: string;
  /** The sealed batch of the run's proofs, when there was one. */
  batch?: { merkleRoot: string; leaves: number };
}

export function workflowEndedEvents(workflow: WorkflowItem, end: WorkflowEnd): TrustgateEvent[] {
  const common = { tenantId: workflow.tenantId, key: workflow.workflowId, occurredAt: end.endedAt };
  const durationMs = Math.max(0, Date.parse(end.endedAt) - Date.parse(workflow.createdAt));
  const ended = newEvent(end.status === 'SUCCEEDED' ? 'workflow.completed' : 'workflow.failed', {
    ...common,
    data: {
      workflowId: workflow.workflowId,
      type: workflow.type,
      status: end.status,
      ...(Number.isFinite(durationMs) ? { durationMs } : {}),
      ...(end.error
        ? {
            error: {
              code: end.error.code,
              message: end.error.message.slice(0, 2048),
              step: end.error.step ?? null,
            },
          }
        : {}),
    },
  });
  if (!end.batch) return [ended];
  return [
    newEvent('proof.batched', {
      ...common,
      data: {
        workflowId: workflow.workflowId,
        batchId: workflow.workflowId,
        merkleRoot: end.batch.merkleRoot,
        leaves: end.batch.leaves,
      },
    }),
    ended,
  ];
}
