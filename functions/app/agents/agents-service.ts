// The agent registry behind `POST /v1/agents`, `GET /v1/agents` and `GET /v1/agents/{id}`.
// Dependencies are passed in (client, table, clock) so the service runs the same against DynamoDB Local in
// tests as in AWS, at any instant a test chooses.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Caller, hasRole } from '../../core/auth/caller.ts';
import { initialBreakerState } from '../../core/breaker/breaker-state.ts';
import { initialTrustState } from '../../core/trust/initial-score.ts';
import type { AgentItem } from '../../data/agent-item.ts';
import { AgentAlreadyExistsError, createAgent, getAgent, listAgents } from '../../data/agents-repository.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import type { AgentRegistration } from './agent-registration.ts';
import {
  type AgentDetailView,
  type AgentSummaryView,
  agentDetailView,
  agentSummaryView,
} from './agent-view.ts';

export interface AgentsServiceDependencies {
  client: DynamoDBDocumentClient;
  agentsTable: string;
  /** Epoch milliseconds. */
  clock: () => number;
}

export async function registerAgent(
  dependencies: AgentsServiceDependencies,
  request: { caller: Caller; registration: AgentRegistration },
): Promise<AgentDetailView> {
  const { registration, caller } = request;
  const { tenantId } = caller;
  if (registration.initialScore !== undefined && !hasRole(caller, 'admin')) {
    throw new ApiError(403, 'admin_required', 'only an admin may set an initial score', [
      { field: 'initialScore', message: 'needs a key with the admin role' },
    ]);
  }
  const now = dependencies.clock();
  const timestamp = new Date(now).toISOString();
  const { identity, context, manifest } = registration;
  const item: AgentItem = {
    tenantId,
    agentId: manifest.identity.agentId,
    manifest,
    name: manifest.identity.name,
    role: manifest.identity.role,
    costPerCall: registration.costPerCall,
    provider: registration.provider,
    identity,
    context,
    trust: initialTrustState({ identity, context, adminInitialScore: registration.initialScore }, now),
    breaker: initialBreakerState(),
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  try {
    await createAgent(dependencies.client, dependencies.agentsTable, item);
  } catch (error) {
    if (error instanceof AgentAlreadyExistsError) {
      throw new ApiError(409, 'agent_exists', error.message, [
        { field: 'manifest.identity.agentId', message: 'already registered' },
      ]);
    }
    throw error;
  }
  return agentDetailView(item, now);
}

export async function listAgentViews(
  dependencies: AgentsServiceDependencies,
  request: { tenantId: string; limit: number; nextToken?: string },
): Promise<{ agents: AgentSummaryView[]; nextToken?: string }> {
  const page = await listAgents(dependencies.client, dependencies.agentsTable, request.tenantId, request);
  const now = dependencies.clock();
  const agents = page.agents.map((agent) => agentSummaryView(agent, now));
  return page.nextToken ? { agents, nextToken: page.nextToken } : { agents };
}

export async function getAgentView(
  dependencies: AgentsServiceDependencies,
  request: { tenantId: string; agentId: string },
): Promise<AgentDetailView> {
  const agent = await getAgent(
    dependencies.client,
    dependencies.agentsTable,
    request.tenantId,
    request.agentId,
  );
  if (!agent) throw agentNotFound(request.agentId, 'pathParameters.id');
  return agentDetailView(agent, dependencies.clock());
}

/** 404 for an agent the caller's tenant does not have; `field` names where the id came from. */
export function agentNotFound(agentId: string, field: string): ApiError {
  return notFound('agent_not_found', `agent "${agentId}" not found`, field);
}
