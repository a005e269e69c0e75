// The Cedar schema every policy set is validated against when it is loaded, so that a tenant policy with
// a misspelt attribute or an unknown action is rejected up front instead of failing (closed) on every call.
// Capabilities are a set of action names, and the context repeats the requested action's name, because
// Cedar cannot turn an entity into its id string — policies check `principal.capabilities.contains(
// context.action)`. A set of Action entity references would read better but costs cedar-wasm a parse of
// every reference on every call (about 30 µs each on the build machine).
import { AGENT_ACTIONS } from './agent-actions.ts';

export const CEDAR_NAMESPACE = 'Trustgate';

export const CEDAR_SCHEMA = `namespace ${CEDAR_NAMESPACE} {
  entity Agent = {
    tier: Long,
    score: Long,
    role: String,
    capabilities: Set<String>,
  };
  entity Resource = {
    type: String,
  };
  type RequestContext = {
    action: String,
    requiredTier: Long,
    hour: Long,
    capabilityLevel: String,
    capabilityScopes: Set<String>,
  };
  action ${AGENT_ACTIONS.join(', ')} appliesTo {
    principal: Agent,
    resource: Resource,
    context: RequestContext,
  };
}
`;
