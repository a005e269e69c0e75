import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGENT_ACTIONS } from '../../../functions/core/policy/agent-actions.ts';
import { evaluatePreparsed, naiveIsAuthorized } from '../../../functions/core/policy/cedar-evaluation.ts';
import { type AuthorizationFacts, toCedarRequest } from '../../../functions/core/policy/cedar-request.ts';
import { compilePolicySet } from '../../../functions/core/policy/compiled-policy-set.ts';
import { DEFAULT_POLICY_TEXT } from '../../../functions/core/policy/default-policies.ts';
import type { Tier } from '../../../functions/core/trust/tiers.ts';

const tier = fc.integer({ min: 0, max: 5 }).map((value) => value as Tier);

const facts: fc.Arbitrary<AuthorizationFacts> = fc.record({
  agentId: fc.string({ minLength: 1 }),
  tier,
  score: fc.integer({ min: 0, max: 1000 }),
  role: fc.string(),
  capabilities: fc.subarray([...AGENT_ACTIONS]),
  action: fc.constantFrom(...AGENT_ACTIONS),
  resource: fc.record({ id: fc.string({ minLength: 1 }), type: fc.string() }),
  requiredTier: tier,
  hour: fc.integer({ min: 0, max: 23 }),
  capabilityLevel: fc.constantFrom('read', 'write', 'admin'),
  capabilityScopes: fc.array(fc.string()),
});

describe('Cedar evaluation', () => {
  const compiled = compilePolicySet('cedar-evaluation-test/default', DEFAULT_POLICY_TEXT);

  it('answers the same pre-parsed as when parsing the text on every call (the benchmark baseline)', () => {
    const positional = new Map(
      [...compiled.policies.keys()].map((id, position) => [`policy${position}`, id]),
    );
    fc.assert(
      fc.property(facts, (generated) => {
        const request = toCedarRequest(generated);
        const preparsed = evaluatePreparsed(compiled.preparsedId, request);
        const naive = naiveIsAuthorized(DEFAULT_POLICY_TEXT, request);
        if (naive.kind === 'error') throw new Error(naive.messages.join('; '));
        expect(preparsed).toEqual({
          kind: naive.kind,
          // Text parsed whole names policies by position; the compiled set names them by @id.
          determiningPolicyIds: naive.determiningPolicyIds.map((id) => positional.get(id)),
        });
      }),
      { numRuns: 200 },
    );
  });

  it('reports an error, not a decision, for a policy set that was never pre-parsed', () => {
    const request = toCedarRequest(fc.sample(facts, { numRuns: 1, seed: 7 })[0]!);
    expect(evaluatePreparsed('never-preparsed', request)).toEqual({
      kind: 'error',
      messages: ["preparsed policy set 'never-preparsed' not found"],
    });
  });
});
