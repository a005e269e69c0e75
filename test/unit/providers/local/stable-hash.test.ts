import { describe, expect, it } from 'vitest';
import { pick, pickDistinct, stableHash } from '../../../../functions/providers/local/stable-hash.ts';

describe('stable hash and deterministic choice', () => {
  it('hashes equal text equally and different text differently', () => {
    expect(stableHash('AI trends')).toBe(stableHash('AI trends'));
    expect(stableHash('AI trends')).not.toBe(stableHash('AI trend'));
    // FNV-1a 32-bit reference values.
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
  });

  it('picks the same option for the same seed and salt', () => {
    const options = ['a', 'b', 'c', 'd', 'e'];
    expect(pick(options, 42, 'x')).toBe(pick(options, 42, 'x'));
    const picks = new Set(Array.from({ length: 50 }, (_, seed) => pick(options, seed, 'x')));
    expect(picks.size).toBe(options.length);
  });

  it('picks distinct options, in a seed-dependent order', () => {
    const options = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    for (let seed = 0; seed < 200; seed++) {
      const chosen = pickDistinct(options, stableHash(String(seed)), 5);
      expect(new Set(chosen).size).toBe(5);
    }
    const orders = new Set(
      Array.from({ length: 50 }, (_, seed) => pickDistinct(options, stableHash(String(seed)), 5).join('')),
    );
    expect(orders.size).toBeGreaterThan(10);
    expect(pickDistinct(options, 7, 20)).toHaveLength(options.length);
  });
});
