import { describe, expect, it } from 'vitest';
import { countTokens, truncateToTokens } from '../../../functions/core/budget/tokenizer.ts';

describe('countTokens (o200k_base)', () => {
  it('counts known strings the way the o200k_base encoding does', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    // The, quick, brown, fox, jumps, over, the, lazy, dog, "."
    expect(countTokens('The quick brown fox jumps over the lazy dog.')).toBe(10);
  });

  it('counts special-token spellings as plain text instead of throwing', () => {
    expect(countTokens('a <|endoftext|> b')).toBeGreaterThan(3);
  });
});

describe('truncateToTokens', () => {
  it('returns text that already fits unchanged', () => {
    expect(truncateToTokens('hello world', 2)).toBe('hello world');
  });

  it('cuts on a token boundary to a prefix within the limit', () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    expect(truncateToTokens(text, 4)).toBe('The quick brown fox');
  });

  it('never ends inside a multi-byte character', () => {
    const text = 'héllo 日本語 🎉 ok and more words after the emoji';
    for (let limit = 0; limit <= countTokens(text); limit++) {
      const prefix = truncateToTokens(text, limit);
      expect(text.startsWith(prefix)).toBe(true);
      expect(prefix).not.toContain('\uFFFD');
      expect(countTokens(prefix)).toBeLessThanOrEqual(limit);
    }
  });
});
