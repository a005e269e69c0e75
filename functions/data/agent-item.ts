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
//   appliedTrustSignals  the trust calculator's record of the last APPLIED_TRUST_SIGNALS_LIMIT events it
//                 applied (oldest first), with the trust events each caused: a redelivered event is found
//                 here and changes nothing. Absent until the first signal.
//   trustAnnouncement  { score, tier, at } last announced in `trust.changed` (by the calculator or the
//                 decay sweep); the sweep announces decay relative to it. Absent until the first change.
//   version       optimistic lock for read-modify-write of trust and breaker (starts at 1). Appending an
//                 intent does NOT bump it: the chain head has its own condition, and intents must not
//                 make concurrent trust/breaker updates fail.
//   createdAt, updatedAt  ISO 8601
import type { BreakerState } from '../core/breaker/breaker-state.ts';
import type { AgentManifest } from '../core/policy/agent-manifest.ts';
import type { DeploymentContext } from '../core/trust/context.ts';
import type { IdentityEvidence } from '../core/trust/identity.ts';
import type { TierCode } from '../core/trust/tiers.ts';
import type { TrustEvent } from '../core/trust/trust-events.ts';
import type { TrustState } from '../core/trust/trust-state.ts';
import type { ProviderConfig } from '../providers/provider.ts';

export interface ChainHead {
  lastSequence: number;
  lastHash: string;
}

/** How many applied event ids the agent item remembers; older redeliveries fall to the consumer's idempotency table. */
export const APPLIED_TRUST_SIGNALS_LIMIT = 100;

export interface AppliedTrustSignal {
  /** The causing event's `eventId`. */
  eventId: string;
  /** ISO 8601, when it was applied: the `occurredAt` of the trust events it caused. */
  appliedAt: string;
  /** What the application emitted, so a redelivery can publish the very same events again. */
  events: TrustEvent[];
}

export interface TrustAnnouncement {
  /** The effective score announced. */
  score: number;
  tier: TierCode;
  /** ISO 8601. */
  at: string;
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
  appliedTrustSignals?: AppliedTrustSignal[];
  trustAnnouncement?: TrustAnnouncement;
  version: number;
  createdAt: string;
  updatedAt: string;
}
