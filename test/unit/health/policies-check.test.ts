// The policies readiness check on the real Cedar engine: the default set as the gate loads it, and sets
// that do not load or decide differently.
import { describe, expect, it } from 'vitest';
import { policiesCheck } from '../../../functions/app/health/policies-check.ts';
import { PolicyStore } from '../../../functions/core/policy/policy-store.ts';

const signal = new AbortController().signal;

describe('policies readiness check', () => {
  it('passes with the default policy set: it loads and answers the probe decision ALLOW', async () => {
    const result = await policiesCheck(() => new PolicyStore({ clock: Date.now, answerMemoCapacity: 0 }))(
      signal,
    );
    expect(result).toEqual({ ok: true, policySetVersion: 0, probe: 'ALLOW' });
  });

  it('builds the store once per environment, whatever the number of probes', async () => {
    let built = 0;
    const probe = policiesCheck(() => {
      built += 1;
      return new PolicyStore({ clock: Date.now, answerMemoCapacity: 0 });
    });
    for (let i = 0; i < 3; i++) expect((await probe(signal)).ok).toBe(true);
    expect(built).toBe(1);
  });

  it('fails, with Cedar’s reason, when the policy set does not load — and keeps failing without recompiling', async () => {
    let built = 0;
    const probe = policiesCheck(() => {
      built += 1;
      return new PolicyStore({ clock: Date.now, defaultPolicyText: 'permit (principal, action, resource' });
    });
    const result = await probe(signal);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^policy set does not load: PolicySetLoadError: invalid policy set: - /);
    expect(await probe(signal)).toEqual(result);
    expect(built).toBe(1);
  });

  it('fails when the loaded set no longer answers the probe as the default set does', async () => {
    const forbidSearch = `
      @id("no-search")
      forbid (principal, action == Trustgate::Action::"search_web", resource);
      permit (principal, action, resource);
    `;
    const result = await policiesCheck(
      () => new PolicyStore({ clock: Date.now, defaultPolicyText: forbidSearch, answerMemoCapacity: 0 }),
    )(signal);
    expect(result).toMatchObject({ ok: false, policySetVersion: 0, probe: 'DENY' });
    expect(result.error).toMatch(/^probe decision DENY, expected ALLOW \(forbidden_by_policy: /);
  });
});
