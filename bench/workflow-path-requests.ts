// The AWS requests of a workflow's own path (API, state machine, gate, flow functions), counted at the
// sandbox's edge without those of the event consumers, which run beside it asynchronously and are measured
// on their own (`npm run bench -- events`). The edge knows each request's caller: every sandboxed function
// signs with its name (sandbox/edge/request-counter.ts), named `<stack>-<construct id>…` as CloudFormation does.
import type { RunningSandbox } from '../sandbox/index.ts';

/** The construct ids of the functions fed by the bus or a schedule (infra/stacks/stateless-stack.ts). */
const EVENT_DRIVEN_FUNCTIONS = [
  'TrustCalculator',
  'WebhookDispatcher',
  'WebhookDelivery',
  'Analytics',
  'AuditLogger',
  'AlertService',
  'DlqMonitor',
  'DecaySweep',
];

export function isEventDrivenCaller(caller: string): boolean {
  return EVENT_DRIVEN_FUNCTIONS.some((id) => caller.includes(`-Stateless-${id}`));
}

/** The counts since the last reset of every caller but the event-driven functions, by operation. */
export function workflowPathRequests(sandbox: RunningSandbox): Record<string, number> {
  return sumCounts(sandbox, (caller) => !isEventDrivenCaller(caller));
}

/** The counts since the last reset of the event-driven functions only, by operation. */
export function eventDrivenRequests(sandbox: RunningSandbox): Record<string, number> {
  return sumCounts(sandbox, isEventDrivenCaller);
}

function sumCounts(sandbox: RunningSandbox, include: (caller: string) => boolean): Record<string, number> {
  const total: Record<string, number> = {};
  for (const [caller, counts] of Object.entries(sandbox.requestCountsByCaller())) {
    if (!include(caller)) continue;
    for (const [operation, count] of Object.entries(counts))
      total[operation] = (total[operation] ?? 0) + count;
  }
  return total;
}
