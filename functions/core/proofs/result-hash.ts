// L4 result hash (SPEC §3): SHA-256 over (intentId, result, timestamp).
//
// Encoding, so that no two different inputs share a byte string:
//   "trustgate:result-hash:v1" 0x00            domain tag: this hash cannot be confused with any
//                                              other SHA-256 the platform computes
//   u32be(byteLength(intentId)) utf8(intentId)  length prefixes make the field boundaries explicit
//   u32be(byteLength(result))   utf8(result)    (plain concatenation would make ("ab","c") == ("a","bc"))
//   u64be(timestamp)                            epoch milliseconds, fixed width
// The result is hashed as the exact text delivered to the caller; structured results are
// serialized by the caller once and that text is what gets stored and proven.
import { createHash } from 'node:crypto';

const DOMAIN_TAG = Buffer.from('trustgate:result-hash:v1\u0000', 'utf8');
const MAX_FIELD_BYTES = 0xffff_ffff;

export interface ResultHashInput {
  intentId: string;
  result: string;
  /** Epoch milliseconds of the execution's completion. */
  timestamp: number;
}

function lengthPrefixed(value: string, field: string): Buffer[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_FIELD_BYTES)
    throw new RangeError(`${field} is longer than ${MAX_FIELD_BYTES} bytes`);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return [length, bytes];
}

/** Lowercase hex SHA-256 of the encoding above. */
export function resultHash({ intentId, result, timestamp }: ResultHashInput): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be non-negative epoch milliseconds, got ${timestamp}`);
  }
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  const hash = createHash('sha256');
  for (const part of [
    DOMAIN_TAG,
    ...lengthPrefixed(intentId, 'intentId'),
    ...lengthPrefixed(result, 'result'),
    time,
  ]) {
    hash.update(part);
  }
  return hash.digest('hex');
}
