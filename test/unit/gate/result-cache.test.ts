import { describe, expect, it } from 'vitest';
import {
  cachedResultPut,
  completionInputHash,
  MAX_CACHED_OUTPUT_BYTES,
  RESULT_CACHE_TTL_MS,
  resultCacheKey,
} from '../../../functions/app/gate/result-cache.ts';
import type { CompletionRequest } from '../../../functions/providers/provider.ts';

const REQUEST: CompletionRequest = {
  system: 'You are Research Agent (research-agent), the research agent of a trust-gated workflow.',
  messages: [{ role: 'user', content: 'Write report on AI trends' }],
  maxTokens: 4096,
  agentRole: 'research',
  action: 'search_web',
};

const RESULT = {
  tenantId: 'acme',
  agentId: 'research-agent',
  inputHash: completionInputHash(REQUEST),
  output: 'findings',
  tokens: { input: 10, output: 3 },
  proofHash: 'a'.repeat(64),
  intentId: 'intent-1',
  workflowId: 'wf-1',
  stepIndex: 0,
  completedAtMs: Date.parse('2026-12-06T10:00:00.000Z'),
};

describe("the gate's result cache", () => {
  it('hashes the request the provider gets: the same request, the same hash, whatever the key order', () => {
    const reordered = {
      action: REQUEST.action,
      agentRole: REQUEST.agentRole,
      maxTokens: REQUEST.maxTokens,
      messages: REQUEST.messages,
      system: REQUEST.system,
    };
    expect(completionInputHash(reordered)).toBe(completionInputHash(REQUEST));
    expect(completionInputHash(REQUEST)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['system', { system: `${REQUEST.system} ` }],
    ['messages', { messages: [{ role: 'user', content: 'Write report on AI trend' }] }],
    ['maxTokens', { maxTokens: 4095 }],
    ['agentRole', { agentRole: 'analysis' }],
    ['action', { action: 'process_data' }],
  ])('gives another hash when %s differs', (_field, change) => {
    expect(completionInputHash({ ...REQUEST, ...change } as CompletionRequest)).not.toBe(
      completionInputHash(REQUEST),
    );
  });

  it('keys entries by tenant, agent and input, and expires them 24 h after the result', () => {
    const put = cachedResultPut('gate-state', RESULT)!;
    expect(put.Put!.Item).toMatchObject({
      key: resultCacheKey('acme', 'research-agent', RESULT.inputHash),
      cachedAt: '2026-12-06T10:00:00.000Z',
      expiresAt: (RESULT.completedAtMs + RESULT_CACHE_TTL_MS) / 1000,
    });
    expect(put.Put!.Item!.key).toBe(`result#acme#research-agent#${RESULT.inputHash}`);
  });

  it('does not cache an output above the size cap, and does cache one at it', () => {
    expect(cachedResultPut('t', { ...RESULT, output: 'x'.repeat(MAX_CACHED_OUTPUT_BYTES) })).toBeDefined();
    expect(
      cachedResultPut('t', { ...RESULT, output: 'x'.repeat(MAX_CACHED_OUTPUT_BYTES + 1) }),
    ).toBeUndefined();
    // The cap is in UTF-8 bytes, not characters.
    expect(
      cachedResultPut('t', { ...RESULT, output: 'é'.repeat(MAX_CACHED_OUTPUT_BYTES / 2 + 1) }),
    ).toBeUndefined();
  });
});
