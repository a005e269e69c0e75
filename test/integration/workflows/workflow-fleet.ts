// Agents for the workflow integration tests, written with the data layer as registration would write
// them: a manifest declaring the given actions, an admin initial score (the demo fleet's, SPEC §2), a
// closed breaker unless a test says otherwise.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BreakerState, initialBreakerState } from '../../../functions/core/breaker/breaker-state.ts';
import type { AgentAction } from '../../../functions/core/policy/agent-actions.ts';
import { initialTrustState } from '../../../functions/core/trust/initial-score.ts';
import type { AgentItem } from '../../../functions/data/agent-item.ts';
import { createAgent } from '../../../functions/data/agents-repository.ts';
import type { ProviderConfig } from '../../../functions/providers/provider.ts';

export interface FleetAgent {
  agentId: string;
  role: string;
  actions: AgentAction[];
  score: number;
  costPerCall: number;
  provider?: ProviderConfig;
  breaker?: BreakerState;
}

/** The report pipeline's agents, at the seed's scores: research T3 580, analysis T4 720, writing T2 420. */
export const REPORT_FLEET: readonly FleetAgent[] = [
  { agentId: 'research-agent', role: 'research', actions: ['search_web'], score: 580, costPerCall: 0.02 },
  { agentId: 'analysis-agent', role: 'analysis', actions: ['process_data'], score: 720, costPerCall: 0.03 },
  {
    agentId: 'writing-agent',
    role: 'writing',
    actions: ['generate_document'],
    score: 420,
    costPerCall: 0.01,
  },
];

export function agentItem(tenantId: string, agent: FleetAgent, now: number): AgentItem {
  const identity = { verificationLevel: 'email', certificate: 'registered' } as const;
  const context = {
    environment: 'development',
    vpcIsolated: false,
    mtls: false,
    managedSecrets: false,
  } as const;
  const timestamp = new Date(now).toISOString();
  const name = agent.agentId
    .split('-')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
  return {
    tenantId,
    agentId: agent.agentId,
    manifest: {
      schemaVersion: '1.0',
      identity: { agentId: agent.agentId, name, role: agent.role },
      capabilities: agent.actions.map((action) => ({ name: action, level: 'read', scopes: ['public'] })),
      constraints: {},
    },
    name,
    role: agent.role,
    costPerCall: agent.costPerCall,
    provider: agent.provider ?? { kind: 'local' },
    identity,
    context,
    trust: initialTrustState({ identity, context, adminInitialScore: agent.score }, now),
    breaker: agent.breaker ?? initialBreakerState(),
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
}

export async function seedAgents(
  client: DynamoDBDocumentClient,
  agentsTable: string,
  tenantId: string,
  agents: readonly FleetAgent[],
): Promise<void> {
  const now = Date.now();
  for (const agent of agents) await createAgent(client, agentsTable, agentItem(tenantId, agent, now));
}
