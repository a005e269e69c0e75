// RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, 12-bit rand_a, variant 10, 62-bit rand_b.
// Monotonic within one generator by RFC 9562 §6.2 Method 1 (fixed-length dedicated counter): rand_a is a
// counter, seeded at random in each new millisecond with its top bit clear (so at least 2048 ids fit in a
// millisecond before it overflows), and incremented for every further id in the same millisecond. On
// overflow the generator moves its timestamp one millisecond ahead, and a clock that steps backwards is
// held at the last timestamp used — both as §6.2 allows — so ids from one generator always sort in
// creation order. rand_b stays random for every id.

export interface UuidV7Source {
  /** Unix epoch milliseconds. */
  nowMs: () => number;
  /** `length` bytes from a cryptographically secure source (node:crypto randomBytes in production). */
  randomBytes: (length: number) => Uint8Array;
}

const COUNTER_MAX = 0xfff;
const SEED_MASK = 0x7ff;
const MAX_TIMESTAMP = 2 ** 48 - 1;

export class UuidV7Generator {
  private lastTimestamp = -1;
  private counter = 0;

  constructor(private readonly source: UuidV7Source) {}

  next(): string {
    const random = this.source.randomBytes(10);
    if (random.length < 10) throw new RangeError('the random source returned fewer bytes than asked for');
    const now = Math.floor(this.source.nowMs());
    if (now > this.lastTimestamp) {
      this.lastTimestamp = now;
      this.counter = ((random[8]! << 8) | random[9]!) & SEED_MASK;
    } else if (this.counter < COUNTER_MAX) {
      this.counter += 1;
    } else {
      this.lastTimestamp += 1;
      this.counter = ((random[8]! << 8) | random[9]!) & SEED_MASK;
    }
    if (this.lastTimestamp < 0 || this.lastTimestamp > MAX_TIMESTAMP) {
      throw new RangeError(`timestamp ${this.lastTimestamp} does not fit the 48 bits of a UUIDv7`);
    }

    const bytes = new Uint8Array(16);
    let timestamp = this.lastTimestamp;
    for (let i = 5; i >= 0; i--) {
      bytes[i] = timestamp % 256;
      timestamp = Math.floor(timestamp / 256);
    }
    bytes[6] = 0x70 | (this.counter >> 8);
    bytes[7] = this.counter & 0xff;
    bytes.set(random.subarray(0, 8), 8);
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;

    const hex = Buffer.from(bytes).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
