// Live progress of a workflow run: the CLI reads GET /v1/workflows/{id} every POLL_INTERVAL_MS and prints
// what changed since the last read — the workflow's status when it changes (RUNNING, QUEUED,
// WAITING_APPROVAL, …), and each step once it is decided (→ its agent, tier and decision) and once it has
// ended (✓ / ✗ / ↺ with tokens and time, or the failure), plus the waits in between: queued for an agent,
// waiting for a reviewer (escalation, level, deadline), approved. Nothing is printed twice: each event has
// a key (step, status, escalation level, routing attempt) and is printed the first time it is seen, so a
// step that went from DECIDED to SUCCEEDED between two reads shows only its end.

import type { StepView, WorkflowView } from '../functions/app/workflows/workflow-view.ts';
import type { ApiClient } from './api-client.ts';
import { ApiRefusedError } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';
import { reasonLines, stepLine } from './format.ts';

export const POLL_INTERVAL_MS = 200;
/** A 429 while polling (the tenant's API bucket is drained) waits this long and polls on. */
const RATE_LIMITED_WAIT_MS = 1_000;

const FINAL_STATUSES: ReadonlySet<WorkflowView['status']> = new Set(['SUCCEEDED', 'FAILED', 'COMPENSATED']);

export function isFinal(workflow: Pick<WorkflowView, 'status'>): boolean {
  return FINAL_STATUSES.has(workflow.status);
}

/** The event a step's current state stands for, keyed so that it is printed once; undefined: nothing to show. */
function stepEventKey(step: StepView, index: number): string | undefined {
  switch (step.status) {
    case 'PENDING':
      return undefined;
    case 'QUEUED':
      return `${index}:QUEUED:${step.routing?.attempts ?? 0}`;
    case 'DECIDED':
      return `${index}:DECIDED:${step.approval ? 'approved' : 'first'}`;
    case 'WAITING_APPROVAL':
      return `${index}:WAITING_APPROVAL:${step.escalation?.level ?? 0}`;
    case 'APPROVED':
      return `${index}:APPROVED`;
    default:
      return `${index}:${step.status}`;
  }
}

/** Prints the changes of each read it is given (see the file comment). */
export function progressPrinter(write: (line: string) => void): (workflow: WorkflowView) => void {
  let lastStatus: string | undefined;
  const seen = new Set<string>();
  const printStatus = (workflow: WorkflowView) => {
    if (workflow.status === lastStatus) return;
    lastStatus = workflow.status;
    write(`  … ${workflow.status}`);
  };
  return (workflow) => {
    // The first read starts with the status; afterwards a status follows the steps that changed it.
    if (lastStatus === undefined) printStatus(workflow);
    workflow.steps.forEach((step, index) => {
      const key = stepEventKey(step, index);
      if (key === undefined || seen.has(key)) return;
      seen.add(key);
      write(`  ${stepLine(step)}`);
      if (step.status === 'FAILED' || step.status === 'WAITING_APPROVAL') {
        for (const line of reasonLines(step)) write(line);
      }
    });
    printStatus(workflow);
  };
}

export interface PollOutcome {
  workflow: WorkflowView;
  /** False when the timeout passed before the workflow ended. */
  ended: boolean;
}

/** Reads the workflow until it has ended or `timeoutMs` passed, handing every read to `onRead`. */
export async function pollUntilEnded(
  api: ApiClient,
  io: Pick<CliIo, 'now' | 'sleep'>,
  workflowId: string,
  options: { timeoutMs: number; intervalMs?: number; onRead?: (workflow: WorkflowView) => void },
): Promise<PollOutcome> {
  const { timeoutMs, intervalMs = POLL_INTERVAL_MS, onRead } = options;
  const deadline = io.now() + timeoutMs;
  let last: WorkflowView | undefined;
  for (;;) {
    try {
      last = await api.get<WorkflowView>(`/v1/workflows/${encodeURIComponent(workflowId)}`);
    } catch (error) {
      // Polling must not end a run the API only asked to slow down; anything else ends it.
      if (!(error instanceof ApiRefusedError) || error.status !== 429 || io.now() > deadline) throw error;
      await io.sleep(Math.max(intervalMs, RATE_LIMITED_WAIT_MS));
      continue;
    }
    onRead?.(last);
    if (isFinal(last)) return { workflow: last, ended: true };
    if (io.now() >= deadline) return { workflow: last, ended: false };
    await io.sleep(intervalMs);
  }
}
