// A fresh tenant per test: its own agents, workflows, escalations and token bucket, so tests never see
// each other's state whatever order (or target) they run in. The tenant is the X-Trustgate-Tenant header
// until the authorizer lands (docs/backend.md "Tenancy"); agents are registered through the API as an admin,
// with the demo fleet's registrations (scripts/demo-fleet.ts), so their tiers are exactly the seed's.
import { randomUUID } from 'node:crypto';
import { DEMO_FLEET, type DemoAgent, demoAgentRegistration } from '../../../scripts/demo-fleet.ts';
import { tenantHeaders } from '../../../scripts/workflow-client.ts';

export interface E2eTenant {
  tenantId: string;
  /** The tenant header, for every request of the test. */
  headers: Record<string, string>;
}

/** A tenant nobody has used: `e2e-<label>-<random>`. */
export function freshTenant(label: string): E2eTenant {
  const tenantId = `e2e-${label}-${randomUUID().slice(0, 8)}`;
  return { tenantId, headers: tenantHeaders(tenantId) };
}

export function demoAgent(agentId: string): DemoAgent {
  const agent = DEMO_FLEET.find((candidate) => candidate.agentId === agentId);
  if (!agent) throw new Error(`${agentId} is not in the demo fleet`);
  return agent;
}

/** Registers `agent` in the tenant (201 expected: the tenant is fresh). */
export async function registerAgent(apiUrl: string, tenant: E2eTenant, agent: DemoAgent): Promise<void> {
  const response = await fetch(`${apiUrl}/v1/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trustgate-role': 'admin', ...tenant.headers },
    body: JSON.stringify(demoAgentRegistration(agent)),
  });
  if (response.status !== 201) {
    throw new Error(
      `registering ${agent.agentId} in ${tenant.tenantId}: POST /v1/agents answered ${response.status} ${await response.text()}`,
    );
  }
}

/** A fresh tenant with the named demo agents registered (one after another: one warm function serves them). */
export async function tenantWithAgents(
  apiUrl: string,
  label: string,
  agentIds: readonly string[],
): Promise<E2eTenant> {
  const tenant = freshTenant(label);
  for (const agentId of agentIds) await registerAgent(apiUrl, tenant, demoAgent(agentId));
  return tenant;
}
