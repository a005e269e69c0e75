// Every route of the HTTP API, one entry each, in the order the document lists them, and the tags that
// group them. A route the stack declares and this catalog lacks (or the reverse) fails
// test/infra/openapi-routes.test.ts: a new route is not done until it is described here.
import type { RouteDoc } from './route-doc.ts';
import { ACCESS_ROUTES } from './routes/access-routes.ts';
import { AGENT_ROUTES } from './routes/agent-routes.ts';
import { ESCALATION_ROUTES } from './routes/escalation-routes.ts';
import { EVENT_ROUTES } from './routes/event-routes.ts';
import { PROBE_ROUTES } from './routes/probe-routes.ts';
import { RECORD_ROUTES } from './routes/record-routes.ts';
import { WEBHOOK_ROUTES } from './routes/webhook-routes.ts';
import { WORKFLOW_ROUTES } from './routes/workflow-routes.ts';

export const ROUTE_CATALOG: readonly RouteDoc[] = [
  ...AGENT_ROUTES,
  ...WORKFLOW_ROUTES,
  ...ESCALATION_ROUTES,
  ...EVENT_ROUTES,
  ...WEBHOOK_ROUTES,
  ...ACCESS_ROUTES,
  ...RECORD_ROUTES,
  ...PROBE_ROUTES,
];

/** Each tag a route uses, with what it groups (docs/backend.md has the long story of each). */
export const ROUTE_TAGS: Readonly<Record<string, string>> = {
  Agents: 'The agent registry: manifests, trust scores and tiers, breakers.',
  Memories: 'An agent’s short- and long-term memory, embedded for recall.',
  Intents: 'Declared intents, their decisions and each agent’s hash chain of them.',
  Proofs: 'The Merkle proofs of step results.',
  Workflows: 'Sequential, parallel and saga workflows of gated agent steps.',
  Escalations: 'Steps waiting for a reviewer’s approval.',
  Events: 'Events from clients onto the bus, and replays of dead-letter queues.',
  Webhooks: 'Signed deliveries of the tenant’s events to its URLs.',
  'API keys': 'The keys that authenticate every request, and their roles.',
  Tenants: 'Each tenant’s rate-limit plan.',
  Audit: 'The hash-chained audit trail of every event.',
  Alerts: 'Alerts raised from events: circuits opened, tiers dropped, dead-letter queues filling, …',
  Operations: 'Probes, metrics and this document.',
};
