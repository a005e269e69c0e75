import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UuidV7Generator } from '../../../functions/core/intents/uuidv7.ts';
import { deterministicRandomBytes } from './random-source.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T = Date.UTC(2026, 10, 25, 17, 0, 0);

function timestampOf(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

function counterOf(id: string): number {
  return Number.parseInt(id.slice(15, 18), 16);
}

describe('UuidV7Generator', () => {
  it('writes version 7, variant 10 and the clock milliseconds', () => {
    const generator = new UuidV7Generator({ nowMs: () => T, randomBytes: deterministicRandomBytes() });
    for (let i = 0; i < 100; i++) {
      const id = generator.next();
      expect(id).toMatch(UUID_V7);
      expect(timestampOf(id)).toBe(T);
    }
  });

  it('sorts by creation time across milliseconds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 2, maxLength: 50 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (steps, bytes) => {
          let now = T;
          const generator = new UuidV7Generator({ nowMs: () => now, randomBytes: () => bytes });
          const ids = steps.map((step) => {
            now += step;
            return generator.next();
          });
          expect([...ids].sort()).toEqual(ids);
          expect(new Set(ids).size).toBe(ids.length);
        },
      ),
    );
  });

  it('stays monotonic and unique within one millisecond, past the counter overflow', () => {
    // All-ones random bytes seed the counter at its highest start (0x7ff): overflow after 2049 ids.
    const generator = new UuidV7Generator({
      nowMs: () => T,
      randomBytes: (n) => new Uint8Array(n).fill(0xff),
    });
    const ids = Array.from({ length: 5_000 }, () => generator.next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(counterOf(ids[0]!)).toBe(0x7ff);
    expect(counterOf(ids[1]!)).toBe(0x800);
    expect(timestampOf(ids[2048]!)).toBe(T);
    expect(timestampOf(ids[2049]!)).toBe(T + 1);
  });

  it('does not go backwards when the clock does', () => {
    const times = [T, T - 5_000, T - 1];
    const generator = new UuidV7Generator({
      nowMs: () => times.shift()!,
      randomBytes: deterministicRandomBytes(),
    });
    const ids = [generator.next(), generator.next(), generator.next()];
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(timestampOf)).toEqual([T, T, T]);
  });

  it('takes fresh random bits for every id', () => {
    const generator = new UuidV7Generator({ nowMs: () => T, randomBytes: deterministicRandomBytes() });
    const randB = Array.from({ length: 1_000 }, () => generator.next().slice(19));
    expect(new Set(randB).size).toBe(randB.length);
  });

  it('refuses a timestamp outside the 48-bit field and a short random source', () => {
    const random = deterministicRandomBytes();
    expect(() => new UuidV7Generator({ nowMs: () => 2 ** 48, randomBytes: random }).next()).toThrow(
      RangeError,
    );
    expect(() => new UuidV7Generator({ nowMs: () => -1, randomBytes: random }).next()).toThrow(RangeError);
    expect(() =>
      new UuidV7Generator({ nowMs: () => T, randomBytes: () => new Uint8Array(4) }).next(),
    ).toThrow(RangeError);
  });
});
