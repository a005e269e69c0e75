// A deterministic byte source for tests: SHA-256 of a counter, so bytes look random but runs repeat.
import { createHash } from 'node:crypto';

export function deterministicRandomBytes(seed = 'seed'): (length: number) => Uint8Array {
  let counter = 0;
  return (length) => {
    const bytes = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 32) {
      counter += 1;
      const block = createHash('sha256').update(`${seed}:${counter}`).digest();
      bytes.set(block.subarray(0, Math.min(32, length - offset)), offset);
    }
    return bytes;
  };
}
