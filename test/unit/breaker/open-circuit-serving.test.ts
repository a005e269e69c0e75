import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cacheAgeMs,
  cacheMayServe,
  degradedAnswer,
  degradedMayServe,
  isFreshEntry,
} from '../../../functions/core/breaker/open-circuit-serving.ts';

describe('what may serve a step while its breaker is open', () => {
  it.each([
    ['sequential', true],
    ['parallel', true],
    ['saga', false],
  ])('a %s step: cache and degraded answer allowed = %s', (type, allowed) => {
    expect(cacheMayServe(type)).toBe(allowed);
    expect(degradedMayServe(type)).toBe(allowed);
  });

  it('counts an entry past its expiry as a miss, to the millisecond', () => {
    const expiresAt = 1_700_000_000;
    expect(isFreshEntry({ expiresAt }, expiresAt * 1000 - 1)).toBe(true);
    expect(isFreshEntry({ expiresAt }, expiresAt * 1000)).toBe(false);
  });

  it('never reports a negative age, and otherwise the exact one', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.nat(2 ** 40), (cachedAt, now) => {
        const age = cacheAgeMs(cachedAt, now);
        expect(age).toBeGreaterThanOrEqual(0);
        if (now >= cachedAt) expect(age).toBe(now - cachedAt);
      }),
    );
  });

  it('says in the degraded answer that no agent produced it, why, and when to try again', () => {
    const answer = degradedAnswer({
      agentId: 'research-agent',
      role: 'research',
      reason: 'probe_limit',
      retryAfterMs: 5_000,
      noFallbackBecause: 'no agent with role research',
      nowMs: Date.parse('2026-12-06T10:00:00.000Z'),
    });
    expect(answer).toBe(
      '[degraded] No agent produced this output. The circuit breaker of agent "research-agent" is half-open ' +
        'with every probe slot taken, no cached result for this input exists, and no fallback of role "research" ' +
        'took the step (no agent with role research). The agent takes calls again from 2026-12-06T10:00:05.000Z.',
    );
  });
});
