// The intent engine behind `POST /v1/intents` and `GET /v1/agents/{id}/intents/verify` (SPEC §3):
//   L1  the agent must exist in the caller's tenant (404), its manifest is what the decision checks
//       the action against (an undeclared action is a DENY, not an error)
//   L3  PolicyStore.decide on the agent's effective (decayed) score and the required tier
//   L2  the intent is appended to the agent's hash chain together with that decision, in one conditional
//       transaction (functions/data/intent-ledger.ts)
// The decision is taken before the append because it is stored in the same item; it depends on the
// agent, never on the chain, so the order changes nothing about either. DENY and ESCALATE are recorded
// intents like ALLOW: the record says what was asked, the decision what the platform answered.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { verifyChain } from '../../core/intents/chain.ts';
import type { PolicyStore } from '../../core/policy/policy-store.ts';
import { effectiveScore } from '../../core/trust/trust-state.ts';
import { getAgent } from '../../data/agents-repository.ts';
import {
  AgentMissingError,
  ChainAppendContentionError,
  declareIntent,
  type IntentDecision,
  intentDecision,
  readChain,
} from '../../data/intent-ledger.ts';
import { ApiError } from '../../http/api-error.ts';
import { agentNotFound } from '../agents/agents-service.ts';
import { type ChainIntegrity, chainIntegrity } from './chain-integrity.ts';
import type { IntentDeclaration } from './intent-declaration.ts';

export interface IntentsServiceDependencies {
  client: DynamoDBDocumentClient;
  agentsTable: string;
  intentsTable: string;
  policyStore: PolicyStore;
  /** Epoch milliseconds. */
  clock: () => number;
  /** A fresh UUIDv7 per call. */
  newIntentId: () => string;
}

export interface DeclaredIntentView extends IntentDecision {
  intentId: string;
  hash: string;
  previousHash: string;
  sequence: number;
}

export async function declareAgentIntent(
  dependencies: IntentsServiceDependencies,
  request: { tenantId: string; declaration: IntentDeclaration },
): Promise<DeclaredIntentView> {
  const { tenantId, declaration } = request;
  const { client, clock } = dependencies;
  const agent = await getAgent(client, dependencies.agentsTable, tenantId, declaration.agentId);
  if (!agent) throw agentNotFound(declaration.agentId, 'agentId');

  const decision = dependencies.policyStore.decide({
    tenantId,
    agent: { manifest: agent.manifest, score: effectiveScore(agent.trust, clock()) },
    action: declaration.action,
    resource: declaration.resource,
    requiredTier: declaration.requiredTier,
  });
  try {
    const { record, item } = await declareIntent(client, {
      tables: { agents: dependencies.agentsTable, intents: dependencies.intentsTable },
      tenantId,
      agentId: agent.agentId,
      draft: { action: declaration.action, resource: declaration.resource, context: declaration.context },
      decision: intentDecision(decision),
      knownHead: { chainHead: agent.chainHead },
      ids: { clock, newIntentId: dependencies.newIntentId },
    });
    return {
      intentId: record.intentId,
      hash: record.hash,
      previousHash: record.previousHash,
      sequence: record.sequence,
      ...item.decision,
    };
  } catch (error) {
    if (error instanceof AgentMissingError) throw agentNotFound(declaration.agentId, 'agentId');
    if (error instanceof ChainAppendContentionError) {
      throw new ApiError(503, 'chain_contended', `${error.message}; retry the request`);
    }
    throw error;
  }
}

export async function verifyAgentChain(
  dependencies: IntentsServiceDependencies,
  request: { tenantId: string; agentId: string },
): Promise<ChainIntegrity> {
  const { client } = dependencies;
  const agent = await getAgent(client, dependencies.agentsTable, request.tenantId, request.agentId);
  if (!agent) throw agentNotFound(request.agentId, 'pathParameters.id');
  const records = await readChain(client, dependencies.intentsTable, request.tenantId, request.agentId);
  return chainIntegrity(verifyChain(records), records, agent.chainHead);
}
