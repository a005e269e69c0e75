// The router's view of a tenant's fleet: every agent of the tenant as selectAgent sees it now (SPEC §4.3).
//
//   tier          from the decayed (effective) score, as the gate computes it
//   breakerState  the status canPass would leave the breaker in: an OPEN breaker whose reset timeout has
//                 elapsed counts as HALF_OPEN (its next call is a probe), a breaker that refuses calls now
//                 (OPEN, or HALF_OPEN with every probe slot taken) counts as OPEN
//
// canPass is only consulted, its new state is never written: routing must not take a probe slot. The gate
// admits the probe when the step runs, under the agent's optimistic lock.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BreakerConfig } from '../../core/breaker/breaker-config.ts';
import type { BreakerState, CircuitStatus } from '../../core/breaker/breaker-state.ts';
import { canPass } from '../../core/breaker/circuit-breaker.ts';
import type { RoutingCandidate } from '../../core/routing/select-agent.ts';
import { tierForScore } from '../../core/trust/tiers.ts';
import { effectiveScore } from '../../core/trust/trust-state.ts';
import type { AgentItem } from '../../data/agent-item.ts';

/** The agent item fields routing reads; the manifest and the rest stay in the table. */
export type RoutableAgent = Pick<AgentItem, 'agentId' | 'role' | 'costPerCall' | 'trust' | 'breaker'>;

export function routingCandidate(
  agent: RoutableAgent,
  nowMs: number,
  breakerConfig: Readonly<BreakerConfig>,
): RoutingCandidate {
  const score = effectiveScore(agent.trust, nowMs);
  return {
    agentId: agent.agentId,
    role: agent.role,
    tier: tierForScore(score),
    score,
    costPerCall: agent.costPerCall,
    breakerState: routingBreakerStatus(agent.breaker, nowMs, breakerConfig),
  };
}

function routingBreakerStatus(
  breaker: BreakerState,
  nowMs: number,
  config: Readonly<BreakerConfig>,
): CircuitStatus {
  const pass = canPass(breaker, nowMs, config);
  return pass.allowed ? pass.state.status : 'OPEN';
}

/**
 * Every agent of the tenant (the partition key scopes the Query, so no other tenant's agent can appear),
 * all pages, strongly consistent: an agent registered while a step waits in the queue is seen by the
 * next attempt.
 */
export async function readTenantAgents(
  client: DynamoDBDocumentClient,
  agentsTable: string,
  tenantId: string,
): Promise<RoutableAgent[]> {
  const agents: RoutableAgent[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: agentsTable,
        KeyConditionExpression: 'tenantId = :tenantId',
        ExpressionAttributeValues: { ':tenantId': tenantId },
        // ROLE is a DynamoDB reserved word; the others are aliased too so the list reads as one.
        ProjectionExpression: '#agentId, #role, #costPerCall, #trust, #breaker',
        ExpressionAttributeNames: {
          '#agentId': 'agentId',
          '#role': 'role',
          '#costPerCall': 'costPerCall',
          '#trust': 'trust',
          '#breaker': 'breaker',
        },
        ConsistentRead: true,
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    agents.push(...((page.Items ?? []) as RoutableAgent[]));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return agents;
}
