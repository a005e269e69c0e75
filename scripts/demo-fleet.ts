// The demo fleet of SPEC §2 (from the seed), and its registration through the real API: the pipeline
// agents research → analysis → writing (+ review), and three general-purpose agents at three price points
// for trust-based routing. Scores are admin initial scores, as when an existing fleet is migrated, so the
// tiers are exactly the seed's; identity and context are the facts a platform team would state for them.
import type { AgentAction } from '../functions/core/policy/agent-actions.ts';
import type { AgentManifest } from '../functions/core/policy/agent-manifest.ts';
import type { DeploymentContext } from '../functions/core/trust/context.ts';
import type { IdentityEvidence } from '../functions/core/trust/identity.ts';
import type { TierCode } from '../functions/core/trust/tiers.ts';

/** The actions the demo fleet declares. */
export type DemoCapability = Extract<
  AgentAction,
  'search_web' | 'process_data' | 'generate_document' | 'review_document'
>;

export interface DemoAgent {
  agentId: string;
  name: string;
  role: string;
  /** The tier the seed gives the agent; its score falls in it. */
  tier: TierCode;
  initialScore: number;
  /** USD per call. */
  costPerCall: number;
  capabilities: readonly DemoCapability[];
  identity: IdentityEvidence;
  context: DeploymentContext;
}

const HARDENED_PRODUCTION: DeploymentContext = {
  environment: 'production',
  vpcIsolated: true,
  mtls: true,
  managedSecrets: true,
};

const GENERAL_CAPABILITIES: readonly DemoCapability[] = ['search_web', 'process_data', 'generate_document'];

export const DEMO_FLEET: readonly DemoAgent[] = [
  {
    agentId: 'research-agent',
    name: 'Research Agent',
    role: 'research',
    tier: 'T3',
    initialScore: 580,
    costPerCall: 0.02,
    capabilities: ['search_web'],
    identity: { verificationLevel: 'organization', certificate: 'verified' },
    context: HARDENED_PRODUCTION,
  },
  {
    agentId: 'analysis-agent',
    name: 'Analysis Agent',
    role: 'analysis',
    tier: 'T4',
    initialScore: 720,
    costPerCall: 0.03,
    capabilities: ['process_data'],
    identity: { verificationLevel: 'organization', certificate: 'certified' },
    context: HARDENED_PRODUCTION,
  },
  {
    agentId: 'writing-agent',
    name: 'Writing Agent',
    role: 'writing',
    tier: 'T2',
    initialScore: 420,
    costPerCall: 0.01,
    capabilities: ['generate_document'],
    identity: { verificationLevel: 'domain', certificate: 'registered' },
    context: { environment: 'staging', vpcIsolated: false, mtls: true, managedSecrets: true },
  },
  {
    agentId: 'review-agent',
    name: 'Review Agent',
    role: 'review',
    tier: 'T4',
    initialScore: 810,
    costPerCall: 0.03,
    capabilities: ['review_document'],
    identity: { verificationLevel: 'enterprise', certificate: 'certified' },
    context: HARDENED_PRODUCTION,
  },
  {
    agentId: 'premium-agent',
    name: 'Premium Agent',
    role: 'general',
    tier: 'T5',
    initialScore: 950,
    costPerCall: 0.05,
    capabilities: GENERAL_CAPABILITIES,
    identity: { verificationLevel: 'enterprise', certificate: 'certified-plus' },
    context: HARDENED_PRODUCTION,
  },
  {
    agentId: 'standard-agent',
    name: 'Standard Agent',
    role: 'general',
    tier: 'T3',
    initialScore: 580,
    costPerCall: 0.02,
    capabilities: GENERAL_CAPABILITIES,
    identity: { verificationLevel: 'organization', certificate: 'registered' },
    context: { environment: 'production', vpcIsolated: false, mtls: true, managedSecrets: true },
  },
  {
    agentId: 'basic-agent',
    name: 'Basic Agent',
    role: 'general',
    tier: 'T1',
    initialScore: 180,
    costPerCall: 0.01,
    capabilities: GENERAL_CAPABILITIES,
    identity: { verificationLevel: 'email', certificate: 'registered' },
    context: { environment: 'public', vpcIsolated: false, mtls: false, managedSecrets: false },
  },
];

/** What each capability of the fleet reaches: the resource type its action works on. */
const CAPABILITY_SCOPE: Readonly<Record<DemoCapability, string>> = {
  search_web: 'web',
  process_data: 'dataset',
  generate_document: 'document',
  review_document: 'document',
};

export function demoAgentManifest(agent: DemoAgent): AgentManifest {
  return {
    schemaVersion: '1.0',
    identity: { agentId: agent.agentId, name: agent.name, role: agent.role },
    capabilities: agent.capabilities.map((name) => ({
      name,
      // Searching only reads; the other actions produce something.
      level: name === 'search_web' ? 'read' : 'write',
      scopes: [CAPABILITY_SCOPE[name]],
    })),
    constraints: {},
  };
}

/** The `POST /v1/agents` body registering a demo agent with the local provider. */
export function demoAgentRegistration(agent: DemoAgent): Record<string, unknown> {
  return {
    manifest: demoAgentManifest(agent),
    costPerCall: agent.costPerCall,
    provider: { kind: 'local' },
    identity: agent.identity,
    context: agent.context,
    initialScore: agent.initialScore,
  };
}

export interface SeededAgent {
  agentId: string;
  tier: string;
  score: number;
  /** False when the agent was already registered (a restart with kept data, or a shared deployment). */
  created: boolean;
}

/**
 * Registers the fleet through the API with an admin's key in `authHeaders` (only an admin may set an
 * initial score), in the key's tenant, one agent after another: one warm function instance serves them
 * all, where seven parallel requests would each pay a cold start. Idempotent: an agent that already exists (409 agent_exists) is read back instead.
 */
export async function seedDemoFleet(
  apiUrl: string,
  authHeaders: Record<string, string>,
): Promise<SeededAgent[]> {
  const seeded: SeededAgent[] = [];
  for (const agent of DEMO_FLEET) {
    const registered = await fetch(`${apiUrl}/v1/agents`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(demoAgentRegistration(agent)),
    });
    const created = registered.status === 201;
    if (!created && registered.status !== 409) {
      throw new Error(
        `registering ${agent.agentId}: POST /v1/agents answered ${registered.status} ${await registered.text()}`,
      );
    }
    const read = await fetch(`${apiUrl}/v1/agents/${agent.agentId}`, { headers: authHeaders });
    if (read.status !== 200) {
      throw new Error(
        `reading ${agent.agentId}: GET /v1/agents/{id} answered ${read.status} ${await read.text()}`,
      );
    }
    const { tier, score } = (await read.json()) as { tier: string; score: number };
    seeded.push({ agentId: agent.agentId, tier, score, created });
  }
  return seeded;
}
