// Bodies for `POST /v1/agents` in tests. The default registration starts at score 650 (T3 Trusted):
// 450 (neutral behavior, full compliance) + 200 × identity 0.4 (email, registered) + 150 × context 0.8
// (development, no hardening).
import type { AgentAction } from '../../functions/core/policy/agent-actions.ts';

export interface RegistrationOptions {
  agentId: string;
  role?: string;
  actions?: AgentAction[];
  costPerCall?: number;
  initialScore?: number;
}

export const DEFAULT_REGISTRATION_SCORE = 650;

export function agentRegistration(options: RegistrationOptions): Record<string, unknown> {
  const { agentId, role = 'research', actions = ['search_web'], costPerCall = 0.02, initialScore } = options;
  return {
    manifest: {
      schemaVersion: '1.0',
      identity: { agentId, name: `Agent ${agentId}`, role },
      capabilities: actions.map((name) => ({ name, level: 'read', scopes: ['public'] })),
      constraints: {},
    },
    costPerCall,
    identity: { verificationLevel: 'email', certificate: 'registered' },
    context: { environment: 'development' },
    ...(initialScore === undefined ? {} : { initialScore }),
  };
}
