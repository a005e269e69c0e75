// The workflows API as its callers use it (the demo, the e2e tests, the benchmark): start a workflow,
// read it, and poll it until it ends, with a callback on every read so a caller can report progress.

import type { WorkflowStatus } from '../functions/app/workflows/workflow-item.ts';
import type { StepView, WorkflowView } from '../functions/app/workflows/workflow-view.ts';

export type { StepView, WorkflowView };

/** The statuses a workflow ends in; it is polled until it reaches one. */
const FINAL_STATUSES: ReadonlySet<WorkflowStatus> = new Set<WorkflowStatus>(['SUCCEEDED', 'FAILED']);

export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';

  constructor(
    readonly request: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${request} answered ${status}: ${body}`);
  }
}

/** `POST /v1/workflows` → the new workflow's id (202). */
export async function startWorkflow(
  apiUrl: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await fetch(`${apiUrl}/v1/workflows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 202) throw new ApiCallError('POST /v1/workflows', response.status, text);
  return (JSON.parse(text) as { workflowId: string }).workflowId;
}

export async function readWorkflow(
  apiUrl: string,
  workflowId: string,
  headers: Record<string, string> = {},
): Promise<WorkflowView> {
  const response = await fetch(`${apiUrl}/v1/workflows/${encodeURIComponent(workflowId)}`, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new ApiCallError('GET /v1/workflows/{id}', response.status, text);
  return JSON.parse(text) as WorkflowView;
}

export interface PollOptions {
  intervalMs?: number;
  /** Bounds a workflow that never ends (a broken deployment); a healthy report pipeline ends in well under 1 s. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  onRead?: (workflow: WorkflowView) => void;
}

/** Reads the workflow every `intervalMs` until it has ended. */
export async function pollWorkflowUntilEnded(
  apiUrl: string,
  workflowId: string,
  options: PollOptions = {},
): Promise<WorkflowView> {
  const { intervalMs = 100, timeoutMs = 60_000, headers = {}, onRead } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const workflow = await readWorkflow(apiUrl, workflowId, headers);
    onRead?.(workflow);
    if (FINAL_STATUSES.has(workflow.status)) return workflow;
    if (Date.now() > deadline) {
      throw new Error(`workflow ${workflowId} still ${workflow.status} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Total tokens of a step (prompt and completion), as the demo prints them. */
export function stepTokens(step: StepView): number | undefined {
  return step.tokens === null ? undefined : step.tokens.input + step.tokens.output;
}
