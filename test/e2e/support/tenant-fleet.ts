// A fresh tenant per test: its own agents, workflows, escalations and token bucket, so tests never see
// each other's state whatever order (or target) they run in. Its key (every role, reviewer at level 3) is
// made with the platform admin key (docs/backend.md "Identity and access"); agents are registered through
// the API with it, with the demo fleet's registrations (scripts/demo-fleet.ts), so their tiers are exactly
// the seed's.
import { randomUUID } from 'node:crypto';
import type { CallerRole } from '../../../functions/core/auth/caller.ts';
import { allRolesKey, authHeaders, createApiKey } from '../../../scripts/api-keys-client.ts';
import { DEMO_FLEET, type DemoAgent, demoAgentRegistration } from '../../../scripts/demo-fleet.ts';
import type { E2eTarget } from './e2e-target.ts';

export interface E2eTenant {
  tenantId: string;
  /** The tenant's all-roles key as headers, for every request of the test. */
  headers: Record<string, string>;
}

/** A tenant nobody has used: `e2e-<label>-<random>`, with a key of every role. */
export async function freshTenant(target: E2eTarget, label: string): Promise<E2eTenant> {
  const tenantId = `e2e-${label}-${randomUUID().slice(0, 8)}`;
  return { tenantId, headers: authHeaders(await allRolesKey(target.apiUrl, target.platformKey, tenantId)) };
}

/** The headers of another key of the tenant: a reviewer at some level, an operator only, … */
export async function tenantKeyHeaders(
  target: E2eTarget,
  tenant: E2eTenant,
  key: { name: string; roles: CallerRole[]; reviewerLevel?: number },
): Promise<Record<string, string>> {
  const created = await createApiKey(target.apiUrl, target.platformKey, {
    tenantId: tenant.tenantId,
    ...key,
  });
  return authHeaders(created.key);
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
    headers: { 'content-type': 'application/json', ...tenant.headers },
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
  target: E2eTarget,
  label: string,
  agentIds: readonly string[],
): Promise<E2eTenant> {
  const tenant = await freshTenant(target, label);
  for (const agentId of agentIds) await registerAgent(target.apiUrl, tenant, demoAgent(agentId));
  return tenant;
}
