// Manifests of the seed's demo fleet (SPEC §2) for the policy tests.
import type { AgentAction } from '../../../functions/core/policy/agent-actions.ts';
import type { AgentManifest } from '../../../functions/core/policy/agent-manifest.ts';
import type { DecisionRequest } from '../../../functions/core/policy/decision.ts';
import type { Tier } from '../../../functions/core/trust/tiers.ts';

export function manifestFor(
  agentId: string,
  role: string,
  actions: readonly AgentAction[],
  constraints: AgentManifest['constraints'] = {},
): AgentManifest {
  return {
    schemaVersion: '1.0',
    identity: { agentId, name: `${role} agent`, role },
    capabilities: actions.map((name) => ({ name, level: 'write', scopes: ['reports'] })),
    constraints,
  };
}

export const SEED_AGENTS = {
  research: { manifest: manifestFor('research-agent', 'research', ['search_web']), score: 580 },
  analysis: { manifest: manifestFor('analysis-agent', 'analysis', ['process_data']), score: 720 },
  writing: { manifest: manifestFor('writing-agent', 'writing', ['generate_document']), score: 420 },
  review: { manifest: manifestFor('review-agent', 'review', ['review_document']), score: 810 },
} as const;

export function requestFor(
  agent: DecisionRequest['agent'],
  action: string,
  requiredTier?: Tier,
  overrides: Partial<DecisionRequest> = {},
): DecisionRequest {
  return {
    tenantId: 'tenant-a',
    agent,
    action,
    resource: { id: 'report-42', type: 'reports' },
    ...(requiredTier === undefined ? {} : { requiredTier }),
    ...overrides,
  };
}
