// One Cedar authorization, reduced to what the decision needs: allow or deny with the determining policy
// ids, or an error. Cedar skips a policy whose condition errors and decides without it — an errored forbid
// would then let the request through — so any per-policy error is reported as an error here (fail closed).
import {
  type AuthorizationAnswer,
  isAuthorized,
  statefulIsAuthorized,
} from '@cedar-policy/cedar-wasm/nodejs';
import type { CedarRequest } from './cedar-request.ts';

export type CedarOutcome =
  | { kind: 'allow' | 'deny'; determiningPolicyIds: readonly string[] }
  | { kind: 'error'; messages: string[] };

/** Evaluates against a policy set parsed once by `preparsePolicySet` (the gate's path). */
export function evaluatePreparsed(preparsedPolicySetId: string, request: CedarRequest): CedarOutcome {
  return outcomeOf(() => statefulIsAuthorized({ ...request, preparsedPolicySetId }));
}

/**
 * Evaluates with the policy text parsed anew on every call — the naive baseline the benchmark compares the
 * preparsed path with. Not used by the gate.
 */
export function naiveIsAuthorized(policyText: string, request: CedarRequest): CedarOutcome {
  return outcomeOf(() => isAuthorized({ ...request, policies: { staticPolicies: policyText } }));
}

function outcomeOf(authorize: () => AuthorizationAnswer): CedarOutcome {
  let answer: AuthorizationAnswer;
  try {
    answer = authorize();
  } catch (error) {
    return { kind: 'error', messages: [error instanceof Error ? error.message : String(error)] };
  }
  if (answer.type === 'failure') {
    return { kind: 'error', messages: answer.errors.map((error) => error.message) };
  }
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) {
    return {
      kind: 'error',
      messages: diagnostics.errors.map(({ policyId, error }) => `policy ${policyId}: ${error.message}`),
    };
  }
  return { kind: decision, determiningPolicyIds: diagnostics.reason };
}
