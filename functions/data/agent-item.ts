// The AgentsTable item (docs/backend.md): PK `tenantId`, SK `agentId`.
//
//   manifest      the validated AgentManifest (functions/core/policy)
//   name, role    copies of manifest.identity.name / .role, for listing without reading the manifest
//   costPerCall   USD per call
//   provider      ProviderConfig (functions/providers); { kind: 'local' } unless registered otherwise
//   identity      IdentityEvidence, context DeploymentContext (functions/core/trust): the facts trust starts from
//   trust         TrustState (functions/core/trust); scores are derived on read, never stored
//   breaker       BreakerState (functions/core/breaker)
//   chainHead     { lastSequence, lastHash } of the agent's intent chain; absent before the first intent
//   version       optimistic lock for read-modify-write of trust and breaker (starts at 1). Appending an
//                 intent does NOT bump it: the chain head has its own condition, and intents must not
//                 make concurrent trust/breaker updates fail.
//   createdAt, updatedAt  ISO 8601
import type { BreakerState } from '../core/breaker/breaker-state.ts';
import type { AgentManifest } from '../core/policy/agent-manifest.ts';
import type { DeploymentContext } from '../core/trust/context.ts';
import type { IdentityEvidence } from '../core/trust/identity.ts';
import type { TrustState } from '../core/trust/trust-state.ts';
import type { ProviderConfig } from '../providers/provider.ts';

export interface ChainHead {
  lastSequence: number;
  lastHash: string;
}

export interface AgentItem {
  tenantId: string;
  agentId: string;
  manifest: AgentManifest;
  name: string;
  role: string;
  costPerCall: number;
  provider: ProviderConfig;
  identity: IdentityEvidence;
  context: DeploymentContext;
  trust: TrustState;
  breaker: BreakerState;
  chainHead?: ChainHead;
  version: number;
  createdAt: string;
  updatedAt: string;
}
