import { describe, expect, it } from 'vitest';
import { PolicySetLoadError } from '../../../functions/core/policy/compiled-policy-set.ts';
import { PolicyStore, PolicyVersionConflictError } from '../../../functions/core/policy/policy-store.ts';
import { manifestFor, requestFor, SEED_AGENTS } from './seed-agents.ts';

const NOON_UTC = Date.UTC(2026, 10, 25, 12, 0, 0);

function storeAt(epochMs = NOON_UTC): PolicyStore {
  return new PolicyStore({ clock: () => epochMs });
}

describe('default policy set: the report pipeline of the seed fleet', () => {
  const store = storeAt();

  it.each([
    ['research', SEED_AGENTS.research, 'search_web', 3, { maxTokens: 8_000, timeoutMs: 30_000 }],
    ['analysis', SEED_AGENTS.analysis, 'process_data', 4, { maxTokens: 16_000, timeoutMs: 60_000 }],
    ['writing', SEED_AGENTS.writing, 'generate_document', 2, { maxTokens: 4_000, timeoutMs: 15_000 }],
    ['review', SEED_AGENTS.review, 'review_document', 3, { maxTokens: 16_000, timeoutMs: 60_000 }],
  ] as const)('ALLOWs the %s step with limits from the agent tier', (_step, agent, action, tier, budget) => {
    const decision = store.decide(requestFor(agent, action, tier));
    expect(decision).toEqual({
      decision: 'ALLOW',
      reasons: [
        {
          code: 'permitted',
          message: 'the agent declares the capability and its tier meets the required tier',
          policyId: 'permit-declared-capability-at-required-tier',
        },
      ],
      limits: { ...budget, allowedCapabilities: [action] },
      policySet: { tenantId: 'tenant-a', version: 0 },
    });
  });

  it('narrows the limits to the manifest constraints', () => {
    const agent = {
      manifest: manifestFor('frugal', 'research', ['search_web', 'process_data'], {
        maxTokensPerCall: 500,
        maxTimeoutMs: 120_000,
      }),
      score: 950,
    };
    const decision = store.decide(requestFor(agent, 'search_web'));
    expect(decision).toMatchObject({
      decision: 'ALLOW',
      limits: { maxTokens: 500, timeoutMs: 120_000, allowedCapabilities: ['search_web', 'process_data'] },
    });
  });

  it('uses the action baseline tier when the request names none', () => {
    const basic = {
      manifest: manifestFor('basic-agent', 'general', ['search_web', 'write_file']),
      score: 180,
    };
    expect(store.decide(requestFor(basic, 'search_web')).decision).toBe('ALLOW');
    expect(store.decide(requestFor(basic, 'write_file'))).toMatchObject({
      decision: 'ESCALATE',
      reasons: [{ code: 'trust_threshold', message: 'requires tier T3; agent "basic-agent" is T1' }],
      escalation: { level: 2 },
    });
  });
});

describe('L1: declared capabilities and resource constraints', () => {
  const store = storeAt();

  it('DENYs an action the manifest does not declare, however trusted the agent', () => {
    const decision = store.decide(requestFor(SEED_AGENTS.review, 'delete_data', 0));
    expect(decision).toEqual({
      decision: 'DENY',
      reasons: [
        {
          code: 'capability_not_declared',
          message: 'agent "review-agent" does not declare the capability "delete_data"',
        },
      ],
      policySet: { tenantId: 'tenant-a', version: 0 },
    });
  });

  it('DENYs an action outside the vocabulary', () => {
    const decision = store.decide(requestFor(SEED_AGENTS.review, 'launch_rockets'));
    expect(decision).toMatchObject({ decision: 'DENY', reasons: [{ code: 'capability_not_declared' }] });
  });

  it('DENYs a resource type the manifest does not allow', () => {
    const agent = {
      manifest: manifestFor('scoped', 'research', ['search_web'], { allowedResourceTypes: ['web'] }),
      score: 600,
    };
    expect(store.decide(requestFor(agent, 'search_web'))).toMatchObject({
      decision: 'DENY',
      reasons: [{ code: 'resource_type_not_allowed' }],
    });
    const allowed = requestFor(agent, 'search_web', 1, { resource: { id: 'q', type: 'web' } });
    expect(store.decide(allowed).decision).toBe('ALLOW');
  });
});

describe('forbid wins', () => {
  const store = storeAt();
  const cleaner = (score: number) => ({ manifest: manifestFor('cleaner', 'ops', ['delete_data']), score });

  it('DENYs deletion below T4 even though the permit matches', () => {
    expect(store.decide(requestFor(cleaner(650), 'delete_data', 3))).toEqual({
      decision: 'DENY',
      reasons: [
        {
          code: 'forbidden_by_policy',
          message: 'destructive actions need tier T4 (Certified) or above',
          policyId: 'forbid-destructive-below-certified',
        },
      ],
      policySet: { tenantId: 'tenant-a', version: 0 },
    });
  });

  it('DENYs rather than ESCALATEs when a forbid blocks besides the tier', () => {
    expect(store.decide(requestFor(cleaner(650), 'delete_data', 4))).toMatchObject({
      decision: 'DENY',
      reasons: [{ code: 'forbidden_by_policy', policyId: 'forbid-destructive-below-certified' }],
    });
  });

  it('ALLOWs deletion at T4', () => {
    expect(store.decide(requestFor(cleaner(700), 'delete_data', 4)).decision).toBe('ALLOW');
  });
});

describe('ESCALATE', () => {
  const store = storeAt();

  it('when only the trust threshold blocks, to one level per missing tier', () => {
    expect(store.decide(requestFor(SEED_AGENTS.writing, 'generate_document', 4))).toEqual({
      decision: 'ESCALATE',
      reasons: [{ code: 'trust_threshold', message: 'requires tier T4; agent "writing-agent" is T2' }],
      escalation: { level: 2 },
      policySet: { tenantId: 'tenant-a', version: 0 },
    });
    expect(store.decide(requestFor(SEED_AGENTS.research, 'search_web', 4))).toMatchObject({
      decision: 'ESCALATE',
      escalation: { level: 1 },
    });
  });

  it('caps the level at the highest authority', () => {
    const sandboxed = { manifest: manifestFor('new-agent', 'research', ['search_web']), score: 20 };
    expect(store.decide(requestFor(sandboxed, 'search_web', 5))).toMatchObject({
      decision: 'ESCALATE',
      escalation: { level: 3 },
    });
  });

  it('when an @escalate forbid blocks, to the level it names', () => {
    const mailer = { manifest: manifestFor('mailer', 'comms', ['send_email', 'execute_code']), score: 810 };
    expect(store.decide(requestFor(mailer, 'send_email', 3))).toEqual({
      decision: 'ESCALATE',
      reasons: [
        {
          code: 'escalation_required',
          message: 'sending email below tier T5 (Autonomous) needs human approval',
          policyId: 'escalate-email-below-autonomous',
        },
      ],
      escalation: { level: 1 },
      policySet: { tenantId: 'tenant-a', version: 0 },
    });
    expect(store.decide(requestFor(mailer, 'execute_code', 4))).toMatchObject({
      decision: 'ESCALATE',
      escalation: { level: 2 },
    });
    expect(store.decide(requestFor({ ...mailer, score: 950 }, 'send_email', 3)).decision).toBe('ALLOW');
  });

  it('to the highest level asked when both the tier and an @escalate forbid block', () => {
    const mailer = { manifest: manifestFor('mailer', 'comms', ['send_email']), score: 400 };
    expect(store.decide(requestFor(mailer, 'send_email', 3))).toMatchObject({
      decision: 'ESCALATE',
      reasons: [{ code: 'trust_threshold' }, { code: 'escalation_required' }],
      escalation: { level: 1 },
    });
    expect(store.decide(requestFor({ ...mailer, score: 150 }, 'send_email', 4))).toMatchObject({
      decision: 'ESCALATE',
      escalation: { level: 3 },
    });
  });
});

describe('tenant policy sets', () => {
  const PERMIT_PUBLIC_ONLY = `
    @id("public-only")
    permit (principal, action, resource) when {
      resource.type == "public" && principal.tier >= context.requiredTier
    };`;

  it('DENYs when no permit matches and lifting the tier would not help', () => {
    const store = storeAt();
    store.load('tenant-a', 1, PERMIT_PUBLIC_ONLY);
    expect(store.decide(requestFor(SEED_AGENTS.research, 'search_web', 5))).toMatchObject({
      decision: 'DENY',
      reasons: [{ code: 'no_permitting_policy' }],
    });
    expect(store.decide(requestFor(SEED_AGENTS.research, 'search_web', 2))).toMatchObject({
      decision: 'DENY',
      reasons: [{ code: 'no_permitting_policy' }],
    });
    const publicSearch = requestFor(SEED_AGENTS.research, 'search_web', 5, {
      resource: { id: 'q', type: 'public' },
    });
    expect(store.decide(publicSearch)).toMatchObject({ decision: 'ESCALATE', escalation: { level: 2 } });
  });

  it('DENYs when a forbid would match once the agent had the required tier', () => {
    const store = storeAt();
    store.load(
      'tenant-a',
      1,
      `permit (principal, action, resource) when { principal.tier >= context.requiredTier };
       @id("no-autonomous-search") forbid (principal, action == Trustgate::Action::"search_web", resource)
       when { principal.tier >= 5 };`,
    );
    expect(store.decide(requestFor(SEED_AGENTS.research, 'search_web', 5))).toMatchObject({
      decision: 'DENY',
      reasons: [{ code: 'forbidden_by_policy', policyId: 'no-autonomous-search' }],
    });
  });

  it('switch with each newer version and leave other tenants on the default set', () => {
    const store = storeAt();
    const research = requestFor(SEED_AGENTS.research, 'search_web', 3);
    const otherTenant = { ...research, tenantId: 'tenant-b' };

    expect(store.load('tenant-a', 1, PERMIT_PUBLIC_ONLY)).toEqual({
      tenantId: 'tenant-a',
      version: 1,
      policyIds: ['public-only'],
    });
    expect(store.decide(research)).toMatchObject({
      decision: 'DENY',
      policySet: { tenantId: 'tenant-a', version: 1 },
    });

    store.load('tenant-a', 2, 'permit (principal, action, resource);');
    expect(store.currentVersion('tenant-a')).toBe(2);
    expect(store.decide(research)).toMatchObject({
      decision: 'ALLOW',
      reasons: [{ code: 'permitted', policyId: 'policy0' }],
      policySet: { tenantId: 'tenant-a', version: 2 },
    });

    // Reloading an older version (a replica reading out of order) does not roll the tenant back.
    store.load('tenant-a', 1, PERMIT_PUBLIC_ONLY);
    expect(store.currentVersion('tenant-a')).toBe(2);

    expect(store.decide(otherTenant)).toMatchObject({
      decision: 'ALLOW',
      policySet: { tenantId: 'tenant-b', version: 0 },
    });
  });

  it('keep versions immutable', () => {
    const store = storeAt();
    store.load('tenant-a', 1, PERMIT_PUBLIC_ONLY);
    expect(() => store.load('tenant-a', 1, 'permit (principal, action, resource);')).toThrow(
      PolicyVersionConflictError,
    );
    expect(() => store.load('tenant-a', 0, PERMIT_PUBLIC_ONLY)).toThrow(RangeError);
  });

  it('do not interfere across stores in one process', () => {
    const first = storeAt();
    const second = storeAt();
    first.load('tenant-a', 1, 'permit (principal, action, resource);');
    second.load('tenant-a', 1, 'forbid (principal, action, resource);');
    const research = requestFor(SEED_AGENTS.research, 'search_web', 3);
    expect(first.decide(research).decision).toBe('ALLOW');
    expect(second.decide(research).decision).toBe('DENY');
  });

  it('see the hour of the injected clock', () => {
    const officeHours = `
      permit (principal, action, resource) when {
        context.hour >= 9 && context.hour < 17 && principal.tier >= context.requiredTier
      };`;
    const research = requestFor(SEED_AGENTS.research, 'search_web', 3);
    const atEight = storeAt(Date.UTC(2026, 10, 25, 8, 59, 59));
    const atNine = storeAt(Date.UTC(2026, 10, 25, 9, 0, 0));
    atEight.load('tenant-a', 1, officeHours);
    atNine.load('tenant-a', 1, officeHours);
    expect(atEight.decide(research).decision).toBe('DENY');
    expect(atNine.decide(research).decision).toBe('ALLOW');
  });

  it('see role, score, capability level and scopes', () => {
    const store = storeAt();
    store.load(
      'tenant-a',
      1,
      `permit (principal, action, resource) when {
         principal.role == "research" && principal.score >= 580 &&
         context.capabilityLevel == "write" && context.capabilityScopes.contains(resource.type)
       };`,
    );
    expect(store.decide(requestFor(SEED_AGENTS.research, 'search_web')).decision).toBe('ALLOW');
    expect(store.decide(requestFor({ ...SEED_AGENTS.research, score: 579 }, 'search_web')).decision).toBe(
      'DENY',
    );
    const otherScope = requestFor(SEED_AGENTS.research, 'search_web', 1, {
      resource: { id: 'x', type: 'hr' },
    });
    expect(store.decide(otherScope).decision).toBe('DENY');
  });
});

describe('fail closed', () => {
  const permitAll = '@id("permit-all") permit (principal, action, resource);';

  it('DENYs on an evaluation error even when a permit matches', () => {
    const store = storeAt();
    store.load(
      'tenant-a',
      1,
      `${permitAll}
       @id("overflowing") forbid (principal, action, resource) when { principal.score * 9223372036854775807 > 0 };`,
    );
    const decision = store.decide(requestFor(SEED_AGENTS.research, 'search_web', 3));
    expect(decision).toMatchObject({ decision: 'DENY', reasons: [{ code: 'policy_evaluation_error' }] });
    expect(decision.reasons[0]!.message).toContain('overflowing');
  });

  it('DENYs when a policy reads an entity the request does not carry', () => {
    const store = storeAt();
    store.load(
      'tenant-a',
      1,
      `${permitAll}
       forbid (principal, action, resource) when { Trustgate::Resource::"vault".type == "secret" };`,
    );
    expect(store.decide(requestFor(SEED_AGENTS.research, 'search_web', 3))).toMatchObject({
      decision: 'DENY',
      reasons: [{ code: 'policy_evaluation_error' }],
    });
  });

  it('DENYs when an error only shows while asking whether approval would help', () => {
    const store = storeAt();
    store.load(
      'tenant-a',
      1,
      `permit (principal, action, resource) when { principal.tier >= context.requiredTier };
       forbid (principal, action, resource) when {
         principal.tier >= 5 && Trustgate::Resource::"vault".type == "secret"
       };`,
    );
    expect(store.decide(requestFor(SEED_AGENTS.research, 'search_web', 5))).toMatchObject({
      decision: 'DENY',
      reasons: [{ code: 'policy_evaluation_error' }],
    });
  });

  it('DENYs when the request itself is broken (a score outside 0–1000)', () => {
    const decision = storeAt().decide(requestFor({ ...SEED_AGENTS.research, score: 1200 }, 'search_web'));
    expect(decision).toMatchObject({ decision: 'DENY', reasons: [{ code: 'policy_evaluation_error' }] });
  });

  it('rejects garbage policy text with Cedar messages and keeps deciding with the previous version', () => {
    const store = storeAt();
    store.load('tenant-a', 1, permitAll);
    let failure: unknown;
    try {
      store.load('tenant-a', 2, 'permit (principal, action, resource) when { principal.tier >= };');
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(PolicySetLoadError);
    expect((failure as PolicySetLoadError).problems).toEqual([
      expect.stringMatching(/^unexpected token `}`: expected .* at 1:63$/),
    ]);
    expect(store.currentVersion('tenant-a')).toBe(1);
    expect(store.decide(requestFor(SEED_AGENTS.research, 'search_web'))).toMatchObject({
      decision: 'ALLOW',
      policySet: { version: 1 },
    });
  });

  it('rejects policies that do not fit the schema, naming the policy and the fix', () => {
    expect(() =>
      storeAt().load(
        'tenant-a',
        1,
        '@id("typo") permit (principal, action, resource) when { principal.teir > 2 };',
      ),
    ).toThrow(
      /policy `typo`, attribute `teir` on entity type `Trustgate::Agent` not found \(did you mean `tier`\?\)/,
    );
    expect(() =>
      storeAt().load(
        'tenant-a',
        1,
        'permit (principal, action == Trustgate::Action::"launch_rockets", resource);',
      ),
    ).toThrow(PolicySetLoadError);
  });

  it.each([
    [
      '@escalate on a permit',
      '@escalate("1") permit (principal, action, resource);',
      /only makes sense on a forbid/,
    ],
    ['a level out of range', '@escalate("4") forbid (principal, action, resource);', /authority level 1–3/],
    [
      'a level that is no number',
      '@escalate("high") forbid (principal, action, resource);',
      /authority level/,
    ],
    [
      'a duplicated id',
      '@id("same") permit (principal, action, resource); @id("same") forbid (principal, action, resource);',
      /"same" is used more than once/,
    ],
    ['a template', 'permit (principal == ?principal, action, resource);', /templates are not supported/],
  ])('rejects %s', (_case, text, message) => {
    expect(() => storeAt().load('tenant-a', 1, text)).toThrow(message);
  });

  it('refuses to start with a broken default set', () => {
    expect(() => new PolicyStore({ clock: () => NOON_UTC, defaultPolicyText: 'permit (' })).toThrow(
      PolicySetLoadError,
    );
  });
});
