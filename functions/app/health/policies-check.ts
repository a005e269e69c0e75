// Readiness: the gate's Cedar policies load in this environment. The gate and the intents API each build a
// PolicyStore at cold start, which parses the default policy set, validates it strictly against the schema
// and pre-parses it into cedar-wasm; this check builds one the same way (once per environment: pre-parsed
// sets cannot be freed) and asks it one decision whose answer is known, so a set that no longer compiles,
// a WebAssembly module that fails to load or an engine that answers wrongly all show here. No network.
import { MANIFEST_SCHEMA_VERSION } from '../../core/policy/agent-manifest.ts';
import type { Decision, DecisionRequest } from '../../core/policy/decision.ts';
import { describeError, type HealthCheck } from './health-report.ts';

/** The part of PolicyStore (core/policy/policy-store.ts) the check uses. */
export interface PolicyDecider {
  decide(request: DecisionRequest): Decision;
}

/**
 * An Autonomous (T5) agent declaring search_web asks to search: the default set permits it (policy
 * `permit-declared-capability-at-required-tier`), and no forbid applies.
 */
const PROBE: DecisionRequest = {
  tenantId: 'readiness-probe',
  agent: {
    manifest: {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      identity: { agentId: 'readiness-probe', name: 'readiness probe', role: 'probe' },
      capabilities: [{ name: 'search_web', level: 'read', scopes: [] }],
      constraints: {},
    },
    score: 1000,
  },
  action: 'search_web',
  resource: { id: 'readiness-probe', type: 'probe' },
};
const PROBE_ANSWER = 'ALLOW';

/** `loadPolicies` builds the store (compiling the set): on the first check only, its outcome is kept. */
export function policiesCheck(loadPolicies: () => PolicyDecider): HealthCheck {
  let loaded: { store: PolicyDecider } | { error: string } | undefined;
  return () => {
    if (loaded === undefined) {
      try {
        loaded = { store: loadPolicies() };
      } catch (error) {
        loaded = { error: `policy set does not load: ${describeError(error)}` };
      }
    }
    if ('error' in loaded) return { ok: false, error: loaded.error };
    const answer = loaded.store.decide(PROBE);
    const figures = { policySetVersion: answer.policySet.version, probe: answer.decision };
    if (answer.decision === PROBE_ANSWER) return { ok: true, ...figures };
    const reasons = answer.reasons.map((reason) => `${reason.code}: ${reason.message}`).join('; ');
    return {
      ok: false,
      ...figures,
      error: `probe decision ${answer.decision}, expected ${PROBE_ANSWER} (${reasons})`,
    };
  };
}
