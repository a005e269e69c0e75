import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CedarAnswerMemo } from '../../../functions/core/policy/cedar-answer-memo.ts';
import { evaluatePreparsed } from '../../../functions/core/policy/cedar-evaluation.ts';
import { type AuthorizationFacts, toCedarRequest } from '../../../functions/core/policy/cedar-request.ts';
import { compilePolicySet } from '../../../functions/core/policy/compiled-policy-set.ts';
import { DEFAULT_POLICY_TEXT } from '../../../functions/core/policy/default-policies.ts';
import { PolicyStore } from '../../../functions/core/policy/policy-store.ts';
import type { Tier } from '../../../functions/core/trust/tiers.ts';
import { manifestFor, requestFor, SEED_AGENTS } from './seed-agents.ts';

const compiled = compilePolicySet('cedar-answer-memo-test/default', DEFAULT_POLICY_TEXT);

const researchFacts: AuthorizationFacts = {
  agentId: 'research-agent',
  tier: 3,
  score: 580,
  role: 'research',
  capabilities: ['search_web'],
  action: 'search_web',
  resource: { id: 'report-42', type: 'reports' },
  requiredTier: 3,
  hour: 12,
  capabilityLevel: 'write',
  capabilityScopes: ['reports'],
};

describe('CedarAnswerMemo', () => {
  it('answers as Cedar does, and the second time from memory', () => {
    const memo = new CedarAnswerMemo();
    const request = toCedarRequest(researchFacts);
    const first = memo.evaluate(compiled.preparsedId, request);
    expect(first).toEqual(evaluatePreparsed(compiled.preparsedId, request));
    expect(first.kind).toBe('allow');
    expect(memo.evaluate(compiled.preparsedId, toCedarRequest(researchFacts))).toBe(first);
    expect(memo.size).toBe(1);
  });

  it('never answers a changed fact from memory', () => {
    const memo = new CedarAnswerMemo();
    expect(memo.evaluate(compiled.preparsedId, toCedarRequest(researchFacts)).kind).toBe('allow');
    // The same agent after losing a tier: a different request, so Cedar is asked and denies.
    const demoted = memo.evaluate(compiled.preparsedId, toCedarRequest({ ...researchFacts, tier: 2 }));
    expect(demoted.kind).toBe('deny');
    const otherHour = memo.evaluate(compiled.preparsedId, toCedarRequest({ ...researchFacts, hour: 13 }));
    expect(otherHour).not.toBe(memo.evaluate(compiled.preparsedId, toCedarRequest(researchFacts)));
    expect(memo.size).toBe(3);
  });

  it('keeps the policy sets apart', () => {
    const permitNothing = compilePolicySet(
      'cedar-answer-memo-test/nothing',
      'forbid (principal, action, resource);',
    );
    const memo = new CedarAnswerMemo();
    const request = toCedarRequest(researchFacts);
    expect(memo.evaluate(compiled.preparsedId, request).kind).toBe('allow');
    expect(memo.evaluate(permitNothing.preparsedId, request).kind).toBe('deny');
  });

  it('forgets the least recently used answer beyond its capacity', () => {
    const memo = new CedarAnswerMemo(2);
    const hour = (value: number) => toCedarRequest({ ...researchFacts, hour: value });
    const atOne = memo.evaluate(compiled.preparsedId, hour(1));
    const atTwo = memo.evaluate(compiled.preparsedId, hour(2));
    expect(memo.evaluate(compiled.preparsedId, hour(1))).toBe(atOne); // hour 1 is now the most recent
    memo.evaluate(compiled.preparsedId, hour(3)); // evicts hour 2
    expect(memo.size).toBe(2);
    expect(memo.evaluate(compiled.preparsedId, hour(1))).toBe(atOne);
    const atTwoAgain = memo.evaluate(compiled.preparsedId, hour(2));
    expect(atTwoAgain).toEqual(atTwo);
    expect(atTwoAgain).not.toBe(atTwo);
  });

  it('does not remember errors', () => {
    const memo = new CedarAnswerMemo();
    expect(memo.evaluate('never-preparsed', toCedarRequest(researchFacts)).kind).toBe('error');
    expect(memo.size).toBe(0);
  });

  it('with capacity 0 asks Cedar every time', () => {
    const memo = new CedarAnswerMemo(0);
    const request = toCedarRequest(researchFacts);
    const first = memo.evaluate(compiled.preparsedId, request);
    expect(memo.evaluate(compiled.preparsedId, request)).not.toBe(first);
    expect(memo.size).toBe(0);
  });

  it('hands out answers that cannot be altered for the next caller', () => {
    const memo = new CedarAnswerMemo();
    const answer = memo.evaluate(compiled.preparsedId, toCedarRequest(researchFacts));
    expect(Object.isFrozen(answer)).toBe(true);
    if (answer.kind === 'error') throw new Error('expected a decision');
    expect(Object.isFrozen(answer.determiningPolicyIds)).toBe(true);
  });

  it('never changes a decision: a memoizing store decides as one that asks Cedar every time', () => {
    const clock = () => Date.UTC(2026, 10, 25, 9);
    const memoizing = new PolicyStore({ clock, answerMemoCapacity: 8 });
    const direct = new PolicyStore({ clock, answerMemoCapacity: 0 });
    const agents = [
      SEED_AGENTS.research,
      SEED_AGENTS.analysis,
      SEED_AGENTS.writing,
      { manifest: manifestFor('mailer', 'outreach', ['send_email', 'delete_data']), score: 450 },
    ];
    const intent = fc.record({
      agent: fc.constantFrom(...agents),
      score: fc.integer({ min: 0, max: 1000 }),
      action: fc.constantFrom('search_web', 'process_data', 'generate_document', 'send_email', 'delete_data'),
      requiredTier: fc.integer({ min: 0, max: 5 }).map((value) => value as Tier),
    });
    fc.assert(
      fc.property(fc.array(intent, { minLength: 1, maxLength: 30 }), (intents) => {
        for (const { agent, score, action, requiredTier } of intents) {
          const request = requestFor({ manifest: agent.manifest, score }, action, requiredTier);
          expect(memoizing.decide(request)).toEqual(direct.decide(request));
        }
      }),
      { numRuns: 60 },
    );
  });
});
