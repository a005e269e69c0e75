// The workflows and escalations API as their callers use it (the demos, the e2e tests, the benchmark): start
// a workflow, read it, poll it until it ends or reaches a status (QUEUED, WAITING_APPROVAL), with a callback
// on every read so a caller can report progress; list, approve and reject escalations as a reviewer.
// Every call takes the request headers: the caller's API key (`authHeaders`, scripts/api-keys-client.ts),
// which says its tenant and roles; an escalation is answered with a reviewer key's headers.

import type { EscalationView } from '../functions/app/escalations/escalation-view.ts';
import type { EscalationStatus, WorkflowViewStatus } from '../functions/app/workflows/workflow-item.ts';
import type { StepView, WorkflowView } from '../functions/app/workflows/workflow-view.ts';

export type { EscalationView, StepView, WorkflowView };

/** The statuses a workflow ends in; it is polled until it reaches one. */
const FINAL_STATUSES: ReadonlySet<WorkflowViewStatus> = new Set<WorkflowViewStatus>([
  'SUCCEEDED',
  'FAILED',
  'COMPENSATED',
]);

function isFinalStatus(status: WorkflowViewStatus): boolean {
  return FINAL_STATUSES.has(status);
}

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

async function requestJson<T>(
  request: string,
  url: string,
  expectedStatus: number,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: unknown },
): Promise<T> {
  const response = await fetch(url, {
    method: init.method,
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  if (response.status !== expectedStatus) throw new ApiCallError(request, response.status, text);
  return JSON.parse(text) as T;
}

/** `POST /v1/workflows` → the new workflow's id (202). */
export async function startWorkflow(
  apiUrl: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<string> {
  const { workflowId } = await requestJson<{ workflowId: string }>(
    'POST /v1/workflows',
    `${apiUrl}/v1/workflows`,
    202,
    { method: 'POST', headers, body },
  );
  return workflowId;
}

export async function readWorkflow(
  apiUrl: string,
  workflowId: string,
  headers: Record<string, string> = {},
): Promise<WorkflowView> {
  return requestJson<WorkflowView>(
    'GET /v1/workflows/{id}',
    `${apiUrl}/v1/workflows/${encodeURIComponent(workflowId)}`,
    200,
    { method: 'GET', headers },
  );
}

export interface PollOptions {
  intervalMs?: number;
  /** Bounds a workflow that never ends (a broken deployment); a healthy report pipeline ends in well under 1 s. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  onRead?: (workflow: WorkflowView) => void;
}

/**
 * Reads the workflow every `intervalMs` until `reached` holds for it; throws naming `what` (and the
 * last status) after `timeoutMs`, or as soon as the workflow has ended without reaching it.
 */
async function pollWorkflowUntil(
  apiUrl: string,
  workflowId: string,
  what: string,
  reached: (workflow: WorkflowView) => boolean,
  options: PollOptions = {},
): Promise<WorkflowView> {
  const { intervalMs = 100, timeoutMs = 60_000, headers = {}, onRead } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const workflow = await readWorkflow(apiUrl, workflowId, headers);
    onRead?.(workflow);
    if (reached(workflow)) return workflow;
    if (isFinalStatus(workflow.status)) {
      throw new Error(
        `workflow ${workflowId} ended ${workflow.status} before ${what}: ${JSON.stringify(workflow.error)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(`workflow ${workflowId} still ${workflow.status}, not ${what}, after ${timeoutMs} ms`);
    }
    await sleep(intervalMs);
  }
}

/** Reads the workflow every `intervalMs` until it has ended (SUCCEEDED, FAILED or COMPENSATED). */
export function pollWorkflowUntilEnded(
  apiUrl: string,
  workflowId: string,
  options: PollOptions = {},
): Promise<WorkflowView> {
  return pollWorkflowUntil(
    apiUrl,
    workflowId,
    'ending',
    (workflow) => isFinalStatus(workflow.status),
    options,
  );
}

/** Reads the workflow until its status is `status` (QUEUED, WAITING_APPROVAL, …). */
export function pollWorkflowUntilStatus(
  apiUrl: string,
  workflowId: string,
  status: WorkflowViewStatus,
  options: PollOptions = {},
): Promise<WorkflowView> {
  return pollWorkflowUntil(apiUrl, workflowId, status, (workflow) => workflow.status === status, options);
}

/** Total tokens of a step (prompt and completion), as the demo prints them. */
export function stepTokens(step: StepView): number | undefined {
  return step.tokens === null ? undefined : step.tokens.input + step.tokens.output;
}

/** `GET /v1/escalations?status=…`: every page of the tenant's escalations in that status, oldest first. */
export async function listEscalations(
  apiUrl: string,
  status: EscalationStatus = 'PENDING',
  headers: Record<string, string> = {},
): Promise<EscalationView[]> {
  const escalations: EscalationView[] = [];
  let nextToken: string | null | undefined;
  do {
    const query = new URLSearchParams({ status, limit: '100', ...(nextToken ? { nextToken } : {}) });
    const page = await requestJson<{ items: EscalationView[]; nextToken?: string | null }>(
      'GET /v1/escalations',
      `${apiUrl}/v1/escalations?${query}`,
      200,
      { method: 'GET', headers },
    );
    escalations.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return escalations;
}

/**
 * Lists the tenant's escalations in `status` until one of workflow `workflowId` satisfies `wanted`
 * (default: any), every `intervalMs`; throws after `timeoutMs`.
 */
export async function pollEscalation(
  apiUrl: string,
  workflowId: string,
  options: {
    status?: EscalationStatus;
    wanted?: (escalation: EscalationView) => boolean;
    intervalMs?: number;
    timeoutMs?: number;
    headers?: Record<string, string>;
  } = {},
): Promise<EscalationView> {
  const {
    status = 'PENDING',
    wanted = () => true,
    intervalMs = 100,
    timeoutMs = 60_000,
    headers = {},
  } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listEscalations(apiUrl, status, headers)).find(
      (escalation) => escalation.workflowId === workflowId && wanted(escalation),
    );
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no ${status} escalation of workflow ${workflowId} as wanted after ${timeoutMs} ms`);
    }
    await sleep(intervalMs);
  }
}

/**
 * `POST /v1/escalations/{id}/approve` with a reviewer key's headers (its level and name are the key's)
 * → the escalation (APPROVED).
 */
export function approveEscalation(
  apiUrl: string,
  escalationId: string,
  answer: { comment?: string },
  reviewerHeaders: Record<string, string>,
): Promise<EscalationView> {
  return requestJson<EscalationView>(
    'POST /v1/escalations/{id}/approve',
    `${apiUrl}/v1/escalations/${encodeURIComponent(escalationId)}/approve`,
    200,
    {
      method: 'POST',
      headers: reviewerHeaders,
      body: answer.comment === undefined ? {} : { comment: answer.comment },
    },
  );
}

/** `POST /v1/escalations/{id}/reject` with a reviewer key's headers and the reason → the escalation (REJECTED). */
export function rejectEscalation(
  apiUrl: string,
  escalationId: string,
  answer: { reason: string },
  reviewerHeaders: Record<string, string>,
): Promise<EscalationView> {
  return requestJson<EscalationView>(
    'POST /v1/escalations/{id}/reject',
    `${apiUrl}/v1/escalations/${encodeURIComponent(escalationId)}/reject`,
    200,
    {
      method: 'POST',
      headers: reviewerHeaders,
      body: { reason: answer.reason },
    },
  );
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}
