import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResultHashInput } from '../../../functions/core/proofs/result-hash.ts';
import { resultHash } from '../../../functions/core/proofs/result-hash.ts';

const base: ResultHashInput = {
  intentId: '0190f1a2-7c3e-7d4b-8a9f-0123456789ab',
  result: '{"summary":"three suppliers"}',
  timestamp: 1_764_000_000_000,
};

describe('resultHash', () => {
  it('is SHA-256 over the documented tagged, length-prefixed encoding', () => {
    const bytes = Buffer.concat([
      Buffer.from('trustgate:result-hash:v1\0'),
      Buffer.from([0, 0, 0, 36]),
      Buffer.from(base.intentId),
      Buffer.from([0, 0, 0, 29]),
      Buffer.from(base.result),
      // 1 764 000 000 000 ms as a big-endian u64.
      Buffer.from([0x00, 0x00, 0x01, 0x9a, 0xb6, 0x97, 0xe8, 0x00]),
    ]);
    expect(resultHash(base)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('changes when any input changes', () => {
    const hash = resultHash(base);
    expect(resultHash({ ...base, intentId: `${base.intentId}0` })).not.toBe(hash);
    expect(resultHash({ ...base, result: `${base.result} ` })).not.toBe(hash);
    expect(resultHash({ ...base, timestamp: base.timestamp + 1 })).not.toBe(hash);
  });

  it('keeps field boundaries: moving characters between fields changes the hash', () => {
    expect(resultHash({ intentId: 'ab', result: 'c', timestamp: 0 })).not.toBe(
      resultHash({ intentId: 'a', result: 'bc', timestamp: 0 }),
    );
    expect(resultHash({ intentId: '', result: 'x', timestamp: 0 })).not.toBe(
      resultHash({ intentId: 'x', result: '', timestamp: 0 }),
    );
  });

  it('is injective in practice over any inputs (property)', () => {
    const input = fc.record({
      intentId: fc.string({ unit: 'grapheme' }),
      result: fc.string({ unit: 'grapheme' }),
      timestamp: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    });
    fc.assert(
      fc.property(input, input, (a, b) => {
        const same = a.intentId === b.intentId && a.result === b.result && a.timestamp === b.timestamp;
        expect(resultHash(a) === resultHash(b)).toBe(same);
      }),
    );
  });

  it('refuses timestamps that are not non-negative integer milliseconds', () => {
    expect(() => resultHash({ ...base, timestamp: -1 })).toThrow(RangeError);
    expect(() => resultHash({ ...base, timestamp: 1.5 })).toThrow(RangeError);
    expect(() => resultHash({ ...base, timestamp: Number.NaN })).toThrow(RangeError);
  });
});
