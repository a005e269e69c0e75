// Deterministic choice among fixed phrasings: the same input always picks the same ones, different
// inputs spread over all of them. FNV-1a (32-bit) is enough: this is variety, not security.

export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The option `salt` selects for `seed`; salts let one seed make several independent choices. */
export function pick<T>(options: readonly T[], seed: number, salt: number | string): T {
  return options[stableHash(`${seed}:${salt}`) % options.length]!;
}

/** `count` distinct options, in an order that depends on the seed (a stride coprime with the length). */
export function pickDistinct<T>(options: readonly T[], seed: number, count: number): T[] {
  const length = options.length;
  const strides = Array.from({ length }, (_, index) => index + 1).filter(
    (stride) => gcd(stride, length) === 1,
  );
  const stride = pick(strides, seed, 'stride');
  const start = seed % length;
  return Array.from(
    { length: Math.min(count, length) },
    (_, index) => options[(start + index * stride) % length]!,
  );
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
