// Turns the facts of one authorization question into Cedar's JSON request: principal, action, resource,
// context and the entity slice that carries their attributes (SPEC §3: tier, score, capabilities,
// resource type and time are attributes).
import type { Context, EntityJson, EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { Tier } from '../trust/tiers.ts';
import type { AgentAction } from './agent-actions.ts';
import { CEDAR_NAMESPACE } from './cedar-schema.ts';

export interface AuthorizationFacts {
  agentId: string;
  tier: Tier;
  score: number;
  role: string;
  capabilities: readonly AgentAction[];
  action: AgentAction;
  resource: { id: string; type: string };
  requiredTier: Tier;
  /** Hour of day, 0–23 UTC, of the decision. */
  hour: number;
  capabilityLevel: string;
  capabilityScopes: readonly string[];
}

export interface CedarRequest {
  principal: EntityUidJson;
  action: EntityUidJson;
  resource: EntityUidJson;
  context: Context;
  entities: EntityJson[];
}

const AGENT_TYPE = `${CEDAR_NAMESPACE}::Agent`;
const ACTION_TYPE = `${CEDAR_NAMESPACE}::Action`;
const RESOURCE_TYPE = `${CEDAR_NAMESPACE}::Resource`;

export function toCedarRequest(facts: AuthorizationFacts): CedarRequest {
  const principal = { type: AGENT_TYPE, id: facts.agentId };
  const resource = { type: RESOURCE_TYPE, id: facts.resource.id };
  return {
    principal,
    action: { type: ACTION_TYPE, id: facts.action },
    resource,
    context: {
      action: facts.action,
      requiredTier: facts.requiredTier,
      hour: facts.hour,
      capabilityLevel: facts.capabilityLevel,
      capabilityScopes: [...facts.capabilityScopes],
    },
    entities: [
      {
        uid: principal,
        attrs: {
          tier: facts.tier,
          // Cedar's Long is an integer; a decayed score may carry a fraction, which no threshold needs.
          score: Math.floor(facts.score),
          role: facts.role,
          capabilities: [...facts.capabilities],
        },
        parents: [],
      },
      { uid: resource, attrs: { type: facts.resource.type }, parents: [] },
    ],
  };
}
